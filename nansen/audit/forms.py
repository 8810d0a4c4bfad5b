from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nansen.core.forms import Form


class DateInput(forms.DateInput):
    input_type = "date"


class AuditFilterForm(Form):
    person = forms.IntegerField(label=_("Person number"), required=False, min_value=1)
    case = forms.CharField(label=_("Case number"), required=False, max_length=32)
    user = forms.CharField(label=_("User name"), required=False, max_length=150)
    action = forms.CharField(label=_("Action"), required=False, max_length=60)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput)
    until = forms.DateField(label=_("Until"), required=False, widget=DateInput)

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "person_id": data.get("person"),
            "case_number": data.get("case") or "",
            "username": data.get("user") or "",
            "action": data.get("action") or "",
            "since": data.get("since"),
            "until": data.get("until"),
        }
