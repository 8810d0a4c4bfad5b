from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nansen.core.forms import Form
from nansen.procedures.models import ClosureReason, Outcome


class DateInput(forms.DateInput):
    input_type = "date"


class LodgeForm(Form):
    """Lodge applications for chosen members of a case; repeat numbers are optional."""

    lodged_on = forms.DateField(
        label=_("Date lodged"), widget=DateInput, initial=timezone.localdate
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        for member in members:
            person = member.person
            self.fields[f"person_{person.pk}"] = forms.BooleanField(
                label=person.latin_name,
                required=False,
                initial=True,
            )
            self.fields[f"ordinal_{person.pk}"] = forms.IntegerField(
                label=_("Application number of %(name)s") % {"name": person.latin_name},
                required=False,
                min_value=1,
                max_value=99,
                help_text=_("Leave empty to count from the applications Nansen knows."),
            )

    def rows(self):
        for member in self.members:
            pk = member.person.pk
            yield member, self[f"person_{pk}"], self[f"ordinal_{pk}"]

    def clean(self):
        data = super().clean()
        if not any(data.get(f"person_{m.person.pk}") for m in self.members):
            raise forms.ValidationError(_("Choose at least one member of the case."))
        return data

    def chosen(self):
        data = self.cleaned_data
        persons = [m.person for m in self.members if data.get(f"person_{m.person.pk}")]
        ordinals = {p.pk: data[f"ordinal_{p.pk}"] for p in persons if data.get(f"ordinal_{p.pk}")}
        return persons, ordinals


class InterviewForm(Form):
    interview_on = forms.DateField(label=_("Interview date"), widget=DateInput)


class DecisionForm(Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    closure_reason = forms.ChoiceField(
        label=_("Reason for closing"),
        required=False,
        choices=[("", "—"), *ClosureReason.choices],
        help_text=_("Only for an application that is otherwise closed."),
    )
    decided_on = forms.DateField(
        label=_("Date of decision"), widget=DateInput, initial=timezone.localdate
    )
    reasons = forms.CharField(
        label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 8}), max_length=50000
    )

    def clean(self):
        data = super().clean()
        outcome, reason = data.get("outcome"), data.get("closure_reason")
        if outcome == Outcome.CLOSED and not reason:
            self.add_error("closure_reason", _("Say why the application is closed."))
        if outcome and outcome != Outcome.CLOSED and reason:
            self.add_error(
                "closure_reason", _("Only a closed application has a reason for closing.")
            )
        return data
