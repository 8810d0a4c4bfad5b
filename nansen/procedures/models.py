from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nansen.accounts.models import Office
from nansen.core.fields import EncryptedTextField
from nansen.registration.models import Case, Person, Sex


class Stage(models.TextChoices):
    """The stages the engine knows by name; each profile uses some of them (and may add its
    own, with their labels). Which steps lead from one to another is the profile's."""

    LODGED = "lodged", _("Lodged")
    INTERVIEWED = "interviewed", _("Interviewed")
    # Recorded in histories written before the procedure profiles; no profile uses it.
    DECIDED = "decided", _("Decided at first instance")
    RECOGNIZED = "recognized", _("Recognized as a refugee")
    COMPLEMENTARY = "complementary", _("Complementary protection or permission to stay")
    REFUSED = "refused", _("Refused at first instance")
    CLOSED = "closed", _("File closed")
    REOPENED = "reopened", _("File reopened")
    APPEAL_LODGED = "appeal_lodged", _("Appeal or request for review lodged")
    COUNSELLORS_HEARD = "counsellors_heard", _("Opinions of the counsellors heard")
    UPHELD = "upheld", _("Refusal upheld on appeal or review")
    APPEAL_INADMISSIBLE = "appeal_inadmissible", _("Appeal or request for review inadmissible")
    APPEAL_WITHDRAWN = "appeal_withdrawn", _("Appeal or request for review withdrawn")
    REMITTED = "remitted", _("Sent back to first instance")
    IN_COURT = "in_court", _("Before the court")
    COURT_UPHELD = "court_upheld", _("Refusal upheld by the court")


class Instance(models.TextChoices):
    FIRST = "first", _("First instance")
    APPEAL = "appeal", _("Administrative review or appeal")
    JUDICIAL = "judicial", _("Judicial review")


class Outcome(models.TextChoices):
    """UNHCR's statistical decision categories (International Recommendations on Refugee
    Statistics; UNHCR asylum decisions: dec_recognized, dec_other, dec_rejected, dec_closed)."""

    RECOGNIZED = "recognized", _("Recognized as a refugee")
    COMPLEMENTARY = "complementary", _("Complementary protection")
    REJECTED = "rejected", _("Rejected")
    CLOSED = "closed", _("Otherwise closed")


class ClosureReason(models.TextChoices):
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ABANDONED = "abandoned", _("Abandoned")
    INADMISSIBLE = "inadmissible", _("Inadmissible")
    DECEASED = "deceased", _("Deceased")
    OTHER = "other", _("Other reason")


class ProcessingMode(models.TextChoices):
    """Processing modes the engine knows by name (UNHCR's case processing modalities); a
    profile declares which it uses and what each allows."""

    REGULAR = "regular", _("Regular")
    ACCELERATED = "accelerated", _("Accelerated")
    SIMPLIFIED = "simplified", _("Simplified")
    MERGED = "merged", _("Merged")


SUBSTANTIVE_OUTCOMES = (Outcome.RECOGNIZED, Outcome.COMPLEMENTARY, Outcome.REJECTED)


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user) -> ApplicationQuerySet:
        return self.filter(case__in=Case.objects.visible_to(user))

    def in_progress(self) -> ApplicationQuerySet:
        """Applications whose procedure is still running: their stage awaits a decision or
        a step of the applicant's (as each profile marks its stages ``pending``)."""
        from nansen.procedures.profiles import profiles

        q = models.Q()
        for profile in profiles().values():
            pending = [s.id for s in profile.stages.values() if s.pending]
            q |= models.Q(profile=profile.id, stage__in=pending)
        return self.filter(q)

    def pending_at_authority(self) -> ApplicationQuerySet:
        """Applications in progress before the authority itself, not before a court (the
        profile marks court stages ``court``)."""
        from nansen.procedures.profiles import profiles

        q = models.Q()
        for profile in profiles().values():
            pending = [s.id for s in profile.stages.values() if s.pending and not s.court]
            q |= models.Q(profile=profile.id, stage__in=pending)
        return self.filter(q)

    def awaiting_first_decision(self) -> ApplicationQuerySet:
        """Applications with no standing first-instance decision (lodged, interviewed,
        reopened or sent back)."""
        return self.exclude(
            decisions__instance=Instance.FIRST, decisions__superseded_at__isnull=True
        )


class Application(models.Model):
    """One person's claim for protection, lodged on a date, as part of a case, following one
    procedure profile: its stage, due dates and history come from the engine."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="applications")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="applications")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="applications")
    profile = models.CharField(_("procedure profile"), max_length=40)
    processing_mode = models.CharField(
        _("processing mode"), max_length=20, default=ProcessingMode.REGULAR
    )
    lodged_on = models.DateField(_("date lodged"))
    ordinal = models.PositiveSmallIntegerField(
        _("application number"),
        help_text=_("1 for a first application, 2 for the first repeat application, and so on."),
    )
    interview_on = models.DateField(_("interview date"), null=True, blank=True)
    # Any stage a profile declares; the engine refuses one its profile does not have.
    stage = models.CharField(_("stage"), max_length=40, choices=Stage.choices, default="lodged")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eligibility officer in charge"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications_in_charge",
    )
    # Whether the pending application suspends removal, where the profile has such a rule
    # (None where it has none), and the exception that applies, if any.
    suspends_removal = models.BooleanField(_("suspends removal"), null=True, blank=True)
    removal_exception = models.CharField(max_length=60, blank=True)
    reasonable_grounds_shown = models.BooleanField(
        _("material showing reasonable grounds submitted"), default=False
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["lodged_on", "pk"]
        indexes = [
            models.Index(fields=["office", "lodged_on"]),
            models.Index(fields=["profile", "stage"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["person", "ordinal"], name="one_nth_application"),
            models.CheckConstraint(condition=models.Q(ordinal__gte=1), name="ordinal_positive"),
            models.CheckConstraint(condition=~models.Q(profile=""), name="application_has_profile"),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} / {self.person} #{self.ordinal}"

    @property
    def is_repeat(self) -> bool:
        return self.ordinal > 1

    @property
    def procedure(self):
        """The application's procedure profile."""
        from nansen.procedures import profiles

        return profiles.get(self.profile)

    def get_stage_display(self) -> str:
        return self.procedure.stage_label(self.stage)

    @property
    def next_due_label(self) -> str:
        """The label of the rule annotated as ``next_due_rule`` (selectors.next_deadline)."""
        rule = self.procedure.deadlines.get(getattr(self, "next_due_rule", "") or "")
        return str(rule.label) if rule else ""

    def get_processing_mode_display(self) -> str:
        mode = self.procedure.modes.get(self.processing_mode)
        return str(mode.label) if mode else self.processing_mode


class DecisionQuerySet(models.QuerySet):
    def visible_to(self, user) -> DecisionQuerySet:
        return self.filter(application__case__in=Case.objects.visible_to(user))

    def standing(self) -> DecisionQuerySet:
        return self.filter(superseded_at__isnull=True)


class Decision(models.Model):
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="decisions")
    instance = models.CharField(
        _("instance"), max_length=12, choices=Instance.choices, default=Instance.FIRST
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    # The profile's name for this kind of decision (e.g. complementary protection, or a
    # refusal with special permission to stay, both counted as "complementary").
    form = models.CharField(_("kind of decision"), max_length=40, blank=True)
    closure_reason = models.CharField(
        _("reason for closing"), max_length=16, choices=ClosureReason.choices, blank=True
    )
    decided_on = models.DateField(_("date of decision"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decision maker"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    reasons = models.TextField(_("reasons"))
    without_interview_reason = models.TextField(_("why there was no interview"), blank=True)
    # A decision taken before the office used Nansen, entered from its paper file: it has no
    # structured assessment (eligibility) and no letter issued through Nansen.
    historical = models.BooleanField(_("entered from an earlier record"), default=False)
    notified_on = models.DateField(_("date of notification"), null=True, blank=True)
    # A decision replaced by a later one at the same instance (file reopened, or sent back
    # from appeal) stays in the record and in the statistics of its year.
    superseded_at = models.DateTimeField(null=True, blank=True, editable=False)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["decided_on", "pk"]
        indexes = [models.Index(fields=["instance", "decided_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "instance"],
                condition=models.Q(superseded_at__isnull=True),
                name="one_standing_decision_per_instance",
            ),
            models.CheckConstraint(
                condition=models.Q(outcome__in=Outcome.values), name="decision_outcome_valid"
            ),
            # A closed file states why; a substantive decision has no closure reason.
            models.CheckConstraint(
                condition=(models.Q(outcome="closed") & ~models.Q(closure_reason=""))
                | (~models.Q(outcome="closed") & models.Q(closure_reason="")),
                name="closure_reason_iff_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} — {self.get_outcome_display()}"

    @property
    def form_label(self) -> str:
        form = self.application.procedure.forms.get(self.form)
        return str(form.label) if form else str(self.get_outcome_display())


class Room(models.Model):
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="interview_rooms")
    name = models.CharField(_("name"), max_length=100)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("interview room")
        verbose_name_plural = _("interview rooms")
        ordering = ["office", "name"]
        constraints = [
            models.UniqueConstraint(fields=["office", "name"], name="room_name_per_office")
        ]

    def __str__(self) -> str:
        return self.name


class Interpreter(models.Model):
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="interpreters")
    name = models.CharField(_("name"), max_length=200)
    languages = models.JSONField(_("languages (ISO 639-3)"), default=list)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    active = models.BooleanField(_("available"), default=True)

    class Meta:
        verbose_name = _("interpreter")
        verbose_name_plural = _("interpreters")
        ordering = ["office", "name"]

    def __str__(self) -> str:
        return self.name

    def speaks(self, language: str) -> bool:
        return language in self.languages


class OfficerProfile(models.Model):
    """What the interview scheduling needs to know of a member of staff."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="officer_profile"
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    languages = models.JSONField(_("languages (ISO 639-3)"), default=list, blank=True)

    class Meta:
        verbose_name = _("interviewer details")
        verbose_name_plural = _("interviewer details")

    def __str__(self) -> str:
        return str(self.user)


class InterviewStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    MISSED = "missed", _("Missed by the applicant")
    CANCELLED = "cancelled", _("Cancelled")


class Presence(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    INTERVIEWER = "interviewer", _("Interviewer")
    INTERPRETER = "interpreter", _("Interpreter")
    REPRESENTATIVE = "representative", _("Legal representative")
    GUARDIAN = "guardian", _("Guardian or trusted adult")
    OTHER = "other", _("Someone else")


class InterviewQuerySet(models.QuerySet):
    def visible_to(self, user) -> InterviewQuerySet:
        return self.filter(application__case__in=Case.objects.visible_to(user))

    def booked(self) -> InterviewQuerySet:
        return self.filter(status__in=[InterviewStatus.SCHEDULED, InterviewStatus.HELD])

    def overlapping(self, starts_at, ends_at) -> InterviewQuerySet:
        return self.booked().filter(starts_at__lt=ends_at, ends_at__gt=starts_at)


class Interview(models.Model):
    """An interview of one applicant: its slot, who conducts and interprets it, and, once
    held, its record. The account given is sensitive and stays encrypted in the database."""

    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="interviews"
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=InterviewStatus.choices,
        default=InterviewStatus.SCHEDULED,
    )
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    room = models.ForeignKey(
        Room, verbose_name=_("room"), on_delete=models.PROTECT, null=True, blank=True
    )
    remote = models.BooleanField(_("held remotely"), default=False)
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("interviewer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interviews_conducted",
    )
    interpreter = models.ForeignKey(
        Interpreter,
        verbose_name=_("interpreter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interviews",
    )
    language = models.CharField(
        _("language of the interview (ISO 639-3)"), max_length=3, blank=True
    )
    same_sex_requested = models.BooleanField(
        _("the applicant asks for an interviewer and interpreter of the same sex"), default=False
    )
    same_sex_unmet_reason = models.TextField(
        _("why the request for the same sex could not be met"), blank=True
    )
    # The record, once the interview was held.
    held_on = models.DateField(_("date held"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    present = models.JSONField(_("present"), default=list, blank=True)
    account = EncryptedTextField(_("account given by the applicant"), blank=True)
    read_back = models.BooleanField(_("read back to the applicant"), default=False)
    confirmed = models.BooleanField(_("confirmed by the applicant"), null=True, blank=True)
    corrections = EncryptedTextField(_("corrections asked by the applicant"), blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = InterviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["starts_at", "held_on", "pk"]
        indexes = [
            models.Index(fields=["interviewer", "starts_at"]),
            models.Index(fields=["interpreter", "starts_at"]),
            models.Index(fields=["room", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__isnull=True)
                | models.Q(ends_at__gt=models.F("starts_at")),
                name="interview_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=InterviewStatus.values),
                name="interview_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} — {self.get_status_display()}"


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", _("First-instance decision upheld")
    OVERTURNED = "overturned", _("Overturned, with a new decision")
    REMITTED = "remitted", _("Sent back to first instance")
    # Dismissed without examining the merits (e.g. late without justifiable grounds, or not
    # lodged by a person entitled): a ruling all the same (ACRA Art. 45(1)).
    INADMISSIBLE = "inadmissible", _("Dismissed as inadmissible")
    # The applicant's own act, any time before the ruling (ACRA Art. 27): no ruling follows.
    WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")


class LodgingMethod(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    POST = "post", _("By post")
    ELECTRONIC = "electronic", _("Electronically")


class CourtLevel(models.TextChoices):
    """The courts a judicial proceeding goes before, from the first instance to the last."""

    DISTRICT = "district", _("District Court")
    HIGH = "high", _("High Court (appeal)")
    SUPREME = "supreme", _("Supreme Court (final appeal)")


class Appellant(models.TextChoices):
    """Who brought a judicial proceeding: the applicant, or the State appealing a judgment
    that revoked the refusal."""

    APPLICANT = "applicant", _("The applicant")
    STATE = "state", _("The State")


class StayOutcome(models.TextChoices):
    GRANTED = "granted", _("Stay of execution granted")
    REFUSED = "refused", _("Stay of execution refused")


class AppealQuerySet(models.QuerySet):
    def visible_to(self, user) -> AppealQuerySet:
        return self.filter(application__case__in=Case.objects.visible_to(user))


class Appeal(models.Model):
    """An appeal or request for review (instance "appeal") or a court action ("judicial")
    against a decision."""

    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="appeals")
    instance = models.CharField(_("instance"), max_length=12, choices=Instance.choices)
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision appealed"),
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    lodged_on = models.DateField(_("date lodged"))
    lodging_method = models.CharField(
        _("how it was lodged"),
        max_length=12,
        choices=LodgingMethod.choices,
        default=LodgingMethod.IN_PERSON,
    )
    # The postmark: a request sent by post is in time when posted within the period
    # (ACRA Art. 18(3)); ``lodged_on`` is then the day it was received.
    posted_on = models.DateField(_("date posted (postmark)"), null=True, blank=True)
    due_on = models.DateField(_("last day in time"), null=True, blank=True)
    late_until = models.DateField(_("last day a late appeal is accepted"), null=True, blank=True)
    in_time = models.BooleanField(_("lodged in time"))
    late_justification = models.TextField(_("why the appeal is late"), blank=True)
    grounds = EncryptedTextField(_("grounds"), blank=True)
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("appeals officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals_assigned",
    )
    hearing_waived = models.BooleanField(_("oral hearing waived"), default=False)
    hearing_on = models.DateField(_("date of the oral hearing"), null=True, blank=True)
    hearing_refused_on = models.DateField(
        _("date the oral hearing was refused"), null=True, blank=True
    )
    hearing_refused_reason = models.TextField(_("why the oral hearing was refused"), blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=AppealOutcome.choices, blank=True
    )
    decided_on = models.DateField(_("date decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    new_decision = models.OneToOneField(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="from_appeal"
    )
    # A judicial proceeding: its court level and court, the court's case number, who brought
    # it, and the day its judgment was served (the periods for appealing it run from then).
    court_level = models.CharField(
        _("court level"), max_length=10, choices=CourtLevel.choices, blank=True
    )
    court = models.CharField(_("court"), max_length=200, blank=True)
    court_case_number = models.CharField(_("court's case number"), max_length=100, blank=True)
    appellant = models.CharField(
        _("brought by"), max_length=10, choices=Appellant.choices, default=Appellant.APPLICANT
    )
    served_on = models.DateField(_("date the judgment was served"), null=True, blank=True)
    # A stay of execution of the removal order (ACLA Art. 25): the court action alone does
    # not suspend removal, a stay granted does.
    stay_applied_on = models.DateField(_("stay of execution applied for on"), null=True, blank=True)
    stay_outcome = models.CharField(
        _("stay of execution"), max_length=8, choices=StayOutcome.choices, blank=True
    )
    stay_decided_on = models.DateField(_("stay of execution decided on"), null=True, blank=True)
    stay_court = models.CharField(_("court that decided the stay"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = AppealQuerySet.as_manager()

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["lodged_on", "pk"]
        constraints = [
            # A court action, the appeal to the High Court and the final appeal are each one
            # proceeding against the same decision, at its own court level.
            models.UniqueConstraint(
                fields=["decision", "instance", "court_level"],
                name="one_appeal_per_decision_instance_and_level",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(instance="judicial") & models.Q(court_level__in=CourtLevel.values)
                )
                | (~models.Q(instance="judicial") & models.Q(court_level="")),
                name="court_level_iff_judicial",
            ),
            # The State appeals a judgment; it does not bring the action.
            models.CheckConstraint(
                condition=models.Q(appellant=Appellant.APPLICANT)
                | (models.Q(instance="judicial") & ~models.Q(court_level=CourtLevel.DISTRICT)),
                name="state_appeals_only_a_judgment",
            ),
            models.CheckConstraint(
                condition=models.Q(served_on__isnull=True)
                | (~models.Q(outcome="") & models.Q(served_on__gte=models.F("decided_on"))),
                name="judgment_served_after_it_was_given",
            ),
            # A stay is applied for in a court proceeding, then granted or refused, not before.
            models.CheckConstraint(
                condition=models.Q(stay_applied_on__isnull=True) | models.Q(instance="judicial"),
                name="stay_only_in_court",
            ),
            models.CheckConstraint(
                condition=(models.Q(stay_outcome="") & models.Q(stay_decided_on__isnull=True))
                | (
                    models.Q(stay_outcome__in=StayOutcome.values)
                    & models.Q(stay_applied_on__isnull=False)
                    & models.Q(stay_decided_on__gte=models.F("stay_applied_on"))
                ),
                name="stay_decided_after_applied",
            ),
            models.CheckConstraint(
                condition=models.Q(outcome="") | models.Q(decided_on__isnull=False),
                name="decided_appeal_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(outcome__in=["", *AppealOutcome.values]),
                name="appeal_outcome_valid",
            ),
            # A posting date only for a request sent by post, and never after it arrived.
            models.CheckConstraint(
                condition=(
                    models.Q(lodging_method=LodgingMethod.POST)
                    & models.Q(posted_on__isnull=False)
                    & models.Q(posted_on__lte=models.F("lodged_on"))
                )
                | (
                    models.Q(lodging_method__in=[LodgingMethod.IN_PERSON, LodgingMethod.ELECTRONIC])
                    & models.Q(posted_on__isnull=True)
                ),
                name="appeal_posted_on_iff_by_post",
            ),
            # A refused hearing states its reason, and was then neither held nor waived.
            models.CheckConstraint(
                condition=(
                    models.Q(hearing_refused_on__isnull=True) & models.Q(hearing_refused_reason="")
                )
                | (
                    models.Q(hearing_refused_on__isnull=False)
                    & ~models.Q(hearing_refused_reason="")
                    & models.Q(hearing_on__isnull=True)
                    & models.Q(hearing_waived=False)
                ),
                name="appeal_hearing_refused_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} — {self.get_instance_display()}"

    @property
    def judgment_label(self) -> str:
        """A court's judgment in the court's terms: the refusal upheld, or revoked."""
        if self.outcome == AppealOutcome.UPHELD:
            return str(_("Refusal upheld"))
        if self.outcome == AppealOutcome.REMITTED:
            return str(_("Refusal revoked: the Minister decides again"))
        return self.get_outcome_display()


class CourtHearing(models.Model):
    """A hearing in a judicial proceeding (oral argument, examination of the applicant…),
    with a note of what happened or is expected."""

    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="court_hearings")
    held_on = models.DateField(_("date of the hearing"))
    note = EncryptedTextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("court hearing")
        verbose_name_plural = _("court hearings")
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.appeal} — {self.held_on.isoformat()}"


class CounsellorFinding(models.TextChoices):
    GROUNDS = "grounds", _("The request has grounds")
    NO_GROUNDS = "no_grounds", _("The request has no grounds")


class Counsellor(models.Model):
    """A refugee examination counsellor on the office's register: an outside expert whom the
    Minister designates to examine requests, linked to a user account where they have one (so
    that one who decided or interviewed at first instance is recognised)."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="counsellors")
    name = models.CharField(_("name"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="counsellor_entries",
    )
    active = models.BooleanField(_("on the register"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("refugee examination counsellor")
        verbose_name_plural = _("refugee examination counsellors")
        ordering = ["office", "name"]
        constraints = [
            models.UniqueConstraint(fields=["office", "name"], name="counsellor_name_per_office"),
            models.UniqueConstraint(
                fields=["office", "user"],
                condition=models.Q(user__isnull=False),
                name="counsellor_user_once_per_office",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CounsellorDesignation(models.Model):
    """A counsellor designated to examine one request for review."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="designations")
    counsellor = models.ForeignKey(
        Counsellor,
        verbose_name=_("counsellor"),
        on_delete=models.PROTECT,
        related_name="designations",
    )
    designated_on = models.DateField(_("date designated"))
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("designation of a counsellor")
        verbose_name_plural = _("designations of counsellors")
        ordering = ["designated_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["appeal", "counsellor"], name="counsellor_designated_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.counsellor} — {self.appeal}"


class CounsellorOpinion(models.Model):
    """The opinion of one designated refugee examination counsellor on a request for review."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="opinions")
    counsellor = models.ForeignKey(
        Counsellor, verbose_name=_("counsellor"), on_delete=models.PROTECT, related_name="opinions"
    )
    finding = models.CharField(_("finding"), max_length=12, choices=CounsellorFinding.choices)
    summary = models.TextField(_("summary of the opinion"))
    given_on = models.DateField(_("date given"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("counsellor's opinion")
        verbose_name_plural = _("counsellors' opinions")
        ordering = ["given_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["appeal", "counsellor"], name="one_opinion_per_counsellor"
            )
        ]

    def __str__(self) -> str:
        return f"{self.counsellor}: {self.finding}"


class DeadlineStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MET = "met", _("Met")
    CANCELLED = "cancelled", _("No longer applies")


class DeadlineQuerySet(models.QuerySet):
    def visible_to(self, user) -> DeadlineQuerySet:
        return self.filter(application__case__in=Case.objects.visible_to(user))

    def open(self) -> DeadlineQuerySet:
        return self.filter(status=DeadlineStatus.OPEN)


class Deadline(models.Model):
    """A due date the engine computed from an event by the profile's rule."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="deadlines")
    rule = models.CharField(_("rule"), max_length=40)
    party = models.CharField(max_length=12)
    event = models.CharField(max_length=40)
    event_on = models.DateField(_("date of the event"))
    due_on = models.DateField(_("last day"))
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="deadlines"
    )
    status = models.CharField(
        max_length=12, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN
    )
    closed_on = models.DateField(null=True, blank=True)
    closed_by = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["application", "rule"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=DeadlineStatus.values),
                name="deadline_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.rule} {self.due_on}"

    @property
    def rule_def(self):
        return self.application.procedure.deadlines.get(self.rule)

    @property
    def label(self) -> str:
        rule = self.rule_def
        return str(rule.label) if rule else self.rule

    def is_overdue(self, today) -> bool:
        return self.status == DeadlineStatus.OPEN and self.due_on < today


class LetterLanguage(models.TextChoices):
    ENGLISH = "en", "English"
    JAPANESE = "ja", "日本語"
    ARABIC = "ar", "العربية"


class AddresseeKind(models.TextChoices):
    APPLICANT = "applicant", _("The applicant")
    REPRESENTATIVE = "representative", _("The applicant's legal representative")
    AUTHORITY = "authority", _("A state authority (copy)")


class LetterQuerySet(models.QuerySet):
    def visible_to(self, user) -> LetterQuerySet:
        return self.filter(decision__application__case__in=Case.objects.visible_to(user))


class Letter(models.Model):
    """A decision letter as issued: the PDF, its SHA-256 hash, and when it was notified."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="letters")
    language = models.CharField(_("language"), max_length=2, choices=LetterLanguage.choices)
    addressee_kind = models.CharField(
        _("addressed to"),
        max_length=16,
        choices=AddresseeKind.choices,
        default=AddresseeKind.APPLICANT,
    )
    addressee_country = models.CharField(_("addressee's country"), max_length=3, blank=True)
    notification_on = models.DateField(_("to be notified on"))
    rule = models.CharField(max_length=40, blank=True)
    last_day = models.DateField(_("last day stated"), null=True, blank=True)
    late_last_day = models.DateField(null=True, blank=True)
    pdf = models.BinaryField(editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    issued_at = models.DateTimeField(default=timezone.now, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    notified_on = models.DateField(_("notified on"), null=True, blank=True)
    notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision letter")
        verbose_name_plural = _("decision letters")
        ordering = ["issued_at", "pk"]

    def __str__(self) -> str:
        return f"{self.decision} ({self.language})"

    @property
    def filename(self) -> str:
        application = self.decision.application
        parts = (application.case.number, application.ordinal, self.decision.instance, self.pk)
        return "-".join(str(p) for p in parts) + f"-{self.language}.pdf"
