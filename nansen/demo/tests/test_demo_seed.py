"""``nansen demo_seed``: the demo installation, its synthetic caseload and its refusals."""

from __future__ import annotations

import csv
import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F
from django.utils import timezone

from nansen.accounts.models import Office, RoleGrant, User
from nansen.accounts.roles import Action, Role
from nansen.audit.models import CaseEvent, Verb
from nansen.core.reference import country_codes, language_codes
from nansen.demo.caseload import (
    APPLICATIONS_FILE,
    USERS,
    load_demo_data,
    plan_caseload,
    read_applications,
)
from nansen.demo.management.commands.demo_seed import default_data_dir
from nansen.demo.origins import FALLBACK, ORIGINS, communities
from nansen.procedures.models import Application, Decision, Outcome
from nansen.registration.models import Case, Person
from nansen.testing import skip_or_fail

DATA_DIR = default_data_dir()
ARABIC_LETTER = re.compile(r"[\u0600-\u06FF]")


@pytest.fixture(autouse=True)
def _reference_data():
    if not (DATA_DIR / APPLICATIONS_FILE).is_file():
        skip_or_fail(f"no reference data at {DATA_DIR}")


def seed(**options) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("demo_seed", stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def most_applications_from(country_of_asylum: str) -> str:
    """Read the UNHCR file independently of the code under test."""
    counts: Counter = Counter()
    with (DATA_DIR / APPLICATIONS_FILE).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            recent = int(float(row["year"])) >= 2015
            if row["coa_iso"] == country_of_asylum and recent and row["coo_iso"] in country_codes():
                counts[row["coo_iso"]] += int(float(row["applied"]))
    return counts.most_common(1)[0][0]


def test_seeds_the_demo_installation(db):
    out, err = seed(persons=150, seed=1)

    # A user for every role, and every login printed.
    granted = set(RoleGrant.objects.values_list("role", flat=True))
    assert granted == set(Role.values)
    for user in User.objects.all():
        assert user.username in out
        assert user.check_password("nansen-demo-2026")
    assert {u.username for u in User.objects.all()} == {spec.username for spec in USERS}
    assert "nansen-demo-2026" in out
    admin = User.objects.get(username="admin")
    assert admin.may(Action.ADMINISTER) and not admin.may(Action.VIEW_CASEWORK)
    assert not User.objects.filter(is_superuser=True).exists()
    assert set(Office.objects.values_list("code", flat=True)) == {"TKY", "OSA", "UNKL", "JLNR"}
    assert "100 %" in err

    # About 150 persons in family cases, in the three casework offices.
    persons = Person.objects.count()
    assert 150 <= persons <= 157
    assert Case.objects.count() < persons
    assert set(Person.objects.values_list("office__code", flat=True)) <= {"TKY", "OSA", "UNKL"}
    assert Person.objects.filter(office__code="TKY").count() > persons / 3

    # Countries of origin follow the applications lodged in Japan.
    japan = Person.objects.filter(office__code__in=["TKY", "OSA"])
    assert japan.filter(country_of_origin=most_applications_from("JPN")).exists()

    # Some names in Arabic script with a Latin form.
    arabic = [
        p
        for p in Person.objects.exclude(given_name_original="")
        if ARABIC_LETTER.search(p.given_name_original)
    ]
    assert arabic
    assert all(p.given_name and p.given_name.isascii() for p in arabic)

    # Applications, interviews and decisions, each recorded by the person whose job it is.
    today = timezone.localdate()
    assert Application.objects.count() > persons / 2
    assert Application.objects.exclude(interview_on=None).exists()
    assert not Application.objects.filter(lodged_on__gt=today).exists()
    assert not Application.objects.filter(interview_on__lt=F("lodged_on")).exists()
    decisions = Decision.objects.select_related("application", "decided_by")
    assert decisions.exists()
    for decision in decisions:
        assert decision.application.lodged_on <= decision.decided_on <= today
        assert decision.reasons
        if decision.application.office.code == "TKY":
            assert decision.decided_by.username in {"officer", "supervisor"}
    assert not Application.objects.filter(case__created_by__username="officer").exists()

    # The lawyer represents some Tokyo cases, and only Tokyo cases.
    lawyer = User.objects.get(username="lawyer")
    represented = Case.objects.visible_to(lawyer)
    assert represented.exists()
    assert set(represented.values_list("office__code", flat=True)) == {"TKY"}

    # Every step is in the case history, dated as it happened, never in the future.
    now = timezone.now()
    assert not CaseEvent.objects.filter(at__gt=now).exists()
    assert CaseEvent.objects.filter(verb=Verb.DECISION_RECORDED).count() == decisions.count()
    for case in Case.objects.prefetch_related("events"):
        events = sorted(case.events.all(), key=lambda e: e.pk)
        assert events[0].verb == Verb.CASE_REGISTERED
        assert events[0].at == case.created_at
        assert [e.at for e in events] == sorted(e.at for e in events)
    oldest = CaseEvent.objects.order_by("at").first()
    assert oldest.at.year < today.year - 2


def test_every_outcome_is_decided_somewhere(db):
    out, _err = seed(persons=400, seed=3)
    outcomes = set(Decision.objects.values_list("outcome", flat=True))
    assert outcomes == set(Outcome.values)
    closed = Decision.objects.filter(outcome=Outcome.CLOSED)
    assert not closed.filter(closure_reason="").exists()
    assert Application.objects.filter(ordinal__gt=1).exists()  # repeat applications
    assert "rejected" in out


def test_the_same_seed_gives_the_same_caseload(db):
    data = load_demo_data(DATA_DIR)
    today, now = timezone.localdate(), timezone.now()

    def latin_names(plan) -> list[tuple[str, str]]:
        return [(m.person.given_name, m.person.family_name) for c in plan for m in c.members]

    first = plan_caseload(data, persons=120, seed=7, today=today, now=now)
    again = plan_caseload(data, persons=120, seed=7, today=today, now=now)
    other = plan_caseload(data, persons=120, seed=8, today=today, now=now)
    assert first == again
    assert latin_names(first) != latin_names(other)

    # The command carries out exactly that plan.
    seed(persons=120, seed=7)
    stored = Counter(Person.objects.values_list("given_name", "family_name"))
    assert stored == Counter(latin_names(first))


def test_a_database_with_offices_is_refused(db):
    seed(persons=5, seed=1)
    counts = (Office.objects.count(), User.objects.count(), Person.objects.count())
    with pytest.raises(CommandError, match="already has"):
        seed(persons=5, seed=2)
    assert (Office.objects.count(), User.objects.count(), Person.objects.count()) == counts


def test_missing_data_is_named(db, tmp_path):
    with pytest.raises(CommandError, match=re.escape(str(tmp_path / "nowhere"))):
        seed(persons=5, data=tmp_path / "nowhere")
    (tmp_path / "unhcr").mkdir()
    with pytest.raises(CommandError, match=re.escape("asylum_applications.csv")):
        seed(persons=5, data=tmp_path)
    assert not Office.objects.exists()


def test_a_short_password_is_refused(db):
    with pytest.raises(CommandError, match="12 characters"):
        seed(persons=5, password="too-short")
    assert not Office.objects.exists()


def test_na_is_a_value_not_a_missing_one(tmp_path):
    path = tmp_path / "applications.csv"
    path.write_text(
        "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,procedure_type,app_type,dec_level,"
        "app_pc,applied\n"
        "2020,Namibia,NAM,NAM,Japan,JPN,JPN,G,N,NA,P,7\n"
        "2020,Sri Lanka,SRL,LKA,Japan,JPN,JPN,G,N,FI,P,11\n"
        "2020,Sri Lanka,SRL,LKA,Japan,JPN,JPN,G,A,AR,C,99\n"
        "2014,Sri Lanka,SRL,LKA,Japan,JPN,JPN,G,N,FI,P,500\n",
        encoding="utf-8",
    )
    by_origin, by_year = read_applications(path, {"JPN"})
    # The "NA" level (new applications) counts; appeals and years before 2015 do not.
    assert by_origin["JPN"] == Counter({"LKA": 11, "NAM": 7})
    assert by_year["JPN"] == {2020: 18}


def test_every_origin_in_the_data_has_a_community_with_real_languages():
    data = load_demo_data(DATA_DIR)
    for asylum_country, origins in data.origin_counts.items():
        for origin in origins:
            assert communities(origin, asylum_country) is not FALLBACK, origin
    for options in ORIGINS.values():
        for community, _weight in options:
            for language, _share in community.languages:
                assert language in language_codes(), language
            for language in community.second_languages:
                assert language in language_codes(), language
            assert community.pool in data.pools
