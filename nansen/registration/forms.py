"""Forms turn what people type into PersonInput and friends; views never parse strings."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nansen.accounts.models import User
from nansen.accounts.roles import Role
from nansen.core.forms import Form
from nansen.core.reference import (
    COMMON_LANGUAGES,
    SpecificNeed,
    country_choices,
    is_language,
    language_name,
)
from nansen.core.search import SearchQueryField
from nansen.registration.dates import PartialDateError, format_partial_date, parse_partial_date
from nansen.registration.models import (
    DatePrecision,
    IdentityDocument,
    Person,
    Relationship,
    Sex,
)
from nansen.registration.services import (
    DocumentInput,
    ExistingPerson,
    MemberInput,
    PersonInput,
    SensitiveInput,
)


def _country_field(label, *, required: bool) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, required=required, choices=lambda: [("", "—"), *country_choices()]
    )


class LanguageCodesField(forms.CharField):
    """ISO 639-3 codes separated by commas or spaces, e.g. "ara, kur"."""

    def to_python(self, value) -> list[str]:
        text = super().to_python(value) or ""
        return [code.strip().lower() for code in text.replace(",", " ").split() if code.strip()]

    def validate(self, value: list[str]) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        unknown = [code for code in value if not is_language(code)]
        if unknown:
            raise forms.ValidationError(
                _("Not ISO 639-3 language codes: %(codes)s"),
                params={"codes": ", ".join(unknown)},
            )

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(value)
        return value


class PersonForm(Form):
    given_name = forms.CharField(
        label=_("Given names (Latin letters)"), max_length=200, required=False
    )
    family_name = forms.CharField(
        label=_("Family name (Latin letters)"), max_length=200, required=False
    )
    given_name_original = forms.CharField(
        label=_("Given names (original script)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    family_name_original = forms.CharField(
        label=_("Family name (original script)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    other_names = forms.CharField(
        label=_("Other names and aliases"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One name per line: other spellings, former names, names used on documents."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    birth_date = forms.CharField(
        label=_("Date of birth"),
        required=False,
        max_length=10,
        help_text=_("YYYY-MM-DD, or YYYY-MM, or only YYYY when that is all that is known."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "YYYY-MM-DD"}),
    )
    birth_date_estimated = forms.BooleanField(
        label=_("The date of birth is an estimate"), required=False
    )
    place_of_birth = forms.CharField(label=_("Place of birth"), max_length=200, required=False)
    country_of_birth = _country_field(_("Country of birth"), required=False)
    country_of_origin = _country_field(_("Country of origin"), required=True)
    nationalities = forms.MultipleChoiceField(
        label=_("Nationalities"),
        required=False,
        choices=country_choices,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=_("Choose “Stateless” for a person without nationality."),
    )
    feared_countries = forms.MultipleChoiceField(
        label=_("Other countries the person fears"),
        required=False,
        choices=country_choices,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=_(
            "Besides the country of origin. Nothing about the person is ever disclosed to "
            "the authorities of these countries."
        ),
    )
    languages = LanguageCodesField(
        label=_("Languages"),
        required=False,
        max_length=200,
        help_text=_("ISO 639-3 codes separated by commas, e.g. ara, kur."),
        widget=forms.TextInput(attrs={"list": "language-codes", "autocomplete": "off"}),
    )
    interpreter_needed = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    phone = forms.CharField(label=_("Telephone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    address = forms.CharField(
        label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    specific_needs = forms.MultipleChoiceField(
        label=_("Specific needs"),
        required=False,
        choices=SpecificNeed.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, person: Person | None = None, **kwargs):
        if person is not None and "initial" not in kwargs:
            kwargs["initial"] = person_initial(person)
        super().__init__(*args, **kwargs)

    def clean_other_names(self) -> list[str]:
        text = self.cleaned_data.get("other_names") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def clean(self):
        data = super().clean()
        if not (data.get("given_name") or data.get("family_name")):
            self.add_error(
                "family_name",
                _("Write at least one name in Latin letters."),
            )
        raw_date = data.get("birth_date") or ""
        data["birth_date_precision"] = DatePrecision.EXACT
        if raw_date:
            try:
                value, precision = parse_partial_date(
                    raw_date, estimated=bool(data.get("birth_date_estimated"))
                )
            except PartialDateError as exc:
                self.add_error("birth_date", str(exc))
            else:
                if value > timezone.localdate():
                    self.add_error("birth_date", _("The date of birth is in the future."))
                data["birth_date"], data["birth_date_precision"] = value, precision
        else:
            data["birth_date"] = None
        return data

    def person_input(self, documents: list[DocumentInput] | None = None) -> PersonInput:
        data = self.cleaned_data
        values = {name: data[name] for name in PersonInput.field_names()}
        return PersonInput(**values, documents=documents or [])


def person_initial(person: Person) -> dict:
    return {
        **{name: getattr(person, name) for name in PersonInput.field_names()},
        "other_names": "\n".join(person.other_names),
        "birth_date": format_partial_date(person.birth_date, person.birth_date_precision),
        "birth_date_estimated": person.birth_date_precision == DatePrecision.ESTIMATED,
    }


class DocumentForm(Form):
    document_type = forms.ChoiceField(
        label=_("Document type"),
        required=False,
        choices=[("", "—"), *IdentityDocument.Type.choices],
    )
    number = forms.CharField(label=_("Document number"), max_length=64, required=False)
    issuing_country = _country_field(_("Issuing country"), required=False)
    expires_on = forms.DateField(
        label=_("Expiry date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self):
        data = super().clean()
        given = [data.get(f) for f in ("document_type", "number", "issuing_country")]
        if any(given) and not all(given):
            raise forms.ValidationError(_("A document needs its type, number and issuing country."))
        return data

    def document_input(self) -> DocumentInput | None:
        data = self.cleaned_data
        if not data.get("document_type"):
            return None
        return DocumentInput(
            document_type=data["document_type"],
            number=data["number"].strip(),
            issuing_country=data["issuing_country"],
            expires_on=data.get("expires_on"),
        )


DocumentFormSet = forms.formset_factory(DocumentForm, extra=1, max_num=20, validate_max=True)


class MemberForm(Form):
    relationship = forms.ChoiceField(
        label=_("Relationship to the principal applicant"),
        choices=[c for c in Relationship.choices if c[0] != Relationship.PRINCIPAL],
    )


class ExistingPersonForm(Form):
    """Set by the identity check's "link to this record" (nansen.identity)."""

    existing_person = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class FamilyMemberForms:
    """One person's forms on the registration page: details, one document, relationship;
    or, when the clerk linked an existing record, only the relationship."""

    def __init__(self, prefix: str, data=None, *, principal: bool):
        self.prefix = prefix
        self.principal = principal
        self.person = PersonForm(data, prefix=prefix)
        self.document = DocumentForm(data, prefix=f"{prefix}-doc")
        self.member = None if principal else MemberForm(data, prefix=prefix)
        self.existing = ExistingPersonForm(data, prefix=prefix)

    @property
    def existing_person_id(self) -> int | None:
        if not self.existing.is_valid():
            return None
        return self.existing.cleaned_data["existing_person"]

    def forms(self) -> list[forms.Form]:
        details = [] if self.existing_person_id else [self.person, self.document]
        return [f for f in (*details, self.member, self.existing) if f is not None]

    def is_valid(self) -> bool:
        return all([f.is_valid() for f in self.forms()])

    def person_input(self) -> PersonInput | ExistingPerson:
        if self.existing_person_id:
            return ExistingPerson(person_id=self.existing_person_id)
        document = self.document.document_input()
        return self.person.person_input([document] if document else [])

    def member_input(self) -> MemberInput:
        assert self.member is not None
        return MemberInput(
            person=self.person_input(), relationship=self.member.cleaned_data["relationship"]
        )


class CaseSearchForm(Form):
    q = SearchQueryField(
        label=_("Name or case number"),
        help_text=_("In Latin letters or in the original script."),
    )
    country_of_origin = _country_field(_("Country of origin"), required=False)
    birth_date = forms.CharField(
        label=_("Date or year of birth"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "YYYY"}),
    )

    def clean_birth_date(self):
        raw = self.cleaned_data.get("birth_date") or ""
        if not raw:
            return None
        try:
            return parse_partial_date(raw)
        except PartialDateError as exc:
            raise forms.ValidationError(str(exc)) from exc


class RepresentativeForm(Form):
    representative = forms.ModelChoiceField(
        label=_("Legal representative"),
        queryset=User.objects.filter(is_active=True, role_grants__role=Role.LEGAL_REPRESENTATIVE)
        .select_related("office")
        .order_by("last_name", "username"),
    )


def language_datalist() -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code in COMMON_LANGUAGES]


class SensitiveForm(Form):
    ethnicity = forms.CharField(label=_("Ethnicity or tribe"), required=False, max_length=200)
    religion = forms.CharField(label=_("Religion"), required=False, max_length=200)
    medical_notes = forms.CharField(
        label=_("Medical notes"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    flight_reasons = forms.CharField(
        label=_("Reasons for leaving (summary)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("A short summary; the full account belongs in the interview record."),
    )

    def sensitive_input(self) -> SensitiveInput:
        return SensitiveInput(**self.cleaned_data)
