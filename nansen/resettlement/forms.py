"""Forms turn what people type into the services' arguments; views never parse strings."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nansen.core.forms import Form
from nansen.core.reference import country_choices, is_country, is_language
from nansen.core.weblinks import WebURLField
from nansen.procedures.models import Outcome
from nansen.resettlement.models import (
    Pledge,
    Priority,
    ProgrammeType,
    ReferralStatus,
    SubmissionCategory,
)
from nansen.resettlement.rules import profile_fields, programme_rules
from nansen.resettlement.services import PledgeInput
from nansen.resettlement.transitions import Step


class DateInput(forms.DateInput):
    input_type = "date"


def _codes(text: str) -> list[str]:
    return [code.strip() for code in (text or "").replace(",", " ").split() if code.strip()]


class CountryCodesField(forms.CharField):
    """ISO 3166-1 alpha-3 codes separated by commas or spaces, e.g. "SYR, IRQ"."""

    def to_python(self, value) -> list[str]:
        return [code.upper() for code in _codes(super().to_python(value))]

    def validate(self, value: list[str]) -> None:
        unknown = [code for code in value if not is_country(code)]
        if unknown:
            raise forms.ValidationError(
                _("Not ISO 3166-1 alpha-3 country codes: %(codes)s"),
                params={"codes": ", ".join(unknown)},
            )

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value


class LanguageCodesField(forms.CharField):
    def to_python(self, value) -> list[str]:
        return [code.lower() for code in _codes(super().to_python(value))]

    def validate(self, value: list[str]) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        unknown = [code for code in value if not is_language(code)]
        if unknown:
            raise forms.ValidationError(
                _("Not ISO 639-3 language codes: %(codes)s"), params={"codes": ", ".join(unknown)}
            )

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value


class PledgeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Pledge) -> str:
        return f"{obj.receiving_country_name} · {obj.title}"


class PledgeForm(Form):
    receiving_country = forms.ChoiceField(
        label=_("Receiving country"), choices=lambda: [("", "—"), *country_choices()]
    )
    programme_type = forms.ChoiceField(label=_("Programme"), choices=ProgrammeType.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    places = forms.IntegerField(
        label=_("Places pledged"),
        required=False,
        min_value=0,
        max_value=10_000_000,
        help_text=_("Persons, not cases. Leave empty while the number is not announced."),
    )
    target_nationalities = CountryCodesField(
        label=_("Nationalities"),
        required=False,
        help_text=_("ISO 3166-1 alpha-3 codes, e.g. SYR, IRQ. Empty: every nationality."),
    )
    target_first_asylum = CountryCodesField(
        label=_("Countries of first asylum"),
        required=False,
        help_text=_("Where the refugees must be, e.g. LBN, JOR, TUR. Empty: any country."),
    )
    target_groups = forms.CharField(
        label=_("Groups"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    period_start = forms.DateField(label=_("Period from"), required=False, widget=DateInput)
    period_end = forms.DateField(label=_("Period until"), required=False, widget=DateInput)
    announced_on = forms.DateField(label=_("Announced on"), widget=DateInput)
    source_title = forms.CharField(
        label=_("Source"),
        max_length=300,
        help_text=_("The document or report that announced the pledge, as reported."),
    )
    source_url = WebURLField(label=_("Link to the source"), required=False, max_length=500)
    eligible_outcomes = forms.MultipleChoiceField(
        label=_("Statuses that may be submitted"),
        choices=[(o.value, o.label) for o in Outcome if o != Outcome.CLOSED],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Empty: the programme's rule (recognised refugees only)."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    @classmethod
    def for_pledge(cls, pledge: Pledge, data=None) -> PledgeForm:
        initial = {name: getattr(pledge, name) for name in cls.base_fields if name != "reason"}
        return cls(data, initial=initial)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        return data

    def to_input(self) -> PledgeInput:
        data = self.cleaned_data
        outcomes = data["eligible_outcomes"] or list(
            programme_rules(data["programme_type"]).eligible_outcomes
        )
        return PledgeInput(
            receiving_country=data["receiving_country"],
            programme_type=data["programme_type"],
            title=data["title"],
            places=data["places"],
            target_nationalities=data["target_nationalities"],
            target_first_asylum=data["target_first_asylum"],
            target_groups=data["target_groups"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            announced_on=data["announced_on"],
            source_title=data["source_title"],
            source_url=data["source_url"],
            eligible_outcomes=outcomes,
            notes=data["notes"],
        )


class PledgeReviseForm(PledgeForm):
    reason = forms.CharField(
        label=_("Why it is revised"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. the announcement or report that changed the pledge."),
    )


class CaseLookupForm(Form):
    number = forms.CharField(
        label=_("Case number"), max_length=32, help_text=_("E.g. TKY-2025-000042")
    )


def _profile_formfield(spec) -> forms.Field:
    if spec.kind == "choice":
        return forms.ChoiceField(
            label=spec.label, required=False, choices=[("", "—"), *spec.choices.choices]
        )
    if spec.kind == "languages":
        return LanguageCodesField(
            label=spec.label, required=False, help_text=_("ISO 639-3 codes, e.g. ara, eng.")
        )
    return forms.CharField(label=spec.label, required=False, max_length=200)


class _ReferralDetailsForm(Form):
    """Categories, priority, the programme's profile and notes."""

    categories = forms.MultipleChoiceField(
        label=_("Submission categories"),
        choices=SubmissionCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("UNHCR resettlement submission categories; at least one for resettlement."),
    )
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=Priority.choices,
        initial=Priority.NORMAL,
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, programme_type: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.programme_type = programme_type
        self.profile_names = []
        if programme_type in ProgrammeType.values:
            for spec in profile_fields(programme_type):
                name = f"profile_{spec.name}"
                self.fields[name] = _profile_formfield(spec)
                self.profile_names.append(name)

    def profile_fields(self):
        return [self[name] for name in self.profile_names]

    def profile(self) -> dict:
        return {
            name.removeprefix("profile_"): self.cleaned_data[name]
            for name in self.profile_names
            if self.cleaned_data.get(name)
        }


class ReferralForm(_ReferralDetailsForm):
    pledge = PledgeChoiceField(
        label=_("Pledge"),
        queryset=Pledge.objects.all(),
        required=False,
        empty_label=_("No pledge: choose a programme and a country"),
    )
    programme_type = forms.ChoiceField(
        label=_("Programme"), required=False, choices=[("", "—"), *ProgrammeType.choices]
    )
    receiving_country = forms.ChoiceField(
        label=_("Receiving country"),
        required=False,
        choices=lambda: [("", "—"), *country_choices()],
    )
    identified_on = forms.DateField(
        label=_("Identified on"), widget=DateInput, initial=timezone.localdate
    )

    field_order = ["pledge", "programme_type", "receiving_country", "identified_on"]

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        for member in members:
            self.fields[f"person_{member.person.pk}"] = forms.BooleanField(
                label=member.person.latin_name, required=False, initial=True
            )

    def member_rows(self):
        for member in self.members:
            yield member, self[f"person_{member.person.pk}"]

    def clean(self):
        data = super().clean()
        if not any(data.get(f"person_{m.person.pk}") for m in self.members):
            raise forms.ValidationError(_("Choose at least one member of the case."))
        if not data.get("pledge") and not (
            data.get("programme_type") and data.get("receiving_country")
        ):
            raise forms.ValidationError(_("Choose a pledge, or a programme and a country."))
        return data

    def chosen_persons(self):
        return [m.person for m in self.members if self.cleaned_data.get(f"person_{m.person.pk}")]


class ReferralEditForm(_ReferralDetailsForm):
    @classmethod
    def for_referral(cls, referral, data=None) -> ReferralEditForm:
        initial = {
            "categories": referral.categories,
            "priority": referral.priority,
            "notes": referral.notes,
            **{f"profile_{k}": v for k, v in referral.profile.items()},
        }
        return cls(data, initial=initial, programme_type=referral.programme_type)


class StepForm(Form):
    """The date a step happened and, for a rejection or withdrawal, why."""

    on = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)

    def __init__(self, *args, step: Step, **kwargs):
        kwargs.setdefault("prefix", step.name)
        super().__init__(*args, **kwargs)
        self.step = step
        if step.reasons is not None:
            self.fields["reason"] = forms.ChoiceField(
                label=_("Reason"), choices=[("", "—"), *step.reasons.choices]
            )
            self.fields["reason_details"] = forms.CharField(
                label=_("Details"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )


class ReferralFilterForm(Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *ReferralStatus.choices]
    )
    pledge = PledgeChoiceField(
        label=_("Pledge"), queryset=Pledge.objects.all(), required=False, empty_label=_("Any")
    )
