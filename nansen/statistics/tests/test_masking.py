"""Small numbers are masked for the statistician too, on pages, API and exports; a
supervisor sees the true figures only for a named purpose, recorded, for that request."""

import csv
import io

from django.urls import reverse

from nansen.audit.models import AuditEntry, Channel
from nansen.statistics.masking import statistics_masked
from nansen.statistics.publication import published_counts
from nansen.statistics.rates import DecisionCounts

PURPOSE = "Annual submission to UNHCR"
APPEAL = {"by": ["instance", "year"]}
OUTCOMES = ("recognized", "complementary", "rejected", "closed")


def _appeal(document) -> tuple:
    row = next(r for r in document["rows"] if r["instance"] == "appeal")
    return row["recognized"], row["rejected"]


def test_the_statistician_sees_small_numbers_masked_in_the_api(client, personas, caseload):
    client.force_login(personas.statistician)
    assert _appeal(client.get("/api/statistics/decisions", APPEAL).json()) == (5, 5)
    stock = client.get("/api/statistics/stock", {"on": "2024-06-30"}).json()
    assert {r["origin"]: r["pending"] for r in stock["rows"]} == {"SYR": 5, "AFG": 5}
    legacy = client.get("/api/statistics").json()
    assert all(r["recognized"] not in (1, 2, 3, 4) for r in legacy)
    exported = client.get("/api/statistics/exports/decisions.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert {r["dec_recognized"] for r in rows} <= {"0", "5"} | {str(n) for n in range(5, 999)}


def test_the_statistician_sees_small_numbers_masked_on_the_pages(client, personas, caseload):
    client.force_login(personas.statistician)
    page = client.get(reverse("statistics:statistics"))
    assert page.context["published"] is True
    counts = [getattr(row.counts, o) for row in page.context["table"].rows for o in OUTCOMES]
    assert counts and not set(counts) & {1, 2, 3, 4}
    assert "counts from 1 to 4 are shown as 5" in page.text
    assert 'name="unmask"' not in page.text
    breakdown = client.get(reverse("statistics:statistics_breakdown"), APPEAL)
    table = breakdown.context["table"]
    shown = {getattr(r.counts, o) for r in table.rows for o in OUTCOMES}
    assert table.published and not shown & {1, 2, 3, 4}
    export = client.get(reverse("statistics:statistics_export", args=["decisions", "csv"]))
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    first = next(r for r in rows if (r["year"], r["dec_level"]) == ("2024", "FI"))
    assert [first[c] for c in ("dec_recognized", "dec_other", "dec_closed")] == ["5", "5", "5"]


def test_the_statistician_cannot_unmask(client, personas, caseload):
    client.force_login(personas.statistician)
    asked = {**APPEAL, "unmask": "true", "purpose": PURPOSE}
    assert client.get("/api/statistics/decisions", asked).status_code == 404
    assert (
        client.get(
            reverse("statistics:statistics"), {"unmask": "on", "purpose": PURPOSE}
        ).status_code
        == 404
    )
    assert not AuditEntry.objects.filter(action="statistics_unmasked").exists()


def test_a_supervisor_unmasking_without_a_purpose_is_refused(client, personas, caseload):
    client.force_login(personas.supervisor)
    for purpose in ("", "   ", "because"):
        refused = client.get(
            "/api/statistics/decisions", {**APPEAL, "unmask": "true", "purpose": purpose}
        )
        assert refused.status_code == 400
        assert "named purpose" in refused.json()["detail"]
    page = client.get(reverse("statistics:statistics_breakdown"), {**APPEAL, "unmask": "on"})
    assert page.status_code == 200
    assert "named purpose" in page.text
    assert page.context["table"].published
    assert not AuditEntry.objects.filter(action="statistics_unmasked").exists()


def test_a_supervisor_unmasks_for_a_named_purpose_and_it_is_recorded(client, personas, caseload):
    client.force_login(personas.supervisor)
    asked = {**APPEAL, "unmask": "true", "purpose": f"  {PURPOSE} "}
    assert _appeal(client.get("/api/statistics/decisions", asked).json()) == (1, 1)
    page = client.get(
        reverse("statistics:statistics_breakdown"), {**APPEAL, "unmask": "on", "purpose": PURPOSE}
    )
    assert not page.context["table"].published
    entries = AuditEntry.objects.filter(action="statistics_unmasked").order_by("pk")
    assert [(e.user_id, e.details["purpose"], e.details["view"]) for e in entries] == [
        (personas.supervisor.pk, PURPOSE, "decisions"),
        (personas.supervisor.pk, PURPOSE, "breakdown"),
    ]
    assert [e.channel for e in entries] == ["api", "page"]
    # For that request only: the next one is masked again.
    assert _appeal(client.get("/api/statistics/decisions", APPEAL).json()) == (5, 5)


def test_it_masks_what_asks_for_no_unmasking(personas):
    for channel in (Channel.PAGE, Channel.API, Channel.COMMAND):
        assert statistics_masked(user=personas.supervisor, view="compare", channel=channel)


def test_it_gives_the_command_line_the_true_figures_without_a_purpose(personas):
    assert not statistics_masked(
        user=personas.statistician, view="stats", channel=Channel.COMMAND, unmask=True
    )
    assert not AuditEntry.objects.filter(action="statistics_unmasked").exists()


def test_it_publishes_each_outcome_by_the_small_number_rule():
    shown, masked = published_counts(DecisionCounts(recognized=2, complementary=1, closed=7))
    assert (shown, masked) == (DecisionCounts(5, 5, 0, 7), True)
    assert published_counts(DecisionCounts(rejected=6)) == (DecisionCounts(rejected=6), False)
