"""The eligibility assessment: the structured reasoning on one person's application against
the 1951 Convention (Art. 1A(2), 1F) and, where refugee status is not established, the
grounds of complementary protection (under UNHCR's mandate, the same grounds are its broader
refugee criteria).

Every written reason is encrypted in the database (core.fields.EncryptedTextField) and
shown only to the roles that see sensitive data. The findings themselves (which ground,
which outcome) are kept in clear: the consistency aids compare them across the office.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nansen.accounts.models import Office
from nansen.coi.models import Passage, Source
from nansen.core.fields import EncryptedTextField
from nansen.procedures.models import Application
from nansen.registration.models import Case


class Part(models.TextChoices):
    """The parts of an assessment, in the order of the reasoning (and of the reasons)."""

    FACTS = "facts", _("Material facts and credibility")
    FEAR = "fear", _("Well-founded fear")
    PERSECUTION = "persecution", _("Persecution or serious harm")
    NEXUS = "nexus", _("Reasons for persecution (Convention grounds)")
    PROTECTION = "protection", _("State protection")
    RELOCATION = "relocation", _("Internal flight or relocation alternative")
    EXCLUSION = "exclusion", _("Exclusion (Article 1F)")
    COMPLEMENTARY = "complementary", _("Complementary protection")
    CONCLUSION = "conclusion", _("Conclusion")


class Credibility(models.TextChoices):
    # UNHCR Handbook paras. 196, 203-204: a statement that is coherent and plausible, and
    # not contrary to known facts, is given the benefit of the doubt.
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    BENEFIT_OF_DOUBT = "benefit_of_doubt", _("Undetermined: accepted with the benefit of the doubt")


class EvidenceKind(models.TextChoices):
    STATEMENT = "statement", _("The applicant's statements")
    DOCUMENT = "document", _("Documents")
    WITNESS = "witness", _("Witnesses")
    MEDICAL = "medical", _("Medical or psychological report")
    COI = "coi", _("Country of origin information")


class Finding(models.TextChoices):
    ESTABLISHED = "established", _("Established")
    NOT_ESTABLISHED = "not_established", _("Not established")


class HarmAgent(models.TextChoices):
    STATE = "state", _("The State or its agents")
    NON_STATE = "non_state", _("A non-state agent")
    BOTH = "both", _("The State and non-state agents")


class Protection(models.TextChoices):
    AVAILABLE = "available", _("Available and effective")
    NOT_AVAILABLE = "not_available", _("Not available, or not effective")


class Relocation(models.TextChoices):
    # UNHCR Guidelines on International Protection No. 4 (HCR/GIP/03/04), paras. 6-7: the
    # relevance analysis, then the reasonableness analysis.
    NOT_APPLICABLE = "not_applicable", _("Not applicable")
    NOT_RELEVANT = "not_relevant", _("Considered: not relevant")
    NOT_REASONABLE = "not_reasonable", _("Considered: relevant, but not reasonable")
    AVAILABLE = "available", _("Available: relevant and reasonable")


class Exclusion(models.TextChoices):
    NO_INDICATION = "no_indication", _("Screened: no indication of an exclusion clause")
    TRIGGERED = (
        "triggered",
        _("Screened: an exclusion clause may apply (referred for an exclusion assessment)"),
    )


class ExclusionClause(models.TextChoices):
    # 1951 Convention Art. 1F.
    A = "a", _("1F(a): crime against peace, war crime or crime against humanity")
    B = "b", _("1F(b): serious non-political crime outside the country of refuge")
    C = "c", _("1F(c): acts contrary to the purposes and principles of the United Nations")


class Conclusion(models.TextChoices):
    RECOGNIZED = "recognized", _("Recognized as a refugee")
    # UNHCR's broader mandate: a refugee outside the 1951 Convention's definition, owing to
    # serious and indiscriminate threats from generalized violence or events seriously
    # disturbing public order. Only a procedure whose profile has a kind of decision for it
    # offers it (procedures/profiles: a form's `conclusion`); the decision is a recognition.
    RECOGNIZED_BROADER = "recognized_broader", _("Refugee under UNHCR's broader mandate")
    COMPLEMENTARY = "complementary", _("Complementary protection")
    REJECTED = "rejected", _("Rejected")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting the supervisor's review")
    APPROVED = "approved", _("Reviewed and approved")
    RETURNED = "returned", _("Returned by the supervisor")


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> AssessmentQuerySet:
        return self.filter(application__case__in=Case.objects.visible_to(user))


class Assessment(models.Model):
    """One assessment per application (one person's claim), drafted by the eligibility
    officer, part by part."""

    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="assessment"
    )
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    language = models.CharField(
        _("language of the reasons"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    risk_profile = models.CharField(_("profile of the claim"), max_length=40, blank=True)
    # Well-founded fear (Art. 1A(2); UNHCR Handbook paras. 37-50).
    fear = models.CharField(_("finding"), max_length=20, choices=Finding.choices, blank=True)
    fear_reasons = EncryptedTextField(_("reasons"), blank=True)
    # Persecution or serious harm (Handbook paras. 51-65).
    harm = EncryptedTextField(_("the harm feared"), blank=True)
    harm_agent = models.CharField(
        _("by whom"), max_length=12, choices=HarmAgent.choices, blank=True
    )
    harm_serious = models.BooleanField(_("serious enough to amount to persecution"), null=True)
    harm_cumulative = models.BooleanField(
        _("persecution on cumulative grounds"),
        default=False,
        help_text=_(
            "Measures that are not persecution on their own, but are taken together "
            "(UNHCR Handbook paras. 53-55)."
        ),
    )
    persecution = models.CharField(_("finding"), max_length=20, choices=Finding.choices, blank=True)
    persecution_reasons = EncryptedTextField(_("reasons"), blank=True)
    # State protection (Art. 1A(2); Handbook paras. 97-100).
    protection = models.CharField(
        _("finding"), max_length=20, choices=Protection.choices, blank=True
    )
    protection_reasons = EncryptedTextField(_("reasons"), blank=True)
    # Internal flight or relocation alternative (UNHCR Guidelines No. 4).
    relocation = models.CharField(
        _("finding"), max_length=20, choices=Relocation.choices, blank=True
    )
    relocation_area = models.CharField(_("proposed area"), max_length=200, blank=True)
    relocation_reasons = EncryptedTextField(_("reasons"), blank=True)
    # Exclusion (Art. 1F).
    exclusion = models.CharField(
        _("screening"), max_length=20, choices=Exclusion.choices, blank=True
    )
    exclusion_clauses = models.JSONField(_("clauses"), default=list, blank=True)
    exclusion_reasons = EncryptedTextField(_("reasons"), blank=True)
    exclusion_referred_at = models.DateTimeField(null=True, blank=True, editable=False)
    exclusion_referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
    )
    # Conclusion.
    conclusion = models.CharField(
        _("conclusion"), max_length=24, choices=Conclusion.choices, blank=True
    )
    conclusion_reasons = EncryptedTextField(_("reasons"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("eligibility assessment")
        verbose_name_plural = _("eligibility assessments")
        indexes = [models.Index(fields=["office", "risk_profile"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(conclusion__in=["", *Conclusion.values]),
                name="assessment_conclusion_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="assessment_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} — {self.get_status_display()}"


class MaterialFact(models.Model):
    """One fact the claim rests on, the evidence for it, and the credibility finding."""

    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="facts")
    number = models.PositiveSmallIntegerField()
    statement = EncryptedTextField(_("the fact claimed"))
    evidence = EncryptedTextField(_("evidence"), blank=True)
    evidence_kinds = models.JSONField(_("kinds of evidence"), default=list, blank=True)
    credibility = models.CharField(
        _("credibility finding"), max_length=20, choices=Credibility.choices, blank=True
    )
    reasons = EncryptedTextField(_("reasons"), blank=True)
    # A rejected fact names the inconsistency it rests on and whether the applicant was
    # given the chance to explain it (EU Directive 2013/32/EU Art. 16; Handbook para. 199).
    inconsistency = EncryptedTextField(_("the inconsistency"), blank=True)
    explanation_sought = models.BooleanField(
        _("the applicant was given the chance to explain it"), null=True
    )
    explanation = EncryptedTextField(_("the applicant's explanation"), blank=True)

    class Meta:
        verbose_name = _("material fact")
        verbose_name_plural = _("material facts")
        ordering = ["assessment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="fact_number_once"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}.{self.number}"


class Ground(models.TextChoices):
    # 1951 Convention Art. 1A(2); UNHCR Handbook paras. 66-86.
    RACE = "race", _("Race")
    RELIGION = "religion", _("Religion")
    NATIONALITY = "nationality", _("Nationality")
    SOCIAL_GROUP = "social_group", _("Membership of a particular social group")
    POLITICAL_OPINION = "political_opinion", _("Political opinion")


class NexusFinding(models.Model):
    """One Convention ground: claimed or not, established or not, and why."""

    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="nexus")
    ground = models.CharField(_("ground"), max_length=20, choices=Ground.choices)
    claimed = models.BooleanField(_("claimed by the applicant"), default=False)
    finding = models.CharField(_("finding"), max_length=20, choices=Finding.choices, blank=True)
    # EU Directive 2011/95/EU Art. 10(2): it is immaterial whether the applicant actually
    # holds the characteristic, if the persecutor attributes it to them.
    imputed = models.BooleanField(_("imputed by the persecutor"), default=False)
    reasons = EncryptedTextField(_("reasons"), blank=True)

    class Meta:
        verbose_name = _("Convention ground")
        verbose_name_plural = _("Convention grounds")
        ordering = ["assessment", "pk"]
        indexes = [models.Index(fields=["ground", "claimed"])]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "ground"], name="ground_once"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.ground}"


class ComplementaryFinding(models.Model):
    """One ground of complementary protection (see rules.COMPLEMENTARY_GROUNDS)."""

    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="complementary"
    )
    ground = models.CharField(_("ground"), max_length=40)
    finding = models.CharField(_("finding"), max_length=20, choices=Finding.choices, blank=True)
    reasons = EncryptedTextField(_("reasons"), blank=True)

    class Meta:
        verbose_name = _("complementary protection ground")
        verbose_name_plural = _("complementary protection grounds")
        ordering = ["assessment", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "ground"], name="complementary_ground_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.ground}"


class Citation(models.Model):
    """A source of country information cited in one part (or for one fact), with a
    pinpoint: page, paragraph, or the passage quoted."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="citations")
    part = models.CharField(_("part"), max_length=16, choices=Part.choices)
    fact = models.ForeignKey(
        MaterialFact, on_delete=models.CASCADE, null=True, blank=True, related_name="citations"
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    # The passage found by a search; kept only as long as the source's text is unchanged,
    # the pinpoint below stays.
    passage = models.ForeignKey(
        Passage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    page = models.CharField(_("page"), max_length=20, blank=True)
    paragraph = models.CharField(_("paragraph"), max_length=20, blank=True)
    quote = models.TextField(_("passage quoted"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        ordering = ["assessment", "pk"]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.part} → {self.source_id}"

    @property
    def pinpoint(self) -> str:
        bits = []
        if self.page:
            bits.append(_("p. %(page)s") % {"page": self.page})
        if self.paragraph:
            bits.append(_("para. %(paragraph)s") % {"paragraph": self.paragraph})
        return ", ".join(bits)


class ReviewOutcome(models.TextChoices):
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for changes")


class Review(models.Model):
    """A supervisor's review of the assessment as it stood at ``assessment_version``."""

    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(_("outcome"), max_length=12, choices=ReviewOutcome.choices)
    comments = EncryptedTextField(_("comments"), blank=True)
    assessment_version = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.outcome}"


class EligibilityPolicy(models.Model):
    """An office's rules for assessments: when a supervisor must review (four eyes)."""

    office = models.OneToOneField(
        Office, on_delete=models.CASCADE, related_name="eligibility_policy"
    )
    review_required = models.BooleanField(
        _("every assessment needs a supervisor's review"), default=False
    )
    review_profiles = models.JSONField(
        _("procedures whose assessments need a review"), default=list, blank=True
    )
    review_conclusions = models.JSONField(
        _("conclusions that need a review"), default=list, blank=True
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("assessment rules of an office")
        verbose_name_plural = _("assessment rules of offices")

    def __str__(self) -> str:
        return str(self.office)
