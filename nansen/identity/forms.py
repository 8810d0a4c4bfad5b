"""Forms of the identity pages; the check reads the registration page's own fields."""

from __future__ import annotations

from contextlib import suppress

from django import forms
from django.utils.translation import gettext_lazy as _

from nansen.core.forms import Form
from nansen.identity.match_records import MatchRecord, record_from_values
from nansen.identity.models import PairStatus
from nansen.registration.dates import PartialDateError, parse_partial_date


class CheckForm(Form):
    """The fields of one person block as the clerk has typed them so far (all optional)."""

    given_name = forms.CharField(required=False, max_length=200)
    family_name = forms.CharField(required=False, max_length=200)
    given_name_original = forms.CharField(required=False, max_length=200)
    family_name_original = forms.CharField(required=False, max_length=200)
    other_names = forms.CharField(required=False, max_length=2000)
    sex = forms.CharField(required=False, max_length=1)
    birth_date = forms.CharField(required=False, max_length=10)
    birth_date_estimated = forms.BooleanField(required=False)
    place_of_birth = forms.CharField(required=False, max_length=200)
    country_of_origin = forms.CharField(required=False, max_length=3)
    nationalities = forms.MultipleChoiceField(required=False, choices=())
    existing_person = forms.IntegerField(required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        raw = self.data.getlist(self.add_prefix("nationalities")) if self.data else []
        self.fields["nationalities"].choices = [(c, c) for c in raw if len(c) == 3]

    def clean(self):
        data = super().clean()
        data["birth"] = None
        if data.get("birth_date"):
            with suppress(PartialDateError):  # an unfinished date finds by name alone
                data["birth"] = parse_partial_date(
                    data["birth_date"], estimated=bool(data.get("birth_date_estimated"))
                )
        return data

    def has_name(self) -> bool:
        data = self.cleaned_data
        return any(
            data.get(f)
            for f in ("given_name", "family_name", "given_name_original", "family_name_original")
        )

    def record(
        self, documents: list[tuple[str, str, str]], family: list[str] | tuple = ()
    ) -> MatchRecord:
        """The record being typed; ``family``: the given names of the family members typed
        beside it (a household named again finds the person whatever their own names)."""
        data = self.cleaned_data
        birth_date, precision = data["birth"] or (None, "exact")
        return record_from_values(
            key="new",
            given_name=data["given_name"],
            family_name=data["family_name"],
            other_names=[
                data["given_name_original"],
                data["family_name_original"],
                f"{data['given_name_original']} {data['family_name_original']}".strip(),
                *data["other_names"].splitlines(),
            ],
            sex=data["sex"],
            birth_date=birth_date,
            birth_date_precision=precision,
            nationalities=data["nationalities"] or [data["country_of_origin"]],
            place_of_birth=data["place_of_birth"],
            documents=documents,
            family=family,
        )


class CheckDocumentForm(Form):
    document_type = forms.CharField(required=False, max_length=32)
    number = forms.CharField(required=False, max_length=64)
    issuing_country = forms.CharField(required=False, max_length=3)

    def documents(self) -> list[tuple[str, str, str]]:
        if not self.is_valid():
            return []
        data = self.cleaned_data
        values = (data["document_type"], data["number"].strip(), data["issuing_country"])
        return [values] if all(values) else []


class DecisionForm(Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (PairStatus.SAME, _("Same person")),
            (PairStatus.DIFFERENT, _("Different persons")),
            (PairStatus.MORE_INFO, _("Needs more information")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class MergeForm(Form):
    survivor = forms.ChoiceField(label=_("Record to keep"), widget=forms.RadioSelect)

    def __init__(self, *args, pair, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].choices = [
            (str(p.pk), f"{p.latin_name} (#{p.pk})") for p in (pair.person_a, pair.person_b)
        ]


class AccessRequestForm(Form):
    reason = forms.CharField(
        label=_("Why access is needed"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
