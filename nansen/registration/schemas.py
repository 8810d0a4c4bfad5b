"""The shapes of the registration API (nansen.registration.api): cases, persons and the
case history."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema
from pydantic import StrictBool, field_validator, model_validator

from nansen.accounts.roles import Action
from nansen.api.types import IsoDate
from nansen.core.reference import SpecificNeed, is_country, is_language
from nansen.procedures.schemas import ApplicationOut
from nansen.registration.dates import PartialDateError, format_partial_date, parse_partial_date
from nansen.registration.models import SENSITIVE_FIELDS, IdentityDocument, Relationship, Sex
from nansen.registration.services import DocumentInput, MemberInput, PersonInput


def _country(code: str) -> str:
    if code and not is_country(code):
        raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-3 country code")
    return code


class DocumentIn(Schema):
    document_type: IdentityDocument.Type
    number: str = Field(min_length=1, max_length=64)
    issuing_country: str = Field(min_length=3, max_length=3)
    expires_on: IsoDate | None = None

    @field_validator("issuing_country")
    @classmethod
    def _issuing_country(cls, code: str) -> str:
        return _country(code)


class PersonIn(Schema):
    given_name: str = Field("", max_length=200)
    family_name: str = Field("", max_length=200)
    given_name_original: str = Field("", max_length=200)
    family_name_original: str = Field("", max_length=200)
    other_names: list[str] = Field(default_factory=list, max_length=20)
    sex: Sex
    birth_date: str = Field(
        "", max_length=10, description="YYYY-MM-DD, YYYY-MM or YYYY; empty when unknown"
    )
    birth_date_estimated: StrictBool = False
    place_of_birth: str = Field("", max_length=200)
    country_of_birth: str = Field("", max_length=3)
    country_of_origin: str = Field(min_length=3, max_length=3)
    nationalities: list[str] = Field(default_factory=list, max_length=10)
    feared_countries: list[str] = Field(default_factory=list, max_length=20)
    languages: list[str] = Field(default_factory=list, max_length=20)
    interpreter_needed: StrictBool = False
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=2000)
    specific_needs: list[SpecificNeed] = Field(default_factory=list)
    documents: list[DocumentIn] = Field(default_factory=list, max_length=20)

    @field_validator("country_of_birth", "country_of_origin")
    @classmethod
    def _countries(cls, code: str) -> str:
        return _country(code)

    @field_validator("nationalities", "feared_countries")
    @classmethod
    def _nationalities(cls, codes: list[str]) -> list[str]:
        return [_country(code) for code in codes]

    @field_validator("languages")
    @classmethod
    def _languages(cls, codes: list[str]) -> list[str]:
        for code in codes:
            if not is_language(code):
                raise ValueError(f"{code!r} is not an ISO 639-3 language code")
        return codes

    @field_validator("birth_date")
    @classmethod
    def _birth_date(cls, text: str) -> str:
        if text:
            try:
                parse_partial_date(text)
            except PartialDateError as exc:
                raise ValueError(str(exc)) from exc
        return text

    @model_validator(mode="after")
    def _has_latin_name(self):
        if not (self.given_name.strip() or self.family_name.strip()):
            raise ValueError("a person needs a given name or a family name in Latin letters")
        return self

    def to_input(self) -> PersonInput:
        birth_date, precision = (None, "exact")
        if self.birth_date:
            birth_date, precision = parse_partial_date(
                self.birth_date, estimated=self.birth_date_estimated
            )
        values = self.model_dump(
            include=set(PersonInput.field_names()) - {"birth_date", "birth_date_precision"}
        )
        values["specific_needs"] = [str(n) for n in self.specific_needs]
        values["sex"] = str(self.sex)
        return PersonInput(
            **values,
            birth_date=birth_date,
            birth_date_precision=precision,
            documents=[
                DocumentInput(**{**d.model_dump(), "document_type": str(d.document_type)})
                for d in self.documents
            ],
        )


class PersonUpdateIn(PersonIn):
    version: int = Field(description="The version the change is based on (optimistic locking)")


class MemberIn(Schema):
    person: PersonIn
    relationship: Relationship

    def to_input(self) -> MemberInput:
        return MemberInput(person=self.person.to_input(), relationship=str(self.relationship))


class CaseIn(Schema):
    principal: PersonIn
    dependants: list[MemberIn] = Field(default_factory=list, max_length=30)


class DocumentOut(Schema):
    document_type: str
    number: str
    issuing_country: str
    expires_on: IsoDate | None


class SensitiveOut(Schema):
    ethnicity: str
    religion: str
    medical_notes: str
    flight_reasons: str


class SensitiveIn(Schema):
    version: int
    ethnicity: str = Field("", max_length=200)
    religion: str = Field("", max_length=200)
    medical_notes: str = Field("", max_length=20000)
    flight_reasons: str = Field("", max_length=20000)


class PersonOut(Schema):
    id: int
    version: int
    given_name: str
    family_name: str
    given_name_original: str
    family_name_original: str
    other_names: list[str]
    sex: str
    birth_date: str
    birth_date_precision: str
    place_of_birth: str
    country_of_birth: str
    country_of_origin: str
    nationalities: list[str]
    feared_countries: list[str]
    languages: list[str]
    interpreter_needed: bool
    phone: str
    email: str
    address: str
    specific_needs: list[str]
    documents: list[DocumentOut]
    sensitive: SensitiveOut | None = Field(
        None, description="Only for roles that may see sensitive data; null otherwise"
    )

    @staticmethod
    def resolve_sensitive(obj, context) -> dict | None:
        request = (context or {}).get("request")
        if request is None or not request.user.may(Action.VIEW_SENSITIVE):
            return None
        return {name: getattr(obj, name) for name in SENSITIVE_FIELDS}

    @staticmethod
    def resolve_birth_date(obj) -> str:
        return format_partial_date(obj.birth_date, obj.birth_date_precision)

    @staticmethod
    def resolve_documents(obj) -> list:
        return list(obj.documents.all())


class MemberOut(Schema):
    relationship: str
    person: PersonOut


class CaseSummaryOut(Schema):
    id: int
    number: str
    office: str
    version: int
    created_at: datetime
    principal_name: str
    member_count: int

    @staticmethod
    def resolve_office(obj) -> str:
        return obj.office.code

    @staticmethod
    def resolve_principal_name(obj) -> str:
        principal = next((m for m in obj.members.all() if m.relationship == "principal"), None)
        return principal.person.latin_name if principal else ""

    @staticmethod
    def resolve_member_count(obj) -> int:
        return len(obj.members.all())


class CasePageOut(Schema):
    count: int
    items: list[CaseSummaryOut]


class CaseOut(CaseSummaryOut):
    members: list[MemberOut]
    applications: list[ApplicationOut]

    @staticmethod
    def resolve_members(obj) -> list:
        return list(obj.members.all())

    @staticmethod
    def resolve_applications(obj) -> list:
        return list(obj.applications.all())


class EventOut(Schema):
    at: datetime
    actor: str
    verb: str
    object_type: str
    object_id: int
    state_before: str
    state_after: str
    details: dict

    @staticmethod
    def resolve_actor(obj) -> str:
        return obj.actor.username
