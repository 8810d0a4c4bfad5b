"""Full-text search over the library, on whichever database the suite runs (SQLite FTS5 or
PostgreSQL's text search): the passage that answers a query comes first."""

from datetime import date

from django.db import connection

from nansen.coi.analysis import highlighted, index_text, parse_query
from nansen.coi.selectors import search_passages
from nansen.coi.tests.conftest import add

TODAY = date(2026, 1, 15)


def titles(results):
    return [r.source.title for r in results]


def run(query, **filters):
    return search_passages(query=query, office=None, today=TODAY, **filters)


def test_the_passage_that_answers_ranks_above_one_that_merely_mentions_a_word(library):
    results = run("what happens to draft evaders returned to Syria at the airport")
    assert titles(results)[:2] == ["Treatment of returnees", "Road security"]
    assert results[0].rank > results[1].rank
    assert "Women" not in titles(results)


def test_words_are_stemmed_in_english(library):
    # "conscription"/"conscripted", "evading"/"evaded", "punishment"/"punished"
    assert titles(run("punishment for evading conscription")) == ["Treatment of returnees"]


def test_matches_are_highlighted_in_the_snippet(library):
    (result,) = run("conscripted")
    assert "<mark>conscripted</mark>" in result.snippet


def test_a_quoted_phrase_must_appear_as_written(library):
    assert titles(run('"security services"')) == ["Treatment of returnees"]
    assert titles(run('"services security"')) == []


def test_filters_by_country_topic_and_date(library):
    assert titles(run("women documentation", country="IRQ")) == ["Women"]
    assert titles(run("airport", topic="security")) == ["Road security"]
    assert titles(run("airport women", published_from=date(2024, 1, 1))) == [
        "Treatment of returnees",
        "Road security",
    ] or titles(run("airport women", published_from=date(2024, 1, 1))) == [
        "Road security",
        "Treatment of returnees",
    ]
    assert titles(run("women", published_to=date(2022, 1, 1))) == ["Women"]
    assert run("women", country="AFG") == []


def test_japanese_is_found_by_the_characters_of_a_word(personas):
    add(
        personas.officer,
        "兵役を逃れた男性は帰国時に空港で逮捕される。",
        title="JA answer",
        language="jpn",
    )
    add(personas.officer, "兵士の役割について。", title="JA mention", language="jpn")
    results = run("兵役 逮捕")
    assert titles(results) == ["JA answer"]
    assert "<mark>兵役</mark>" in results[0].snippet
    assert " " not in results[0].snippet.replace("<mark>", "").replace("</mark>", "").strip()


def test_arabic_is_found_without_vowel_marks_or_the_article(personas):
    add(
        personas.officer,
        "يتعرض المتهربون من التجنيد الإجباري للاعتقال عند العودة.",
        title="AR answer",
        language="ara",
    )
    add(personas.officer, "مكتب البريد مغلق.", title="AR other", language="ara")
    assert titles(run("تجنيد")) == ["AR answer"]
    assert titles(run("الاعتقال")) == ["AR answer"]
    assert titles(run("الإِجباري")) == ["AR answer"]


def test_an_empty_or_stop_word_query_finds_nothing(library):
    assert run("") == []
    assert run("the of and") == []


def test_query_syntax_characters_are_searched_as_text(library):
    assert run('evaders" OR "*') is not None
    assert titles(run("evaders)(NEAR")) == ["Treatment of returnees"]


def test_the_index_follows_a_corrected_text(personas, library):
    from nansen.coi.services import SourceInput, source_update

    source = library["other"]
    source_update(
        actor=personas.officer,
        source=source,
        expected_version=source.version,
        data=SourceInput(
            title="Women",
            publisher=source.publisher,
            published_on=source.published_on,
            countries=["SYR"],
            text="Widows face eviction.",
        ),
    )
    assert run("documentation") == []
    assert titles(run("widows")) == ["Women"]


def test_each_engine_is_the_databases_own():
    assert connection.vendor in ("sqlite", "postgresql")


def test_index_text_spaces_cjk_and_folds_arabic():
    assert index_text("兵役を") == "兵 役 を"
    assert index_text("الإِجباري") == "الاجباري"
    assert [t.words for t in parse_query('draft "military service" 兵役')] == [
        ("draft",),
        ("military", "service"),
        ("兵", "役"),
    ]
    assert str(highlighted("a \x02兵\x03 \x02役\x03 <b>")) == "a <mark>兵役</mark> &lt;b&gt;"
