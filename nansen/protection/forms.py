from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nansen.core.forms import Form
from nansen.core.reference import country_choices
from nansen.protection.models import LegalBasis, RecipientKind
from nansen.registration.guard import ROADS


class DisclosureForm(Form):
    recipient = forms.CharField(label=_("Recipient"), max_length=200)
    recipient_kind = forms.ChoiceField(label=_("Kind of recipient"), choices=RecipientKind.choices)
    recipient_country = forms.ChoiceField(
        label=_("Recipient's country"), choices=lambda: [("", "—"), *country_choices()]
    )
    acts_for_country = forms.ChoiceField(
        label=_("Country the recipient acts for"),
        help_text=_("If it represents a state: an embassy, a consulate, a liaison officer."),
        choices=lambda: [("", "—"), *country_choices()],
        required=False,
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


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def road_choices() -> list[tuple[str, str]]:
    return [("", _("Any road")), *((name, name) for name in sorted(ROADS))]


class GuardExceptionForm(Form):
    """The consent of the members concerned to one sending the guard would refuse."""

    country = forms.ChoiceField(label=_("Country"), choices=lambda: [("", "—"), *country_choices()])
    road = forms.ChoiceField(label=_("What is sent"), choices=road_choices, required=False)
    recipient = forms.CharField(label=_("Recipient"), max_length=200)
    purpose = forms.CharField(
        label=_("What is sent, and why"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    consent_wording = forms.CharField(
        label=_("What the person was told and agreed to"),
        help_text=_("The words of the consent, as read to the person in their language."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
    )
    consent_reference = forms.CharField(
        label=_("Reference of the signed consent"), max_length=200, required=False
    )
    consent_given_on = forms.DateField(label=_("Consent given on"), widget=DateInput)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        self.fields["consenting_persons"] = forms.MultipleChoiceField(
            label=_("Who consented"),
            choices=[(str(m.person_id), m.person.latin_name) for m in members],
            widget=forms.CheckboxSelectMultiple,
        )

    def chosen_persons(self):
        chosen = set(self.cleaned_data["consenting_persons"])
        return [m.person for m in self.members if str(m.person_id) in chosen]


class ExportRecipientForm(Form):
    """Whom the person's copy goes to, when it is not the person."""

    recipient = forms.CharField(label=_("Recipient"), max_length=200, required=False)
    recipient_kind = forms.ChoiceField(
        label=_("Kind of recipient"),
        choices=[("", "—"), *RecipientKind.choices],
        required=False,
    )
    recipient_country = forms.ChoiceField(
        label=_("Recipient's country"),
        choices=lambda: [("", "—"), *country_choices()],
        required=False,
    )
    acts_for_country = forms.ChoiceField(
        label=_("Country the recipient acts for"),
        choices=lambda: [("", "—"), *country_choices()],
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("recipient") and not data.get("recipient_country"):
            self.add_error("recipient_country", _("Give the recipient's country."))
        return data
