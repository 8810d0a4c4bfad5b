"""The batch run over the registry: candidate pairs into the review queue, resumable."""

import json
from datetime import date

from django.core.management import call_command

from nansen.identity.model import MODEL_FILE
from nansen.identity.models import CandidatePair, DedupeRun, MatchModel
from nansen.registration.services import MemberInput, case_register
from nansen.testing import person_input

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
