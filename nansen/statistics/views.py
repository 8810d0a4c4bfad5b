from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from nansen.accounts.roles import Action
from nansen.audit.models import Channel
from nansen.audit.services import audit_record
from nansen.core.decorators import action_required
from nansen.core.downloads import content_disposition
from nansen.core.permissions import NotAllowed
from nansen.core.reference import country_name
from nansen.procedures.models import Instance
from nansen.statistics import charts, exports
from nansen.statistics.comparison import comparison_by_origin, comparison_series
from nansen.statistics.consistency import office_consistency
from nansen.statistics.forms import (
    BreakdownForm,
    CompareForm,
    ConsistencyForm,
    ReportForm,
    StatisticsFilterForm,
    WorldForm,
)
from nansen.statistics.masking import statistics_masked
from nansen.statistics.publication import PublicationRefused
from nansen.statistics.selectors import decision_table, overview_table, statistics_report

MAX_CHART_BARS = 30


def _masked(request, form, view: str, **details) -> bool:
    """statistics.masking decides, from what the form asks for; a refused request says why
    on the form and shows the masked figures."""
    try:
        return statistics_masked(
            user=request.user,
            unmask=form.wants_unmasked,
            purpose=form.purpose_given,
            view=view,
            channel=Channel.PAGE,
            request=request,
            details=details,
        )
    except NotAllowed as exc:
        form.add_error("purpose", str(exc))
        return True


@action_required(Action.VIEW_STATISTICS)
def statistics_page(request):
    form = StatisticsFilterForm(request.GET or None)
    filters = form.filters(default_instance=Instance.FIRST)
    published = _masked(request, form, "statistics")
    table = overview_table(
        user=request.user,
        year_from=filters.year_from,
        year_to=filters.year_to,
        instance=filters.instance,
        published=published,
    )
    return render(
        request,
        "statistics/statistics.html",
        {
            "form": form,
            "table": table,
            "chart": charts.outcome_bars(table),
            "instance_label": Instance(filters.instance).label,
            "published": published,
        },
    )


@action_required(Action.VIEW_STATISTICS)
def breakdown_page(request):
    form = BreakdownForm(request.GET or None)
    table, refusal = None, None
    published = _masked(request, form, "breakdown", by=list(form.dimensions()))
    try:
        table = decision_table(
            user=request.user,
            by=form.dimensions(),
            filters=form.filters(),
            published=published,
        )
    except PublicationRefused as exc:
        refusal = str(exc)
    chart = None
    if table is not None and 0 < len(table.rows) <= MAX_CHART_BARS:
        chart = charts.stacked_outcome_bars(
            [(" · ".join(r.labels), r.counts) for r in table.rows], label_width=180
        )
    return render(
        request,
        "statistics/breakdown.html",
        {"form": form, "table": table, "refusal": refusal, "chart": chart},
    )


@action_required(Action.VIEW_STATISTICS)
def report_page(request):
    form = ReportForm(request.GET or None)
    filters = form.filters()
    on = (form.cleaned_data.get("on") if form.is_valid() else None) or timezone.localdate()
    published = _masked(request, form, "report")
    report = statistics_report(
        user=request.user,
        year_from=filters.year_from,
        year_to=filters.year_to,
        on=on,
        published=published,
    )
    titles = {
        "decisions_by_origin_and_year": _("First-instance decisions by country of origin and year"),
        "decisions_by_instance_and_year": _("Decisions by instance and year"),
        "applications_by_origin_and_year": _("Applications lodged by country of origin and year"),
        "decisions_by_sex_and_age_group": _("First-instance decisions by sex and age group"),
        "decisions_by_profile_and_year": _(
            "First-instance decisions by procedure profile and year"
        ),
        "stock_by_origin": _("Pending at first instance at the end of %(day)s")
        % {"day": on.isoformat()},
        "processing_times": _(
            "Processing times: from lodging to the first-instance decision, and from the "
            "decision appealed to the appeal decision"
        ),
    }
    sections = []
    for name, table in report.items():
        refusal = str(table) if isinstance(table, PublicationRefused) else None
        kind = type(table).__name__ if refusal is None else "refused"
        sections.append(
            {"name": name, "title": titles[name], "table": table, "kind": kind, "refusal": refusal}
        )
    return render(
        request,
        "statistics/report.html",
        {"form": form, "sections": sections, "on": on, "published": published},
    )


@action_required(Action.VIEW_STATISTICS)
def export_file(request, table: str, file_format: str):
    if table not in exports.TABLES or file_format not in ("csv", "xlsx"):
        raise Http404
    form = StatisticsFilterForm(request.GET or None)
    filters = form.filters()
    published = _masked(request, form, "export", table=table, format=file_format)
    rows = exports.unhcr_rows(
        table,
        user=request.user,
        year_from=filters.year_from,
        year_to=filters.year_to,
        published=published,
    )
    audit_record(
        user=request.user,
        action="statistics_export",
        channel=Channel.EXPORT,
        request=request,
        details={"table": table, "format": file_format, "published": published},
    )
    name = f"{request.user.office.code}-{exports.SHEETS[table]}.{file_format}"
    if file_format == "csv":
        response = HttpResponse(exports.as_csv(table, rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.as_xlsx(table, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = content_disposition(name)
    return response


def _rate_series(rows, attribute):
    values = {}
    for row in rows:
        figures = getattr(row, attribute)
        if figures is not None and figures.tpr is not None:
            values[row.year] = (figures.tpr, figures.masked)
    return values


@login_required
def compare_page(request):
    """One nationality across years: the office, its country and the world (UNHCR data).
    Open to every signed-in member of an office; the office's own figures are shown as
    published (masked), to statisticians too (statistics.masking)."""
    if request.user.office_id is None:
        raise Http404
    data = request.GET.copy()
    data.setdefault("origin", "SYR")
    data.setdefault("asylum", request.user.office.country)
    data.setdefault("year_from", "2011")
    data.setdefault("year_to", str(timezone.localdate().year))
    form = CompareForm(data)
    rows, chart = [], None
    published = statistics_masked(user=request.user, view="compare", channel=Channel.PAGE)
    if form.is_valid():
        origin, asylum = form.cleaned_data["origin"], form.cleaned_data["asylum"] or None
        years = (form.cleaned_data["year_from"], form.cleaned_data["year_to"])
        rows = comparison_series(
            user=request.user, origin=origin, asylum=asylum, years=years, published=published
        )
        series = [("world", _label("world"), _rate_series(rows, "world"))]
        if asylum:
            series.append(("country", country_name(asylum), _rate_series(rows, "country")))
        series.append(("office", request.user.office.code, _rate_series(rows, "office")))
        chart = charts.rate_lines(list(range(years[0], years[1] + 1)), series)
    return render(
        request,
        "statistics/compare.html",
        {"form": form, "rows": rows, "chart": chart, "published": published},
    )


def _label(key: str) -> str:
    return {"world": _("All countries of asylum")}[key]


@action_required(Action.VIEW_STATISTICS)
def world_page(request):
    """Every nationality the office decided in a year, beside its country and the world."""
    data = request.GET.copy()
    data.setdefault("year", str(timezone.localdate().year - 1))
    form = WorldForm(data)
    rows = []
    published = statistics_masked(user=request.user, view="world", channel=Channel.PAGE)
    if form.is_valid():
        rows = comparison_by_origin(
            user=request.user,
            year=form.cleaned_data["year"],
            asylum=request.user.office.country,
            published=published,
        )
    return render(request, "statistics/world.html", {"form": form, "rows": rows})


@action_required(Action.MONITOR_CONSISTENCY)
def consistency_page(request):
    form = ConsistencyForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    result = office_consistency(
        user=request.user,
        year_from=data.get("year_from"),
        year_to=data.get("year_to"),
        instance=data.get("instance") or Instance.FIRST,
    )
    audit_record(
        user=request.user,
        action="consistency_view",
        channel=Channel.PAGE,
        request=request,
        details={"makers": [int(m.maker) for m in result.makers]},
    )
    return render(
        request,
        "statistics/consistency.html",
        {"form": form, "result": result, "chart": charts.maker_intervals(result)},
    )
