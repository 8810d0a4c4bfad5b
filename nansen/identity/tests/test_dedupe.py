"""The batch run over the registry: candidate pairs into the review queue, resumable."""

import json
import math
from datetime import date

import pytest
from django.core.management import call_command

from nansen.identity.models import CandidatePair, DedupeRun, MatchModel
from nansen.identity.scoring import MODEL_FILE
from nansen.registration.models import Person
from nansen.registration.services import MemberInput, case_register
from nansen.testing import person_input, require_or_skip

NAMES = [
    ("Rania", "Khoury", "F", date(1990, 7, 2)),
    ("Omar", "Haddad", "M", date(1975, 1, 9)),
    ("Layla", "Nasser", "F", date(2001, 11, 23)),
    ("Yusuf", "Karimi", "M", date(1969, 4, 30)),
    ("Samir", "Aziz", "M", date(1983, 8, 8)),
]


def registry(personas):
    for given, family, sex, born in NAMES:
        case_register(
            actor=personas.clerk,
            principal=person_input(given_name=given, family_name=family, sex=sex, birth_date=born),
        )
    # The same man again, spelled another way: the one duplicate to find.
    case_register(
        actor=personas.clerk,
        principal=person_input(
            given_name="Youssef", family_name="Karimy", sex="M", birth_date=date(1969, 4, 30)
        ),
    )


def test_dedupe_puts_the_duplicate_in_the_queue_and_resumes(personas, tmp_path):
    registry(personas)
    call_command("identity", "dedupe", "--workdir", tmp_path / "run", verbosity=0)
    run = DedupeRun.objects.get()
    assert run.finished_at is not None and run.persons == 6
    [pair] = CandidatePair.objects.all()
    names = {pair.person_a.given_name, pair.person_b.given_name}
    assert names == {"Yusuf", "Youssef"}
    assert pair.source == "batch" and pair.evidence["name"]["level"]
    # Resuming an unfinished run starts from the stage it reached and adds nothing twice.
    run.finished_at, run.stage = None, "load"
    run.save()
    call_command("identity", "dedupe", "--resume", verbosity=0)
    assert CandidatePair.objects.count() == 1
    assert DedupeRun.objects.count() == 1


def test_reindex_rebuilds_the_index(personas):
    from nansen.identity.models import MatchProfile, NameKey

    registry(personas)
    NameKey.objects.all().delete()
    call_command("identity", "reindex", verbosity=0)
    assert MatchProfile.objects.count() == 6
    assert NameKey.objects.filter(key="krm ysf").count() == 2


def test_dedupe_finds_a_family_registered_again_with_a_name_mistyped(personas, tmp_path):
    """The father's two names are mistyped the second time and only his year of birth is
    known: the records share no two names, but each names the same wife and son. The
    office's model was trained before the household rule existed: the rules of this version
    apply all the same."""
    shipped = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    rules = shipped["splink"]["blocking_rules_to_generate_predictions"]
    older = [r for r in rules if "household" not in r["blocking_rule"]]
    assert len(older) == len(rules) - 1
    MatchModel.objects.create(
        persons=12,
        threshold=shipped["threshold"],
        review_threshold=shipped["review_threshold"],
        splink={**shipped["splink"], "blocking_rules_to_generate_predictions": older},
    )
    for given, family, born in (("Khaled", "Haddad", date(1980, 5, 17)), ("Kaled", "Hadad", None)):
        case_register(
            actor=personas.clerk,
            principal=person_input(
                given_name=given,
                family_name=family,
                given_name_original="",
                family_name_original="",
                birth_date=born or date(1980, 1, 1),
                birth_date_precision="exact" if born else "year",
            ),
            dependants=[
                MemberInput(
                    person=person_input(given_name="Rania", sex="F"), relationship="spouse"
                ),
                MemberInput(person=person_input(given_name="Omar"), relationship="child"),
            ],
        )
    registry(personas)
    call_command("identity", "dedupe", "--workdir", tmp_path / "run", verbosity=0)
    pairs = {
        frozenset((p.person_a.given_name, p.person_b.given_name))
        for p in CandidatePair.objects.select_related("person_a", "person_b")
    }
    assert frozenset(("Khaled", "Kaled")) in pairs

    # The people registered with each are alike too: the second look adds its weight.
    [pair] = [
        p
        for p in CandidatePair.objects.select_related("person_a", "person_b")
        if {p.person_a.given_name, p.person_b.given_name} == {"Khaled", "Kaled"}
    ]
    assert pair.evidence["together"] == {
        "level": "several_alike",
        "weight": pytest.approx(
            json.loads(MODEL_FILE.read_text(encoding="utf-8"))["together"]["several_alike"],
            abs=0.01,
        ),
    }


def _family(clerk, given, family, born, wife, son):
    """A man (only his year of birth known) registered with his wife and son, each given
    as (given name, date of birth); names in Latin letters only."""

    def person(given_name, birth_date, **values):
        return person_input(
            given_name=given_name,
            family_name=family,
            given_name_original="",
            family_name_original="",
            birth_date=birth_date,
            **values,
        )

    return case_register(
        actor=clerk,
        principal=person(given, born, birth_date_precision="year"),
        dependants=[
            MemberInput(person=person(*wife, sex="F"), relationship="spouse"),
            MemberInput(person=person(*son), relationship="child"),
        ],
    )


def test_namesakes_each_with_a_family_of_his_own_weigh_less(personas, tmp_path):
    """Two men of the same name and year of birth (only the year is known), each registered
    with a wife and a son of common names, Fatima and Ali, born on other days. The pairwise
    model sees the same name and the same relatives' names; the people registered with the
    two men match nobody in the other case, and the second look takes its weight off."""
    import pyarrow.parquet as pq

    from nansen.identity import registered_together

    men_ids = set()
    for wife_born, son_born in (
        (date(1984, 2, 11), date(2008, 9, 3)),
        (date(1991, 12, 30), date(2016, 4, 20)),
    ):
        case = _family(
            personas.clerk,
            "Mohammed",
            "Ahmed",
            date(1980, 1, 1),
            ("Fatima", wife_born),
            ("Ali", son_born),
        )
        men_ids.add(case.members.get(relationship="principal").person_id)
    registry(personas)
    call_command("identity", "dedupe", "--workdir", tmp_path / "run", verbosity=0)
    weight = json.loads(MODEL_FILE.read_text(encoding="utf-8"))["together"]["none_alike"]
    [men] = [
        row
        for row in pq.read_table(tmp_path / "run" / "pairs.parquet").to_pylist()
        if {row["unique_id_l"], row["unique_id_r"]} == men_ids
    ]
    assert men["together_level"] == "none_alike" and weight < -4

    def log_odds(p):
        return math.log2(p / (1 - p))

    assert log_odds(men["match_probability"]) - log_odds(men["pairwise_probability"]) == (
        pytest.approx(weight, abs=0.01)
    )
    # the wives and the sons: born on other days, neither pair is proposed
    assert {frozenset(p) for p in CandidatePair.objects.values_list("person_a", "person_b")} == {
        frozenset(men_ids),
        frozenset(
            (Person.objects.get(given_name="Yusuf").pk, Person.objects.get(given_name="Youssef").pk)
        ),
    }
    pair = CandidatePair.objects.get(person_a__in=men_ids, person_b__in=men_ids)
    assert pair.evidence[registered_together.KEY] == {
        "level": "none_alike",
        "weight": pytest.approx(weight, abs=0.01),
    }


def test_an_office_s_own_weights_for_the_people_registered_with_them(personas, tmp_path):
    """Weights re-estimated from the office's decisions (``nansen identity train``) are the
    ones the batch run adds; a level its decisions did not have keeps the shipped weight."""
    shipped = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    own = {"alone": 0.0, "none_alike": -1.0, "one_alike": 1.5, "several_alike": 2.5}
    MatchModel.objects.create(
        persons=12,
        threshold=shipped["threshold"],
        review_threshold=shipped["review_threshold"],
        splink=shipped["splink"],
        together=own,
    )
    for given in ("Khaled", "Khalid"):
        _family(
            personas.clerk,
            given,
            "Haddad",
            date(1980, 1, 1),
            ("Rania", date(1984, 2, 11)),
            ("Omar", date(2008, 9, 3)),
        )
    registry(personas)
    call_command("identity", "dedupe", "--workdir", tmp_path / "run", verbosity=0)
    pair = CandidatePair.objects.get(person_a__given_name__startswith="Khal")
    assert pair.evidence["together"] == {"level": "several_alike", "weight": 2.5}
    # Yusuf and Youssef, each registered alone: a level the office's weights do not have
    alone = CandidatePair.objects.get(person_a__given_name__in=("Yusuf", "Youssef"))
    assert alone.evidence["together"] == {
        "level": "both_alone",
        "weight": pytest.approx(shipped["together"]["both_alone"], abs=0.01),
    }


def test_an_undated_record_meets_the_same_person_written_with_a_middle_name():
    """Farida Younesi, no date of birth, and Farida Ali Younesi, born 1977: no rule on two
    names with a year applies, nor the same names undated; their rarest two names do (Ali
    is the commonest name of this registry, as of most)."""
    require_or_skip("splink")
    from nansen.identity import splink_batch
    from nansen.identity.match_records import record_from_values

    records = [
        record_from_values(key=1, full_name="Farida Younesi", sex="F"),
        record_from_values(
            key=2, full_name="Farida Ali Younesi", sex="F", birth_date=date(1977, 8, 14)
        ),
        *(
            record_from_values(key=3 + i, full_name=f"Ali {family}", birth_date=date(1970, 1, 2))
            for i, family in enumerate(("Haddad", "Nasser", "Aziz", "Karimi"))
        ),
    ]
    table = splink_batch.rows_table(records)
    linker = splink_batch.linker_for(table, splink_batch.settings())
    assert (1, 2) in _proposed(linker)
    # Without the rule on the rarest names, nothing brings them together.
    rules = [r for r in splink_batch.blocking_settings() if "rare" not in r["blocking_rule"]]
    linker = splink_batch.linker_for(table, splink_batch.settings(blocking=rules))
    assert (1, 2) not in _proposed(linker)


def test_a_family_registered_again_meets_itself_past_a_respelled_family_name():
    """Ahmed Kacemi, born 2 March 1979, registered with Fatima and Youssef, and Ahmad
    Qassimi, born 1979, with Fatma, Yusuf and a daughter born since: the family names share
    no outline, so no rule on two names applies, and the households differ by the
    daughter; the given name, the year and two relatives agree."""
    require_or_skip("splink")
    from nansen.identity import splink_batch
    from nansen.identity.match_records import record_from_values

    records = [
        record_from_values(
            key=1,
            full_name="Ahmed Kacemi",
            birth_date=date(1979, 3, 2),
            family=["Fatima", "Youssef"],
        ),
        record_from_values(
            key=2,
            full_name="Ahmad Qassimi",
            birth_date=date(1979, 1, 1),
            birth_date_precision="year",
            family=["Fatma Qassimi", "Yusuf", "Layla"],
        ),
        # Namesakes with one relative in common, or born another year, are not brought in.
        record_from_values(
            key=3, full_name="Ahmed Haddad", birth_date=date(1979, 5, 5), family=["Fatima", "Ali"]
        ),
        record_from_values(
            key=4,
            full_name="Ahmed Nasser",
            birth_date=date(1990, 5, 5),
            family=["Fatima", "Youssef"],
        ),
    ]
    table = splink_batch.rows_table(records)
    assert table.column("family_keys").to_pylist()[:2] == [
        ["ahmd^ftm^ysf|1979"],
        ["ahmd^ftm^l|1979", "ahmd^ftm^ysf|1979", "ahmd^l^ysf|1979"],
    ]
    linker = splink_batch.linker_for(table, splink_batch.settings())
    proposed = _proposed(linker)
    assert (1, 2) in proposed
    assert not {(1, 3), (1, 4), (2, 3), (2, 4)} & proposed
    rules = [r for r in splink_batch.blocking_settings() if "family_keys" not in r["blocking_rule"]]
    linker = splink_batch.linker_for(table, splink_batch.settings(blocking=rules))
    assert (1, 2) not in _proposed(linker)


def _proposed(linker) -> set[tuple[int, int]]:
    """The pairs the linker's blocking rules propose (every pair it scores)."""
    rows = linker.inference.predict().as_record_list()
    return {(row["unique_id_l"], row["unique_id_r"]) for row in rows}


def test_a_child_whose_year_was_mistyped_is_found_through_the_family(personas, tmp_path):
    """Khaled Haddad registered with his wife and their son Omar, born 3 September 2008; the
    family registers again with a daughter born since, and Omar's birth is written as the
    year 2009 only. No blocking rule brings the two Omars together (another year, no day;
    relatives that now include the daughter); the fathers' pair links the two cases, and
    each member of one is compared with each member of the other."""
    import pyarrow.parquet as pq

    def person(given, born, **values):
        return person_input(
            given_name=given,
            family_name="Haddad",
            given_name_original="",
            family_name_original="",
            birth_date=born,
            **values,
        )

    cases = []
    for son_born, precision, daughter in (
        (date(2008, 9, 3), "exact", None),
        (date(2009, 1, 1), "year", date(2020, 6, 1)),
    ):
        dependants = [
            MemberInput(person=person("Rania", date(1984, 2, 11), sex="F"), relationship="spouse"),
            MemberInput(
                person=person("Omar", son_born, sex="M", birth_date_precision=precision),
                relationship="child",
            ),
        ]
        if daughter:
            dependants.append(
                MemberInput(person=person("Salma", daughter, sex="F"), relationship="child")
            )
        cases.append(
            case_register(
                actor=personas.clerk,
                principal=person("Khaled", date(1980, 5, 17), sex="M"),
                dependants=dependants,
            )
        )
    registry(personas)
    call_command("identity", "dedupe", "--workdir", tmp_path / "run", verbosity=0)
    omars = {c.members.get(person__given_name="Omar").person_id for c in cases}
    [row] = [
        r
        for r in pq.read_table(tmp_path / "run" / "pairs.parquet").to_pylist()
        if {r["unique_id_l"], r["unique_id_r"]} == omars
    ]
    assert row["match_key"] == "cases"  # scored through the cases
    assert row["together_level"] == "several_alike"
    assert CandidatePair.objects.filter(person_a__in=omars, person_b__in=omars).exists()
    # the father and the mother are found as before; the son is not paired with his sister
    proposed = {
        frozenset((p.person_a.given_name, p.person_b.given_name))
        for p in CandidatePair.objects.select_related("person_a", "person_b")
    }
    assert proposed == {
        frozenset(("Khaled",)),
        frozenset(("Rania",)),
        frozenset(("Omar",)),
        frozenset(("Yusuf", "Youssef")),
    }
