from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nansen.registration.models import Case


class Verb(models.TextChoices):
    """What happened, as the case timeline shows it."""

    CASE_REGISTERED = "case_registered", _("Case registered")
    MEMBER_ADDED = "member_added", _("Family member added")
    PERSON_UPDATED = "person_updated", _("Personal details corrected")
    REPRESENTATIVE_ADDED = "representative_added", _("Legal representative added")
    REPRESENTATIVE_REMOVED = "representative_removed", _("Legal representative removed")
    APPLICATION_LODGED = "application_lodged", _("Application lodged")
    INTERVIEW_RECORDED = "interview_recorded", _("Interview recorded")
    DECISION_RECORDED = "decision_recorded", _("Decision recorded")
    INTERVIEW_SCHEDULED = "interview_scheduled", _("Interview scheduled")
    INTERVIEW_CANCELLED = "interview_cancelled", _("Interview cancelled")
    INTERVIEW_MISSED = "interview_missed", _("Interview missed by the applicant")
    CONTACT_RECORDED = "contact_recorded", _("Applicant made contact")
    PROCESSING_MODE_CHANGED = "processing_mode_changed", _("Processing mode changed")
    REASONABLE_GROUNDS_RECORDED = (
        "reasonable_grounds_recorded",
        _("Material showing reasonable grounds recorded"),
    )
    REMOVAL_EXCEPTION_RECORDED = (
        "removal_exception_recorded",
        _("Ground excepting the application from the suspension of removal recorded"),
    )
    APPLICATION_REOPENED = "application_reopened", _("File reopened")
    APPEAL_LODGED = "appeal_lodged", _("Appeal, review request or court action lodged")
    APPEAL_ASSIGNED = "appeal_assigned", _("Appeal assigned")
    COUNSELLOR_OPINION_RECORDED = "counsellor_opinion_recorded", _("Counsellor's opinion recorded")
    HEARING_RECORDED = "hearing_recorded", _("Oral hearing held or waived")
    HEARING_REFUSED = "hearing_refused", _("Oral hearing refused")
    COUNSELLOR_DESIGNATED = "counsellor_designated", _("Counsellor designated")
    COUNSELLOR_DESIGNATION_CANCELLED = (
        "counsellor_designation_cancelled",
        _("Designation of a counsellor cancelled"),
    )
    APPEAL_WITHDRAWN = "appeal_withdrawn", _("Appeal or request for review withdrawn")
    COUNSELLORS_HEARD = "counsellors_heard", _("Counsellors heard")
    APPEAL_DECIDED = "appeal_decided", _("Appeal decided")
    COURT_DETAILS_RECORDED = "court_details_recorded", _("Court and case number recorded")
    COURT_HEARING_RECORDED = "court_hearing_recorded", _("Court hearing recorded")
    JUDGMENT_RECORDED = "judgment_recorded", _("Court judgment recorded")
    JUDGMENT_SERVED = "judgment_served", _("Court judgment served")
    STAY_APPLIED = "stay_applied", _("Stay of execution applied for")
    STAY_DECIDED = "stay_decided", _("Stay of execution granted or refused")
    LETTER_ISSUED = "letter_issued", _("Decision letter issued")
    DECISION_NOTIFIED = "decision_notified", _("Decision notified")
    DISCLOSURE_RECORDED = "disclosure_recorded", _("Information disclosed")
    DISCLOSURE_REFUSED = "disclosure_refused", _("Disclosure refused")
    GUARD_REFUSED = "guard_refused", _("Sending refused by the country-of-origin guard")
    GUARD_EXCEPTION_REQUESTED = (
        "guard_exception_requested",
        _("Consent to an exception to the country-of-origin guard recorded"),
    )
    GUARD_EXCEPTION_APPROVED = (
        "guard_exception_approved",
        _("Exception to the country-of-origin guard approved"),
    )
    GUARD_EXCEPTION_USED = (
        "guard_exception_used",
        _("Exception to the country-of-origin guard used"),
    )
    LEGAL_HOLD_PLACED = "legal_hold_placed", _("Legal hold placed")
    LEGAL_HOLD_LIFTED = "legal_hold_lifted", _("Legal hold lifted")
    PERSON_EXPORTED = "person_exported", _("Personal data exported for the person")
    PERSON_ANONYMISED = "person_anonymised", _("Personal data anonymised")
    PERSONS_MERGED = "persons_merged", _("Duplicate person records merged")
    PERSONS_UNMERGED = "persons_unmerged", _("Merge of person records undone")
    REFERRAL_IDENTIFIED = "referral_identified", _("Referred for resettlement or a pathway")
    REFERRAL_UPDATED = "referral_updated", _("Referral details changed")
    REFERRAL_SUBMITTED = "referral_submitted", _("Referral submitted to the receiving country")
    REFERRAL_ACCEPTED = "referral_accepted", _("Accepted by the receiving country")
    REFERRAL_REJECTED = "referral_rejected", _("Rejected by the receiving country")
    REFERRAL_WITHDRAWN = "referral_withdrawn", _("Referral withdrawn")
    REFERRAL_DEPARTED = "referral_departed", _("Departed for the receiving country")
    REFERRAL_ARRIVED = "referral_arrived", _("Arrived in the receiving country")
    ASSESSMENT_STARTED = "assessment_started", _("Eligibility assessment started")
    ASSESSMENT_CHANGED = "assessment_changed", _("Eligibility assessment changed")
    ASSESSMENT_SUBMITTED = "assessment_submitted", _("Assessment submitted for review")
    ASSESSMENT_REVIEWED = "assessment_reviewed", _("Assessment reviewed by a supervisor")
    EXCLUSION_REFERRED = "exclusion_referred", _("Referred for an exclusion assessment")


class CaseEvent(models.Model):
    """One state change in a case's history: who did what, when, from which state to which."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # No `choices` here: the verbs and their labels are the Verb enumeration above, and
    # get_verb_display reads the label from it, so a new verb needs no migration.
    verb = models.CharField(max_length=40)
    object_type = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    state_before = models.CharField(max_length=40, blank=True)
    state_after = models.CharField(max_length=40, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.verb} {self.at:%Y-%m-%d %H:%M}"

    def get_verb_display(self) -> str:
        try:
            return str(Verb(self.verb).label)
        except ValueError:
            return self.verb


class Channel(models.TextChoices):
    PAGE = "page", _("Page")
    API = "api", _("API")
    EXPORT = "export", _("Export")
    COMMAND = "command", _("Command line")
    AUTH = "auth", _("Sign-in")
    SERVICE = "service", _("Change")


class AuditHead(models.Model):
    """The single row that holds the end of the audit chain. Appending locks it, so the
    chain is one sequence even with many writers."""

    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="single_audit_head"),
        ]

    def __str__(self) -> str:
        return f"{self.sequence}:{self.hash[:12]}"


class AuditEntry(models.Model):
    """One entry of the append-only audit log: who did or saw what, when, from where.

    Each entry's hash covers every stored column, the previous entry's hash included (what
    exactly depends on ``hash_version``: see ``nansen.audit.chain.HASHED_FIELDS``); the
    database refuses updates and deletions (migrations 0002 and 0006), and `nansen audit
    verify` finds any change, deletion or insertion. Entries carry ids, never names.
    """

    sequence = models.PositiveBigIntegerField(unique=True)
    # Set by chain.append; no default, so that nothing writes an entry around the chain.
    hash_version = models.PositiveSmallIntegerField()
    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    username = models.CharField(max_length=150, blank=True)
    office_id = models.BigIntegerField(null=True, db_index=True)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.BigIntegerField(null=True)
    case_id = models.BigIntegerField(null=True, db_index=True)
    person_ids = models.JSONField(default=list, blank=True)
    details = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["sequence"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["user", "at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type}:{self.object_id}"
