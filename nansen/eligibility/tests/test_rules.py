"""Every consistency rule of the assessment, and what makes each part complete.

The rules read a ``Findings`` snapshot; each case below breaks exactly one rule, starting
from an assessment that is complete and consistent."""

from dataclasses import replace
from datetime import date

import pytest

from nansen.eligibility.rules import (
    RULES,
    CitedSource,
    FactView,
    Findings,
    GroundView,
    check,
)


def grounds(established=("political_opinion",), claimed=("political_opinion",)):
    return [
        GroundView(
            g, g, g in claimed, "established" if g in established else "not_established", True
        )
        for g in ("race", "religion", "nationality", "social_group", "political_opinion")
    ]


def complementary(established=()):
    return [
        GroundView(g, g, False, "established" if g in established else "not_established", True)
        for g in ("torture", "indiscriminate_violence")
    ]


def refugee(**overrides) -> Findings:
    """A complete assessment recognising a refugee: every element established."""
    values = dict(
        facts=[FactView(1, "accepted", True, False, None)],
        fear="established",
        fear_reasons=True,
        harm=True,
        harm_agent="state",
        harm_serious=True,
        persecution="established",
        persecution_reasons=True,
        nexus=grounds(),
        protection="not_available",
        protection_reasons=True,
        relocation="not_applicable",
        relocation_reasons=True,
        exclusion="no_indication",
        complementary=complementary(),
        conclusion="recognized",
        conclusion_reasons=True,
        allowed_conclusions=["recognized", "complementary", "rejected"],
        cited=[CitedSource("fear", date(2025, 6, 1))],
        stale_before=date(2024, 1, 1),
    )
    values.update(overrides)
    return Findings(**values)


NO_NEXUS = {"nexus": grounds(established=())}
# UNHCR's mandate: the profile's kind of decision for the broader mandate adds its conclusion.
UNHCR = {"allowed_conclusions": ["recognized", "recognized_broader", "rejected"]}
VIOLENCE = {"complementary": complementary(established=("indiscriminate_violence",))}

# rule id -> the findings that break it (and only it, among the rules)
BREAKING = {
    "recognition_needs_credible_facts": refugee(facts=[FactView(1, "rejected", True, True, True)]),
    "recognition_needs_well_founded_fear": refugee(fear="not_established"),
    "recognition_needs_persecution": refugee(persecution="not_established"),
    "recognition_needs_nexus": refugee(**NO_NEXUS),
    "recognition_refused_when_state_protects": refugee(
        harm_agent="non_state", protection="available"
    ),
    "recognition_refused_when_relocation_available": refugee(
        harm_agent="non_state", relocation="available", relocation_area=True
    ),
    "exclusion_bars_recognition": refugee(
        exclusion="triggered", exclusion_clauses=["b"], exclusion_reasons=True
    ),
    "rejection_while_all_elements_established": refugee(conclusion="rejected"),
    "complementary_while_refugee": refugee(
        conclusion="complementary", complementary=complementary(established=("torture",))
    ),
    "complementary_needs_ground": refugee(conclusion="complementary", **NO_NEXUS),
    "broader_mandate_while_refugee": refugee(conclusion="recognized_broader", **VIOLENCE, **UNHCR),
    "broader_mandate_needs_ground": refugee(conclusion="recognized_broader", **NO_NEXUS, **UNHCR),
    "rejection_while_complementary_ground_established": refugee(
        conclusion="rejected",
        complementary=complementary(established=("torture",)),
        **NO_NEXUS,
    ),
    "conclusion_allowed_by_procedure": refugee(
        conclusion="complementary",
        allowed_conclusions=["recognized", "rejected"],
        complementary=complementary(established=("torture",)),
        **NO_NEXUS,
    ),
    "rejected_fact_names_inconsistency": refugee(
        facts=[
            FactView(1, "accepted", True, False, None),
            FactView(2, "rejected", True, False, None),
        ]
    ),
    "protection_from_persecuting_state": refugee(protection="available", conclusion="rejected"),
    "relocation_names_area": refugee(
        harm_agent="non_state", relocation="not_reasonable", relocation_area=False
    ),
    "exclusion_triggered_names_clause": refugee(
        exclusion="triggered",
        exclusion_reasons=True,
        conclusion="rejected",
        complementary=complementary(),
    ),
    "relocation_where_state_persecutes": refugee(
        relocation="available", relocation_area=True, conclusion="rejected"
    ),
    "fear_without_country_information": refugee(cited=[]),
    "stale_source_cited": refugee(cited=[CitedSource("fear", date(2023, 6, 1))]),
}
# Some situations break a second rule too, on purpose.
ALSO = {
    "exclusion_triggered_names_clause": {"exclusion_bars_recognition"},
    "conclusion_allowed_by_procedure": set(),
}


def test_every_rule_is_covered_here():
    assert set(BREAKING) == {rule.id for rule in RULES}


def test_a_complete_recognition_breaks_no_rule():
    assert check(refugee()) == []


@pytest.mark.parametrize("rule_id", sorted(BREAKING))
def test_each_rule_is_broken_by_its_case(rule_id):
    broken = {i.rule for i in check(BREAKING[rule_id]) if not i.rule.endswith("_incomplete")}
    assert rule_id in broken
    assert broken - {rule_id} <= ALSO.get(rule_id, set())


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_each_rule_cites_its_legal_source_and_says_what_is_wrong(rule):
    assert rule.source
    assert len(str(rule.message)) > 30
    assert rule.severity in ("error", "warning")


def test_recognition_without_nexus_says_why():
    (issue,) = [i for i in check(refugee(**NO_NEXUS)) if i.blocking]
    assert issue.message == (
        "Recognition needs a Convention ground: none of the five grounds is established."
    )
    assert "Art. 1A(2)" in issue.source


def test_warnings_do_not_block():
    issues = check(refugee(cited=[]))
    assert [i.severity for i in issues] == ["warning"]
    assert not any(i.blocking for i in issues)


@pytest.mark.parametrize(
    ("overrides", "part", "missing"),
    [
        ({"facts": []}, "facts", "no material fact is recorded"),
        ({"facts": [FactView(1, "", False, False, None)]}, "facts", "no credibility finding"),
        ({"facts": [FactView(1, "accepted", False, False, None)]}, "facts", "has no reasons"),
        ({"fear": ""}, "fear", "no finding"),
        ({"fear_reasons": False}, "fear", "no reasons"),
        ({"harm": False}, "persecution", "the harm is not described"),
        ({"harm_agent": ""}, "persecution", "agent of persecution is not named"),
        ({"harm_serious": None}, "persecution", "seriousness is not assessed"),
        ({"nexus": [replace(g, finding="") for g in grounds()]}, "nexus", "has no finding"),
        (
            {"nexus": [replace(g, has_reasons=False) for g in grounds()]},
            "nexus",
            "“political_opinion” has no reasons",
        ),
        ({"protection": ""}, "protection", "no finding"),
        ({"relocation_reasons": False}, "relocation", "no reasons"),
        ({"exclusion": ""}, "exclusion", "not screened"),
        ({"conclusion": "", "conclusion_reasons": False}, "conclusion", "no finding; no reasons"),
        (
            {"conclusion": "rejected", "complementary": [], **NO_NEXUS},
            "complementary",
            "not considered",
        ),
    ],
)
def test_an_incomplete_part_is_named(overrides, part, missing):
    issues = [i for i in check(refugee(**overrides)) if i.rule == f"{part}_incomplete"]
    assert len(issues) == 1
    assert missing in issues[0].message


def test_unclaimed_grounds_found_not_established_need_no_reasons():
    nexus = [replace(g, has_reasons=g.ground == "political_opinion") for g in grounds()]
    assert check(refugee(nexus=nexus)) == []


def test_complementary_grounds_are_not_needed_for_a_recognition():
    assert check(refugee(complementary=[])) == []


def test_a_claim_resting_on_indiscriminate_violence_without_a_convention_ground():
    """Under UNHCR's mandate such a claim is recognised under the broader mandate; every other
    conclusion is refused, and a procedure without the broader mandate (jp-icrra) offers it not."""
    claim = {**NO_NEXUS, **VIOLENCE, **UNHCR}
    assert check(refugee(conclusion="recognized_broader", **claim)) == []

    def broken(conclusion, **overrides):
        issues = check(refugee(conclusion=conclusion, **{**claim, **overrides}))
        return {i.rule for i in issues if i.blocking}

    assert broken("recognized") == {"recognition_needs_nexus"}
    assert broken("rejected") == {"rejection_while_complementary_ground_established"}
    assert broken(
        "recognized_broader", allowed_conclusions=["recognized", "complementary", "rejected"]
    ) == {"conclusion_allowed_by_procedure"}
    assert broken("recognized_broader", facts=[FactView(1, "rejected", True, True, True)]) == {
        "recognition_needs_credible_facts"
    }
    assert broken(
        "recognized_broader",
        exclusion="triggered",
        exclusion_clauses=["a"],
        exclusion_reasons=True,
    ) == {"exclusion_bars_recognition"}
    assert broken("recognized_broader", complementary=[]) == {
        "complementary_incomplete",
        "broader_mandate_needs_ground",
    }
    (issue,) = check(
        refugee(
            conclusion="recognized_broader",
            **{**claim, "complementary": complementary()},
        )
    )
    assert issue.message.startswith("Recognition under UNHCR's broader mandate needs")
    assert "Note on the Mandate" in issue.source and "Resettlement Handbook" in issue.source
