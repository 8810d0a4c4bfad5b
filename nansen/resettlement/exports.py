"""Referrals and fulfilment as CSV or XLSX (openpyxl).

Referral exports carry case numbers and counts, not names (data minimisation): enough to
follow a pledge, nothing more. Text that a spreadsheet would run as a formula is defused
(nansen.core.spreadsheet).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from nansen.core.downloads import content_disposition
from nansen.core.spreadsheet import spreadsheet_cell
from nansen.registration.guard import NOBODY, Recipient, guard_check, outward_road
from nansen.registration.models import Case
from nansen.resettlement.models import (
    Pledge,
    Priority,
    ProgrammeType,
    Referral,
    ReferralStatus,
    RejectionReason,
    SubmissionCategory,
    WithdrawalReason,
)
from nansen.resettlement.selectors import Fulfilment, Period

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _percent(value: float | None):
    return "" if value is None else round(value, 1)


def referral_columns() -> list[str]:
    return [
        _("Referral"),
        _("Case"),
        _("Office"),
        _("Pledge"),
        _("Receiving country"),
        _("Programme"),
        _("Persons"),
        _("Submission categories"),
        _("Priority"),
        _("Status"),
        _("In this status since"),
        _("Identified"),
        _("Submitted"),
        _("Accepted"),
        _("Rejected"),
        _("Withdrawn"),
        _("Departed"),
        _("Arrived"),
        _("Reason"),
    ]


REFERRAL_FIELDS = (
    "pk",
    "case__number",
    "office__code",
    "pledge_id",
    "receiving_country",
    "programme_type",
    "persons_count",
    "categories",
    "priority",
    "status",
    "status_on",
    "identified_on",
    "submitted_on",
    "accepted_on",
    "rejected_on",
    "withdrawn_on",
    "departed_on",
    "arrived_on",
    "rejection_reason",
    "withdrawal_reason",
)


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def referral_rows(referrals: QuerySet[Referral]) -> Iterable[list]:
    """One row per referral, read as plain values and labelled from dictionaries built once
    (tens of thousands of rows in a few hundred milliseconds)."""
    programmes, priorities = _labels(ProgrammeType), _labels(Priority)
    statuses, categories = _labels(ReferralStatus), _labels(SubmissionCategory)
    rejection, withdrawal = _labels(RejectionReason), _labels(WithdrawalReason)
    for row in referrals.values_list(*REFERRAL_FIELDS).iterator(chunk_size=2000):
        values = dict(zip(REFERRAL_FIELDS, row, strict=True))
        reason = rejection.get(values["rejection_reason"]) or withdrawal.get(
            values["withdrawal_reason"], ""
        )
        yield [
            values["pk"],
            values["case__number"],
            values["office__code"],
            values["pledge_id"] or "",
            values["receiving_country"],
            programmes.get(values["programme_type"], values["programme_type"]),
            values["persons_count"],
            "; ".join(categories.get(c, c) for c in values["categories"]),
            priorities.get(values["priority"], values["priority"]),
            statuses.get(values["status"], values["status"]),
            values["status_on"],
            values["identified_on"],
            values["submitted_on"],
            values["accepted_on"],
            values["rejected_on"],
            values["withdrawn_on"],
            values["departed_on"],
            values["arrived_on"],
            reason,
        ]


@outward_road(
    "referral_export",
    description="Referrals as a file: case numbers against their receiving countries",
)
def referral_export_check(*, actor, referrals: QuerySet[Referral]) -> None:
    """Refuse a referral export in which a case stands against a country the guard shields
    for one of its members (a member's feared country recorded after the referral, say).

    Such a file is how a list reaches a receiving state's officials; the referral must be
    withdrawn first (UNHCR Policy on the Protection of Personal Data of Persons of Concern,
    2015, para. 6.1). Aggregate exports (fulfilment, statistics) carry no personal data and
    are no road.
    """
    by_country: dict[str, set[int]] = defaultdict(set)
    for case_id, country in referrals.order_by().values_list("case_id", "receiving_country"):
        by_country[country].add(case_id)
    for country, case_ids in sorted(by_country.items()):
        guard_check(
            road="referral_export",
            recipient=Recipient(kind="resettlement", country=country),
            cases=Case.objects.filter(pk__in=case_ids).order_by("pk"),
        )
    if not by_country:
        guard_check(road="referral_export", recipient=NOBODY, cases=[])


def _fulfilment_cells(f: Fulfilment) -> list:
    return [
        f.places,
        f.identified,
        f.submitted,
        f.accepted,
        f.departed,
        f.arrived,
        f.rejected,
        f.withdrawn,
        _percent(f.share_fulfilled),
    ]


def _fulfilment_columns() -> list[str]:
    return [
        _("Places pledged"),
        _("Persons identified"),
        _("Persons submitted"),
        _("Persons accepted"),
        _("Persons departed"),
        _("Persons arrived"),
        _("Persons rejected"),
        _("Persons withdrawn"),
        _("Share fulfilled (%)"),
    ]


def fulfilment_columns() -> list[str]:
    return [
        _("Pledge"),
        _("Receiving country"),
        _("Programme"),
        _("Title"),
        _("Period from"),
        _("Period until"),
        *_fulfilment_columns(),
    ]


def fulfilment_rows(summaries: Sequence[tuple[Pledge, Fulfilment]]) -> Iterable[list]:
    for pledge, f in summaries:
        yield [
            pledge.pk,
            pledge.receiving_country,
            pledge.get_programme_type_display(),
            pledge.title,
            pledge.period_start,
            pledge.period_end,
            *_fulfilment_cells(f),
        ]


def period_columns() -> list[str]:
    return [_("Period"), _("From"), _("Until"), *_fulfilment_columns()]


def period_rows(periods: Sequence[Period]) -> Iterable[list]:
    for period in periods:
        yield [period.label, period.start, period.end, *_fulfilment_cells(period.fulfilment)]


def render(fmt: str, *, name: str, columns: list[str], rows: Iterable[list]) -> HttpResponse:
    """The table as a download, named ``nansen-<name>-<timestamp>.<fmt>``."""
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=name[:31])
        sheet.append(columns)
        for row in rows:
            sheet.append([spreadsheet_cell(v) for v in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        body = buffer.getvalue()
    else:
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(columns)
        writer.writerows([spreadsheet_cell(v) for v in row] for row in rows)
        body = text.getvalue().encode("utf-8")
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = content_disposition(f"nansen-{name}-{stamp}.{fmt}")
    return response
