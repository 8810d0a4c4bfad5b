"""The assessment page: part by part, with HTMX or without, nothing lost on a conflict."""

import pytest
from django.urls import reverse

from nansen.eligibility import services
from nansen.eligibility.models import Assessment, Citation
from nansen.eligibility.testing import complete_assessment

HTMX = {"HTTP_HX_REQUEST": "true"}


def page_url(application):
    return reverse("eligibility:assessment", args=[application.pk])


@pytest.fixture
def started(personas, application):
    return services.assessment_start(actor=personas.officer, application=application)


def test_an_officer_starts_the_assessment(client, personas, application):
    client.force_login(personas.officer)
    assert "Start the assessment" in client.get(page_url(application)).text
    response = client.post(
        page_url(application), {"language": "en", "risk_profile": "draft_evader"}
    )
    assert response.status_code == 302
    assert Assessment.objects.get(application=application).risk_profile == "draft_evader"


@pytest.mark.parametrize(
    ("role", "status", "sees_text"),
    [
        ("officer", 200, True),
        ("supervisor", 200, True),
        ("appeals", 200, True),
        ("clerk", 200, False),
        ("lawyer", 404, False),
        ("outsider", 404, False),
        ("statistician", 404, False),
    ],
)
def test_who_sees_the_assessment(client, personas, application, role, status, sees_text):
    complete_assessment(personas.officer, application)
    client.force_login(getattr(personas, role))
    response = client.get(page_url(application))
    assert response.status_code == status
    assert ("Evasion is seen as opposition." in response.text) == sees_text


def test_saving_a_part_with_htmx_answers_the_part_and_the_new_version(
    client, personas, application, started
):
    client.force_login(personas.officer)
    url = reverse("eligibility:part_save", args=[started.pk, "fear"])
    response = client.post(
        url,
        {
            "version": started.version,
            "fear-fear": "established",
            "fear-fear_reasons": "Evaders are arrested.",
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert 'id="part-fear"' in response.text
    assert f'id="assessment-version" name="version" value="{started.version + 1}"' in (
        response.text
    )
    assert 'id="assessment-status"' in response.text and 'hx-swap-oob="true"' in response.text
    started.refresh_from_db()
    assert started.fear_reasons == "Evaders are arrested."


def test_a_conflicting_save_keeps_what_was_typed(client, personas, application, started):
    client.force_login(personas.officer)
    url = reverse("eligibility:part_save", args=[started.pk, "fear"])
    stale = started.version
    services.assessment_part_save(
        actor=personas.supervisor,
        assessment=started,
        expected_version=stale,
        part="fear",
        values={"fear": "established", "fear_reasons": "The supervisor's text."},
    )
    typed = {
        "version": stale,
        "fear-fear": "not_established",
        "fear-fear_reasons": "My long reasoning.",
    }
    response = client.post(url, typed)
    assert response.status_code == 409
    assert "Someone else saved this eligibility assessment" in response.text
    assert "My long reasoning." in response.text
    htmx = client.post(url, typed, **HTMX)
    assert htmx.status_code == 200  # HTMX swaps only successful answers
    assert "My long reasoning." in htmx.text and "Someone else saved" in htmx.text
    assert 'id="assessment-version"' not in htmx.text  # saving again stays refused
    started.refresh_from_db()
    assert started.fear_reasons == "The supervisor's text."


def test_it_refuses_a_part_saved_without_the_version(client, personas, application, started):
    client.force_login(personas.officer)
    url = reverse("eligibility:part_save", args=[started.pk, "fear"])
    typed = {"fear-fear": "established", "fear-fear_reasons": "My long reasoning."}
    response = client.post(url, typed, **HTMX)
    assert response.text.startswith('<section id="part-fear"')
    assert "without the version of the record" in response.text
    assert "My long reasoning." in response.text
    assert client.post(url, typed).status_code == 400
    assert Assessment.objects.get(pk=started.pk).version == started.version


def test_an_inconsistent_conclusion_is_refused_on_the_page(client, personas, application):
    assessment = complete_assessment(personas.officer, application)
    client.force_login(personas.officer)
    response = client.post(
        reverse("eligibility:part_save", args=[assessment.pk, "conclusion"]),
        {
            "version": assessment.version,
            "conclusion-conclusion": "rejected",
            "conclusion-conclusion_reasons": "x",
        },
        **HTMX,
    )
    assert "the claim cannot be rejected" in response.text


def test_facts_are_added_and_removed(client, personas, application, started):
    client.force_login(personas.officer)
    response = client.post(
        reverse("eligibility:fact_add", args=[started.pk]),
        {
            "version": started.version,
            "fact-new-statement": "Called up in 2023.",
            "fact-new-credibility": "accepted",
            "fact-new-reasons": "Consistent.",
        },
        **HTMX,
    )
    fact = started.facts.get()
    assert f'id="fact-{fact.pk}"' in response.text and 'id="new-fact"' in response.text
    started.refresh_from_db()
    client.post(
        reverse("eligibility:fact_remove", args=[fact.pk]), {"version": started.version}, **HTMX
    )
    assert not started.facts.exists()


def test_citing_a_passage_found_by_a_search(client, personas, application, started, source):
    client.force_login(personas.officer)
    results = client.get(
        reverse("eligibility:cite_search", args=[started.pk]),
        {"part": "fear", "q": "evaded military service arrest"},
    )
    assert "<mark>" in results.text and "Cite this passage" in results.text
    passage = source.passages.get(number=1)
    response = client.post(
        reverse("eligibility:citation_add", args=[started.pk]),
        {
            "version": started.version,
            "part": "fear",
            "source": source.pk,
            "passage": passage.pk,
            "quote": "risk arrest",
        },
        **HTMX,
    )
    assert 'id="citations-fear"' in response.text
    citation = Citation.objects.get()
    assert (citation.part, citation.paragraph, citation.quote) == ("fear", "1", "risk arrest")


def test_the_page_takes_a_bounded_number_of_queries(
    client, personas, application, source, django_assert_max_num_queries
):
    assessment = complete_assessment(personas.officer, application, source=source)
    for n in range(5):
        assessment.refresh_from_db()
        fact = services.fact_add(
            actor=personas.officer,
            assessment=assessment,
            expected_version=assessment.version,
            data=services.FactInput(statement=f"Fact {n}.", credibility="accepted", reasons="r"),
        )
        services.citation_add(
            actor=personas.officer,
            assessment=assessment,
            expected_version=assessment.version,
            part="facts",
            fact=fact,
            source=source,
            page=str(n),
        )
    client.force_login(personas.officer)
    with django_assert_max_num_queries(30):
        assert client.get(page_url(application)).status_code == 200


def test_the_drafted_reasons_page(client, personas, application, source):
    complete_assessment(personas.officer, application, source=source)
    client.force_login(personas.officer)
    response = client.get(reverse("eligibility:reasons", args=[application.pk]))
    assert "“Syria: Military service”, 2024-04-01, para. 1" in response.text
    assert "Record the decision" in response.text
    client.force_login(personas.clerk)
    assert client.get(reverse("eligibility:reasons", args=[application.pk])).status_code == 404


def test_a_supervisor_sets_the_offices_rules(client, personas):
    client.force_login(personas.supervisor)
    response = client.post(
        reverse("eligibility:policy"),
        {
            "version": 1,
            "review_required": "on",
            "review_conclusions": ["rejected"],
            "stale_after_months": 18,
        },
    )
    assert response.status_code == 302
    from nansen.coi.selectors import stale_after_months
    from nansen.eligibility.selectors import policy_for

    assert policy_for(personas.tokyo).review_required
    assert stale_after_months(personas.tokyo) == 18
    client.force_login(personas.officer)
    assert client.get(reverse("eligibility:policy")).status_code == 404


@pytest.mark.parametrize(
    ("language", "heading", "direction"),
    [("ja", "難民該当性の審査", "ltr"), ("ar", "تقييم الأهلية", "rtl")],
)
def test_the_page_speaks_japanese_and_arabic(
    client, personas, application, language, heading, direction
):
    complete_assessment(personas.officer, application)
    client.force_login(personas.officer)
    response = client.get(page_url(application), HTTP_ACCEPT_LANGUAGE=language)
    assert heading in response.text
    assert f'dir="{direction}"' in response.text
