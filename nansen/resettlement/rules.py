"""The rules of each programme, as data: who may be submitted, what a referral must state,
and the profile a pathway asks for.

The services read these tables and only these; a new programme or a changed rule is a change
here, not a new branch in the code.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from nansen.procedures.models import Outcome
from nansen.resettlement.models import Priority, ProgrammeType


class EducationLevel(models.TextChoices):
    SECONDARY = "secondary", _("Secondary school completed")
    VOCATIONAL = "vocational", _("Vocational training")
    BACHELOR = "bachelor", _("Bachelor's degree or equivalent")
    MASTER = "master", _("Master's degree or equivalent")
    DOCTORATE = "doctorate", _("Doctorate")


class AdmissionStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    OFFERED = "offered", _("Offer of admission")
    CONFIRMED = "confirmed", _("Admission confirmed")


@dataclass(frozen=True)
class ProfileField:
    """One entry of a pathway profile. ``kind`` is "text", "choice" or "languages" (ISO
    639-3 codes); a field ``required`` must be filled before the referral is submitted."""

    name: str
    label: str
    kind: str = "text"
    choices: type[models.TextChoices] | None = None
    required: bool = True


@dataclass(frozen=True)
class ProgrammeRules:
    # The statuses (latest decision across instances, see selectors.current_status) a new
    # pledge of this programme accepts for submission; each pledge keeps its own list.
    eligible_outcomes: tuple[str, ...]
    # Whether a referral must name at least one UNHCR resettlement submission category.
    categories_required: bool
    profile: tuple[ProfileField, ...] = ()


_LANGUAGES = ProfileField("languages", _("Languages (ISO 639-3)"), kind="languages")

# UNHCR Resettlement Handbook (2011), ch. 3: recognition as a refugee is the precondition of
# resettlement consideration; a pledge whose profile admits persons with complementary
# protection (many humanitarian admission and pathway programmes do) says so in its own
# ``eligible_outcomes``. Every programme starts from recognition only.
# UNHCR submission categories (Resettlement Handbook, ch. 6) belong to UNHCR resettlement
# submissions; other pathways select on their own criteria, given in their profile.
PROGRAMMES: dict[str, ProgrammeRules] = {
    ProgrammeType.RESETTLEMENT: ProgrammeRules((Outcome.RECOGNIZED,), categories_required=True),
    ProgrammeType.HUMANITARIAN_ADMISSION: ProgrammeRules(
        (Outcome.RECOGNIZED,), categories_required=False
    ),
    ProgrammeType.SPONSORSHIP: ProgrammeRules(
        (Outcome.RECOGNIZED,),
        categories_required=False,
        profile=(ProfileField("sponsor", _("Sponsoring group or person")),),
    ),
    # UNHCR, "Complementary Pathways for Admission of Refugees to Third Countries: Key
    # Considerations" (2019): what an education pathway selects on (level, field, language
    # of instruction, an offer of admission).
    ProgrammeType.EDUCATION: ProgrammeRules(
        (Outcome.RECOGNIZED,),
        categories_required=False,
        profile=(
            ProfileField(
                "education_level", _("Education level"), kind="choice", choices=EducationLevel
            ),
            ProfileField("field_of_study", _("Field of study")),
            _LANGUAGES,
            ProfileField("institution", _("Admitting institution"), required=False),
            ProfileField("admission", _("Admission"), kind="choice", choices=AdmissionStatus),
        ),
    ),
    ProgrammeType.FAMILY_REUNIFICATION: ProgrammeRules(
        (Outcome.RECOGNIZED,),
        categories_required=False,
        profile=(
            ProfileField("sponsor", _("Family member in the receiving country")),
            ProfileField("sponsor_relationship", _("Relationship to that family member")),
        ),
    ),
    ProgrammeType.LABOUR_MOBILITY: ProgrammeRules(
        (Outcome.RECOGNIZED,),
        categories_required=False,
        profile=(
            ProfileField("occupation", _("Occupation")),
            _LANGUAGES,
            ProfileField("employer", _("Employer offering the job"), required=False),
        ),
    ),
}

# UNHCR RSD Procedural Standards (2020), Unit 5 (family unity): dependants who did not apply in
# their own right share the status of the refugee they depend on, and travel with them. A
# member who applied and was not recognised is refused; a member who never applied is
# submitted with the family when another referred member may be.
DEPENDANTS_FOLLOW_THE_FAMILY = True

# UNHCR Resettlement Handbook (2011), priority levels: the time within which the refugee
# should have departed after submission. Used to mark referrals waiting past their target.
PRIORITY_TARGET_DAYS: dict[str, int] = {
    Priority.EMERGENCY: 7,
    Priority.URGENT: 42,
    Priority.NORMAL: 365,
}


def programme_rules(programme_type: str) -> ProgrammeRules:
    return PROGRAMMES[ProgrammeType(programme_type)]


def profile_fields(programme_type: str) -> tuple[ProfileField, ...]:
    return programme_rules(programme_type).profile


def profile_display(programme_type: str, profile: dict) -> list[tuple[str, str]]:
    """The profile as (label, value) pairs, choices and languages in words."""
    from nansen.core.reference import language_name

    rows = []
    for field in profile_fields(programme_type):
        value = profile.get(field.name)
        if not value:
            continue
        if field.kind == "choice" and field.choices is not None:
            value = str(dict(field.choices.choices).get(value, value))
        elif field.kind == "languages":
            value = ", ".join(language_name(code) for code in value)
        rows.append((str(field.label), str(value)))
    return rows
