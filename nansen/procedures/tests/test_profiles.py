"""Profiles are data, checked when loaded."""

import tomllib
from datetime import date

import pytest
from pydantic import ValidationError

from nansen.procedures import profiles
from nansen.procedures.profiles import ProfileError, load_file

MINIMAL = """
id = "test"
initial_stage = "lodged"
default_mode = "regular"
name = { en = "Test", ja = "テスト", ar = "اختبار" }
appeal_body = { en = "Body", ja = "機関", ar = "هيئة" }
[sources.law]
short = "Law"
title = "The Law"
[counting.days]
first_day = "not_counted"
source = "law Art. 1"
[modes.regular]
decision_without_interview = false
source = "law Art. 2"
label = { en = "Regular", ja = "通常", ar = "عادي" }
[stages.lodged]
pending = true
[stages.refused]
[steps.decide]
from = ["lodged"]
to = { rejected = "refused" }
roles = ["eligibility_officer"]
source = "law Art. 3"
[deadlines.appeal]
starts = "notified"
period = { days = 30 }
counting = "days"
met_by = ["decide"]
party = "applicant"
source = "law Art. 4"
label = { en = "Appeal", ja = "不服申立て", ar = "استئناف" }
[appeal]
excluded = ["first_instance_decider"]
source = "law Art. 5"
"""


def _load(tmp_path, text: str):
    path = tmp_path / "test.toml"
    path.write_text(text, encoding="utf-8")
    return load_file(path)


def test_the_shipped_profiles_load_and_name_their_rules():
    loaded = profiles.profiles()
    assert set(loaded) >= {"jp-icrra", "unhcr-mandate"}
    assert {"review-request", "court-action"} <= set(loaded["jp-icrra"].rule_ids())
    assert {"appeal", "appeal-late"} <= set(loaded["unhcr-mandate"].rule_ids())


def test_every_rule_of_the_shipped_profiles_cites_its_source():
    for profile in profiles.profiles().values():
        for rule in profile.deadlines.values():
            assert rule.citations, (profile.id, rule.id)
        for step in profile.steps.values():
            assert step.citations and step.roles, (profile.id, step.id)


def test_a_minimal_profile_loads(tmp_path):
    profile = _load(tmp_path, MINIMAL)
    assert profile.outcomes == ["rejected"]
    assert str(profile.steps["decide"].citations[0]) == "Law Art. 3"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            (
                "[stages.refused]",
                "[stages.refused]\n[stages.orphan]\nlabel = { en = 'O', ja = 'O', ar = 'O' }",
            ),
            "stages.orphan: no step of the profile reaches this stage",
        ),
        (('roles = ["eligibility_officer"]', "roles = []"), "a step needs the roles"),
        (('roles = ["eligibility_officer"]', 'roles = ["janitor"]'), "unknown role 'janitor'"),
        (('source = "law Art. 4"\n', ""), "deadlines.appeal: no legal source"),
        (
            ('source = "law Art. 4"', 'source = "statute Art. 4"'),
            "source 'statute' is not declared",
        ),
        (
            (
                'label = { en = "Appeal", ja = "不服申立て", ar = "استئناف" }',
                'label = { en = "Appeal", ja = "不服申立て" }',
            ),
            "exactly the languages en, ja, ar",
        ),
        (('starts = "notified"', 'starts = "whenever"'), "`starts` must be one of"),
        (
            (
                "[steps.decide]",
                "[steps.fly]\nfrom = ['lodged']\nto = 'refused'\nroles = ['clerk']\n"
                "source = 'law Art. 9'\n[steps.decide]",
            ),
            "the engine has no step 'fly'",
        ),
    ],
)
def test_a_broken_profile_is_refused_with_the_problem_named(tmp_path, change, problem):
    old, new = change
    assert old in MINIMAL
    with pytest.raises(ProfileError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        _load(tmp_path, MINIMAL.replace(old, new, 1))


def test_every_problem_is_listed_at_once(tmp_path):
    text = MINIMAL.replace('roles = ["eligibility_officer"]', "roles = []").replace(
        'source = "law Art. 4"\n', ""
    )
    with pytest.raises(ProfileError) as caught:
        _load(tmp_path, text)
    assert "a step needs the roles" in str(caught.value)
    assert "no legal source" in str(caught.value)


def test_the_shipped_files_are_valid_toml():
    for path in profiles.DATA_DIR.glob("*.toml"):
        tomllib.loads(path.read_text(encoding="utf-8"))


def test_it_names_the_file_and_the_place_of_a_problem(tmp_path):
    text = MINIMAL.replace("[steps.decide]\n", "[steps.decide]\nfoo = 1\n")
    with pytest.raises(ProfileError, match=r"^test\.toml: steps\.decide: unknown key 'foo'$"):
        _load(tmp_path, text)


def test_it_names_the_item_of_a_list(tmp_path):
    text = MINIMAL.replace('roles = ["eligibility_officer"]', 'roles = ["clerk", "janitor"]')
    with pytest.raises(ProfileError, match=r"steps\.decide\.roles\[1\]: unknown role 'janitor'"):
        _load(tmp_path, text)


def test_it_refuses_an_id_written_in_a_table_whose_key_is_the_id(tmp_path):
    text = MINIMAL.replace("[steps.decide]\n", "[steps.decide]\nid = 'decide'\n")
    with pytest.raises(ProfileError, match=r"steps\.decide: unknown key 'id'"):
        _load(tmp_path, text)


def test_it_refuses_a_day_written_as_text(tmp_path):
    text = MINIMAL.replace("[stages.refused]\n", "[stages.refused]\nin_force_from = '2024-06-10'\n")
    with pytest.raises(ProfileError, match=r"stages\.refused: `in_force_from` must be a date"):
        _load(tmp_path, text)


def test_it_lists_a_broken_source_once_not_at_every_citation_of_it(tmp_path):
    text = MINIMAL.replace('title = "The Law"\n', "")
    with pytest.raises(ProfileError) as caught:
        _load(tmp_path, text)
    assert str(caught.value) == "test.toml: sources.law: missing `title`"


def test_it_names_the_file_that_is_not_valid_toml(tmp_path):
    with pytest.raises(ProfileError, match=r"^test\.toml: not valid TOML"):
        _load(tmp_path, MINIMAL + "\nid =\n")


def test_it_keeps_a_loaded_profile_unchanged():
    decide = profiles.get("jp-icrra").steps["decide"]
    with pytest.raises(ValidationError):
        decide.roles = frozenset()


def test_it_computes_the_profile_of_a_day_once():
    profile = profiles.get("jp-icrra")
    assert profile.on(date(2024, 6, 10)) is profile.on(date(2024, 6, 10))
