"""The batch run over the registry: candidate pairs into the review queue, resumable."""

from datetime import date

from django.core.management import call_command

from nansen.identity.models import CandidatePair, DedupeRun
from nansen.registration.services import case_register
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
