from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nansen.core.forms import Form
from nansen.core.reference import country_choices
from nansen.protection.models import LegalBasis, RecipientKind


class DisclosureForm(Form):
    recipient = forms.CharField(label=_("Recipient"), max_length=200)
    recipient_kind = forms.ChoiceField(label=_("Kind of recipient"), choices=RecipientKind.choices)
    recipient_country = forms.ChoiceField(
        label=_("Recipient's country"), choices=lambda: [("", "—"), *country_choices()]
    )
    legal_basis = forms.ChoiceField(label=_("Legal basis"), choices=LegalBasis.choices)
    shared = forms.CharField(
        label=_("What is shared"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        self.fields["persons"] = forms.MultipleChoiceField(
            label=_("About whom"),
            choices=[(str(m.person_id), m.person.latin_name) for m in members],
            widget=forms.CheckboxSelectMultiple,
        )

    def chosen_persons(self):
        chosen = set(self.cleaned_data["persons"])
        return [m.person for m in self.members if str(m.person_id) in chosen]


class LegalHoldForm(Form):
    reason = forms.CharField(
        label=_("Reason for the legal hold"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class AnonymiseForm(Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
    confirm = forms.BooleanField(
        label=_("I understand that the person's identifying data will be erased for good."),
    )
