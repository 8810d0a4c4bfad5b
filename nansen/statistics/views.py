from __future__ import annotations

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from nansen.accounts.roles import Action
from nansen.core.decorators import action_required
from nansen.core.forms import Form
from nansen.statistics.charts import outcome_bars
from nansen.statistics.selectors import statistics_by_origin_and_year, statistics_totals


class StatisticsFilterForm(Form):
    year_from = forms.IntegerField(
        label=_("From year"), required=False, min_value=1950, max_value=2100
    )
    year_to = forms.IntegerField(label=_("To year"), required=False, min_value=1950, max_value=2100)


@action_required(Action.VIEW_STATISTICS)
def statistics_page(request):
    form = StatisticsFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = statistics_by_origin_and_year(
        user=request.user, year_from=filters.get("year_from"), year_to=filters.get("year_to")
    )
    return render(
        request,
        "statistics/statistics.html",
        {
            "form": form,
            "rows": rows,
            "totals": statistics_totals(rows),
            "chart": outcome_bars(rows),
        },
    )
