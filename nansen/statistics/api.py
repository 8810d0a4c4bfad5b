"""The statistics over REST: the same selectors as the pages and `nansen stats`."""

from __future__ import annotations

from django.utils import timezone
from ninja import Query, Router

from nansen.api.schemas import ErrorOut
from nansen.api.types import IsoDate
from nansen.audit.models import Channel
from nansen.audit.services import audit_record
from nansen.core.downloads import attachment_response
from nansen.core.permissions import NotAllowed
from nansen.procedures.models import Instance
from nansen.statistics import exports
from nansen.statistics.comparison import benchmark, comparison_series
from nansen.statistics.consistency import office_consistency
from nansen.statistics.cube import Filters
from nansen.statistics.forms import YEAR
from nansen.statistics.masking import MAX_PURPOSE_CHARS, statistics_masked
from nansen.statistics.schemas import OverviewRowOut
from nansen.statistics.selectors import (
    application_table,
    decision_table,
    overview_row_dicts,
    overview_table,
    processing_times,
    report_as_dict,
    statistics_report,
    stock_on,
)

router = Router(tags=["statistics"])


ERRORS = {400: ErrorOut, 404: ErrorOut}
BY = Query(None, description="Dimensions to break down by; repeat the parameter for several.")
# The years the statistics cover: the forms' bounds (nansen/statistics/forms.py), so that the
# API refuses a year no table can hold with 422 instead of failing on it.
YEAR_BOUNDS = {"ge": YEAR["min_value"], "le": YEAR["max_value"]}
OPTIONAL_YEAR = Query(None, **YEAR_BOUNDS)


UNMASK = Query(False, description="Small numbers unmasked: supervisors, with ``purpose``")
# The purpose's length is checked by statistics.masking (400 with the reason): a maximum in
# the OpenAPI document invites clients and fuzzers to send longer ones, which a server's
# request-line limit answers with its own page before Nansen sees them.
PURPOSE = Query(
    "",
    description=f"What the true figures are for (recorded); at most {MAX_PURPOSE_CHARS} characters",
)


def _masked(request, view: str, unmask: bool = False, purpose: str = "") -> bool:
    """Masked (small numbers shown as 5) unless a supervisor asks for the true figures with
    a purpose, which is recorded: statistics.masking decides."""
    return statistics_masked(
        user=request.user,
        unmask=unmask,
        purpose=purpose,
        view=view,
        channel=Channel.API,
        request=request,
    )


def _filters(year_from, year_to, instance) -> Filters:
    if instance and instance not in Instance.values:
        raise NotAllowed("Unknown instance.")
    return Filters(year_from=year_from, year_to=year_to, instance=instance or None)


@router.get("", response={200: list[OverviewRowOut], **ERRORS})
def get_statistics(
    request,
    year_from: int | None = OPTIONAL_YEAR,
    year_to: int | None = OPTIONAL_YEAR,
    unmask: bool = UNMASK,
    purpose: str = PURPOSE,
):
    """Applications and first-instance decisions per country of origin and year, in persons,
    with UNHCR's refugee recognition rate and total protection rate (percent)."""
    published = _masked(request, "statistics", unmask, purpose)
    table = overview_table(
        user=request.user, year_from=year_from, year_to=year_to, published=published
    )
    return overview_row_dicts(table)


@router.get("/decisions", response={200: dict, **ERRORS})
def get_decisions(
    request,
    by: list[str] | None = BY,  # default: ["origin", "year"]
    year_from: int | None = OPTIONAL_YEAR,
    year_to: int | None = OPTIONAL_YEAR,
    instance: str = "",
    unmask: bool = UNMASK,
    purpose: str = PURPOSE,
):
    """Decisions by outcome, in persons, broken down by any of: origin, year, quarter, month,
    instance, application (new/repeat), sex, age_group, office, profile. Each instance is
    counted separately. Small counts are masked and a breakdown that would identify persons
    is refused (400), unless a supervisor unmasks them for a named ``purpose``."""
    published = _masked(request, "decisions", unmask, purpose)
    return decision_table(
        user=request.user,
        by=tuple(by or ("origin", "year")),
        filters=_filters(year_from, year_to, instance),
        published=published,
    ).as_dict()


@router.get("/applications", response={200: dict, **ERRORS})
def get_applications(
    request,
    by: list[str] | None = BY,  # default: ["origin", "year"]
    year_from: int | None = OPTIONAL_YEAR,
    year_to: int | None = OPTIONAL_YEAR,
    unmask: bool = UNMASK,
    purpose: str = PURPOSE,
):
    """Applications lodged, first and repeat, in persons."""
    published = _masked(request, "applications", unmask, purpose)
    return application_table(
        user=request.user,
        by=tuple(by or ("origin", "year")),
        filters=_filters(year_from, year_to, ""),
        published=published,
    ).as_dict()


@router.get("/stock", response={200: dict, **ERRORS})
def get_stock(
    request,
    on: IsoDate | None = None,
    by: list[str] | None = BY,  # default: ["origin"]
    unmask: bool = UNMASK,
    purpose: str = PURPOSE,
):
    """Persons pending at first instance at the end of ``on`` (today by default)."""
    published = _masked(request, "stock", unmask, purpose)
    return stock_on(
        user=request.user,
        on=on or timezone.localdate(),
        by=tuple(by or ("origin",)),
        published=published,
    ).as_dict()


@router.get("/processing-times", response={200: dict, **ERRORS})
def get_processing_times(
    request,
    by: list[str] | None = BY,  # default: ["instance", "year"]
    year_from: int | None = OPTIONAL_YEAR,
    year_to: int | None = OPTIONAL_YEAR,
    unmask: bool = UNMASK,
    purpose: str = PURPOSE,
):
    """Median and 90th percentile, in days, per instance (and year or office)."""
    published = _masked(request, "processing-times", unmask, purpose)
    return processing_times(
        user=request.user,
        by=tuple(by or ("instance", "year")),
        filters=_filters(year_from, year_to, ""),
        published=published,
    ).as_dict()


@router.get("/report", response={200: dict, **ERRORS})
def get_report(
    request,
    year_from: int | None = OPTIONAL_YEAR,
    year_to: int | None = OPTIONAL_YEAR,
    on: IsoDate | None = None,
    unmask: bool = UNMASK,
    purpose: str = PURPOSE,
):
    """Every standard table at once."""
    published = _masked(request, "report", unmask, purpose)
    report = statistics_report(
        user=request.user, year_from=year_from, year_to=year_to, on=on, published=published
    )
    return report_as_dict(report)


@router.get("/benchmark", response={200: dict, **ERRORS})
def get_benchmark(request, origin: str, year: int = Query(..., **YEAR_BOUNDS), asylum: str = ""):
    """The office beside its country and the world for one nationality and year: rates as
    fractions, all decision levels together, persons and cases apart (UNHCR's dec_pc)."""
    decision_table(user=request.user, by=("year",))  # 404 unless statistics may be seen
    return benchmark(
        origin=origin,
        year=year,
        asylum=asylum or None,
        user=request.user,
        published=_masked(request, "benchmark"),
    )


@router.get("/comparison", response={200: list[dict], **ERRORS})
def get_comparison(
    request,
    origin: str,
    asylum: str = "",
    year_from: int = Query(2011, **YEAR_BOUNDS),
    year_to: int | None = OPTIONAL_YEAR,
):
    """One nationality across years. The office's figures are published (masked), for
    statisticians too."""
    published = _masked(request, "comparison")
    rows = comparison_series(
        user=request.user,
        origin=origin,
        asylum=asylum or None,
        years=(year_from, year_to or timezone.localdate().year),
        published=published,
    )
    return [row.as_dict() for row in rows]


@router.get("/consistency", response={200: dict, **ERRORS})
def get_consistency(
    request,
    year_from: int | None = OPTIONAL_YEAR,
    year_to: int | None = OPTIONAL_YEAR,
    instance: str = "first",
):
    """The consistency monitor (supervisors)."""
    result = office_consistency(
        user=request.user, year_from=year_from, year_to=year_to, instance=instance
    )
    audit_record(
        user=request.user,
        action="consistency_view",
        channel=Channel.API,
        request=request,
        details={"makers": [int(m.maker) for m in result.makers]},
    )
    return result.as_dict()


@router.get("/exports/{table}.{file_format}", response={200: None, **ERRORS})
def get_export(
    request,
    table: str,
    file_format: str,
    year_from: int | None = OPTIONAL_YEAR,
    year_to: int | None = OPTIONAL_YEAR,
    unmask: bool = UNMASK,
    purpose: str = PURPOSE,
):
    """The office's figures in UNHCR's layout (asylum_decisions / asylum_applications)."""
    published = _masked(request, "export", unmask, purpose)
    if table not in exports.TABLES or file_format not in ("csv", "xlsx"):
        raise NotAllowed("Tables: decisions, applications; formats: csv, xlsx.")
    rows = exports.unhcr_rows(
        table, user=request.user, year_from=year_from, year_to=year_to, published=published
    )
    audit_record(
        user=request.user,
        action="statistics_export",
        channel=Channel.API,
        request=request,
        details={"table": table, "format": file_format, "published": published},
    )
    name = f"{request.user.office.code}-{exports.SHEETS[table]}.{file_format}"
    if file_format == "csv":
        return attachment_response(
            exports.as_csv(table, rows), filename=name, content_type="text/csv; charset=utf-8"
        )
    return attachment_response(
        exports.as_xlsx(table, rows),
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
