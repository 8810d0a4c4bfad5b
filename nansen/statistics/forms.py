from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nansen.core.forms import Form
from nansen.core.reference import country_choices
from nansen.procedures.models import Instance
from nansen.statistics.cube import Filters
from nansen.statistics.dimensions import DIMENSIONS

YEAR = {"min_value": 1950, "max_value": 2100}


def _countries(blank: str):
    return [("", blank), *country_choices()]


class StatisticsFilterForm(Form):
    year_from = forms.IntegerField(label=_("From year"), required=False, **YEAR)
    year_to = forms.IntegerField(label=_("To year"), required=False, **YEAR)
    instance = forms.ChoiceField(
        label=_("Instance"),
        required=False,
        choices=[("", _("All instances")), *Instance.choices],
    )
    unmask = forms.BooleanField(
        label=_("Show small numbers (1 to 4 persons) unmasked"),
        required=False,
        help_text=_("Supervisors only, for a named purpose; recorded in the audit log."),
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        required=False,
        max_length=200,
        help_text=_("What the true figures are for, e.g. the annual submission to UNHCR."),
    )

    def filters(self, *, default_instance: str | None = None) -> Filters:
        data = self.cleaned_data if self.is_valid() else {}
        return Filters(
            year_from=data.get("year_from"),
            year_to=data.get("year_to"),
            instance=data.get("instance") or default_instance,
        )

    @property
    def wants_unmasked(self) -> bool:
        return bool(self.is_valid() and self.cleaned_data.get("unmask"))

    @property
    def purpose_given(self) -> str:
        return self.cleaned_data.get("purpose", "") if self.is_valid() else ""


class BreakdownForm(StatisticsFilterForm):
    by = forms.MultipleChoiceField(
        label=_("Break down by"),
        choices=[(key, d.label) for key, d in DIMENSIONS.items()],
        widget=forms.CheckboxSelectMultiple,
        initial=["origin", "year"],
        required=False,
    )

    field_order = ["by", "year_from", "year_to", "instance", "unmask", "purpose"]

    def dimensions(self) -> tuple[str, ...]:
        chosen = self.cleaned_data.get("by") if self.is_valid() else None
        return tuple(chosen or ("origin", "year"))


class ReportForm(StatisticsFilterForm):
    on = forms.DateField(
        label=_("Pending caseload on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class CompareForm(Form):
    origin = forms.ChoiceField(label=_("Nationality (country of origin)"), choices=())
    asylum = forms.ChoiceField(label=_("Country of asylum"), required=False, choices=())
    year_from = forms.IntegerField(label=_("From year"), initial=2011, **YEAR)
    year_to = forms.IntegerField(label=_("To year"), initial=2025, **YEAR)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin"].choices = country_choices()
        self.fields["asylum"].choices = _countries(str(_("None")))

    def clean(self):
        data = super().clean()
        start, end = data.get("year_from"), data.get("year_to")
        if start and end and start > end:
            self.add_error("year_to", _("The last year comes after the first."))
        return data


class WorldForm(Form):
    year = forms.IntegerField(label=_("Year"), **YEAR)


class ConsistencyForm(Form):
    year_from = forms.IntegerField(label=_("From year"), required=False, **YEAR)
    year_to = forms.IntegerField(label=_("To year"), required=False, **YEAR)
    instance = forms.ChoiceField(label=_("Instance"), choices=Instance.choices, required=False)
