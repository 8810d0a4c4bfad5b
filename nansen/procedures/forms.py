from __future__ import annotations

from datetime import datetime

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nansen.accounts.roles import Role
from nansen.core.forms import Form
from nansen.core.reference import country_choices, language_name
from nansen.procedures import profiles
from nansen.procedures.models import (
    AddresseeKind,
    AppealOutcome,
    ClosureReason,
    Counsellor,
    CounsellorFinding,
    Interpreter,
    LetterLanguage,
    LodgingMethod,
    Outcome,
    Presence,
    Room,
    StayOutcome,
)


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        if isinstance(value, datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            return value.strftime("%Y-%m-%dT%H:%M")
        return super().format_value(value)


def interpreter_label(interpreter) -> str:
    languages = ", ".join(language_name(c) for c in interpreter.languages)
    return f"{interpreter.name} ({languages}; {interpreter.get_sex_display()})"


def _local(day, time) -> datetime:
    return timezone.make_aware(datetime.combine(day, time))


class LodgeForm(Form):
    """Lodge applications for chosen members of a case; repeat numbers are optional."""

    lodged_on = forms.DateField(
        label=_("Date lodged"), widget=DateInput, initial=timezone.localdate
    )
    profile = forms.ChoiceField(
        label=_("Procedure"),
        required=False,
        help_text=_("Leave empty for the procedure the office follows."),
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profile"].choices = [("", "—"), *profiles.choices()]
        self.members = members
        for member in members:
            person = member.person
            self.fields[f"person_{person.pk}"] = forms.BooleanField(
                label=person.latin_name,
                required=False,
                initial=True,
            )
            self.fields[f"ordinal_{person.pk}"] = forms.IntegerField(
                label=_("Application number of %(name)s") % {"name": person.latin_name},
                required=False,
                min_value=1,
                max_value=99,
                help_text=_("Leave empty to count from the applications Nansen knows."),
            )

    def rows(self):
        for member in self.members:
            pk = member.person.pk
            yield member, self[f"person_{pk}"], self[f"ordinal_{pk}"]

    def clean(self):
        data = super().clean()
        if not any(data.get(f"person_{m.person.pk}") for m in self.members):
            raise forms.ValidationError(_("Choose at least one member of the case."))
        return data

    def chosen(self):
        data = self.cleaned_data
        persons = [m.person for m in self.members if data.get(f"person_{m.person.pk}")]
        ordinals = {p.pk: data[f"ordinal_{p.pk}"] for p in persons if data.get(f"ordinal_{p.pk}")}
        return persons, ordinals


class InterviewForm(Form):
    interview_on = forms.DateField(label=_("Interview date"), widget=DateInput)


class DecisionForm(Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    form = forms.ChoiceField(
        label=_("Kind of decision"),
        required=False,
        choices=[("", "—")],
        help_text=_("Leave empty for the usual kind for the outcome and date."),
    )
    closure_reason = forms.ChoiceField(
        label=_("Reason for closing"),
        required=False,
        choices=[("", "—"), *ClosureReason.choices],
        help_text=_("Only for an application that is otherwise closed."),
    )
    decided_on = forms.DateField(
        label=_("Date of decision"), widget=DateInput, initial=timezone.localdate
    )
    reasons = forms.CharField(
        label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 8}), max_length=50000
    )
    without_interview_reason = forms.CharField(
        label=_("Why there was no interview"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        help_text=_("Only when the applicant was not interviewed and the procedure allows it."),
    )

    def __init__(self, *args, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        if application is not None:
            profile = application.procedure
            self.fields["outcome"].choices = [
                (value, label) for value, label in Outcome.choices if value in profile.outcomes
            ]
            self.fields["form"].choices = [("", "—"), *decision_form_choices(profile)]
        self.profile = application.procedure if application is not None else None

    def clean(self):
        data = super().clean()
        chosen = self.profile.forms.get(data.get("form") or "") if self.profile else None
        if (
            chosen is not None
            and data.get("decided_on")
            and not chosen.in_force(data["decided_on"])
        ):
            self.add_error(
                "form",
                _("“%(form)s” is not a kind of decision in force on %(date)s (%(period)s).")
                % {
                    "form": chosen.label,
                    "date": data["decided_on"].isoformat(),
                    "period": form_period(chosen),
                },
            )
        outcome, reason = data.get("outcome"), data.get("closure_reason")
        if outcome == Outcome.CLOSED and not reason:
            self.add_error("closure_reason", _("Say why the application is closed."))
        if outcome and outcome != Outcome.CLOSED and reason:
            self.add_error(
                "closure_reason", _("Only a closed application has a reason for closing.")
            )
        return data


def form_period(form) -> str:
    """When a kind of decision may be taken, in words: "decisions until 9 June 2024"."""
    start = form.in_force_from.isoformat() if form.in_force_from else ""
    end = form.in_force_until.isoformat() if form.in_force_until else ""
    if start and end:
        return _("decisions from %(start)s to %(end)s") % {"start": start, "end": end}
    if start:
        return _("decisions from %(start)s") % {"start": start}
    return _("decisions until %(end)s") % {"end": end}


def decision_form_choices(profile, today=None) -> list[tuple[str, str]]:
    """The profile's kinds of decision; one not in force today says when it was (a decision
    taken earlier may still be entered with it)."""
    today = today or timezone.localdate()
    return [
        (f.id, str(f.label) if f.in_force(today) else f"{f.label} ({form_period(f)})")
        for f in profile.forms.values()
    ]


class ScheduleForm(Form):
    day = forms.DateField(label=_("Date"), widget=DateInput)
    starts = forms.TimeField(label=_("Starts"), widget=TimeInput)
    ends = forms.TimeField(label=_("Ends"), widget=TimeInput)
    interviewer = forms.ModelChoiceField(label=_("Interviewer"), queryset=None)
    language = forms.ChoiceField(label=_("Language of the interview"), required=False)
    interpreter = forms.ModelChoiceField(
        label=_("Interpreter"), queryset=None, required=False, empty_label="—"
    )
    room = forms.ModelChoiceField(label=_("Room"), queryset=None, required=False, empty_label="—")
    remote = forms.BooleanField(label=_("Held remotely (no room)"), required=False)
    same_sex_requested = forms.BooleanField(
        label=_("The applicant asks for an interviewer and interpreter of the same sex"),
        required=False,
    )
    same_sex_unmet_reason = forms.CharField(
        label=_("Why the request cannot be met"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def __init__(self, *args, application, interviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interviewer"].queryset = interviewers
        self.fields["interviewer"].label_from_instance = lambda u: u.display_name
        self.fields["interpreter"].queryset = Interpreter.objects.filter(
            office_id=application.office_id, active=True
        )
        self.fields["interpreter"].label_from_instance = interpreter_label
        self.fields["room"].queryset = Room.objects.filter(
            office_id=application.office_id, active=True
        )
        languages = application.person.languages or []
        self.fields["language"].choices = [("", "—"), *((c, language_name(c)) for c in languages)]
        if languages:
            self.fields["language"].initial = languages[0]
        # Choosing the language narrows the interpreters to those who speak it (HTMX).
        self.fields["language"].widget.attrs.update(
            {
                "hx-get": reverse("procedures:interview_interpreters", args=[application.pk]),
                "hx-target": "#id_interpreter",
                "hx-swap": "innerHTML",
            }
        )

    def clean(self):
        data = super().clean()
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            self.add_error("ends", _("The interview must end after it starts."))
        return data

    def slot(self) -> tuple[datetime, datetime]:
        data = self.cleaned_data
        return _local(data["day"], data["starts"]), _local(data["day"], data["ends"])


class InterviewRecordForm(Form):
    started_at = forms.DateTimeField(label=_("Started"), widget=DateTimeInput)
    ended_at = forms.DateTimeField(label=_("Ended"), widget=DateTimeInput)
    present = forms.MultipleChoiceField(
        label=_("Present"), choices=Presence.choices, widget=forms.CheckboxSelectMultiple
    )
    account = forms.CharField(
        label=_("Account given by the applicant"),
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=200000,
    )
    read_back = forms.BooleanField(
        label=_("The record was read back to the applicant"), required=False
    )
    confirmed = forms.TypedChoiceField(
        label=_("The applicant"),
        choices=[("yes", _("confirmed the record")), ("no", _("asked for corrections"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    corrections = forms.CharField(
        label=_("Corrections asked for"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=50000,
    )


class ReasonForm(Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000)


class ModeForm(Form):
    mode = forms.ChoiceField(label=_("Processing mode"))
    reason = forms.CharField(label=_("Reason"), max_length=2000)

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = [
            (m.id, str(m.label)) for m in application.procedure.modes.values()
        ]
        self.fields["mode"].initial = application.processing_mode


class ContactForm(Form):
    contacted_on = forms.DateField(
        label=_("Date of contact"), widget=DateInput, initial=timezone.localdate
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class GroundsForm(Form):
    note = forms.CharField(
        label=_("Material submitted"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class RemovalExceptionForm(Form):
    exception = forms.ChoiceField(label=_("Ground"), required=False)
    reasons = forms.CharField(
        label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )

    def __init__(self, *args, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        removal = application.procedure.removal if application is not None else None
        grounds = [e for e in removal.exceptions if e.recorded] if removal else []
        self.fields["exception"].choices = [
            ("", _("None: withdraw the ground recorded")),
            *((e.id, str(e.label)) for e in grounds),
        ]


class ReopenForm(Form):
    ground = forms.ChoiceField(label=_("Ground for reopening"))
    reopened_on = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ground"].choices = [
            (key, str(text)) for key, text in application.procedure.reopening_grounds.items()
        ]


class AppealLodgeForm(Form):
    lodged_on = forms.DateField(
        label=_("Date lodged"), widget=DateInput, initial=timezone.localdate
    )
    grounds = forms.CharField(
        label=_("Grounds"), widget=forms.Textarea(attrs={"rows": 6}), max_length=50000
    )
    late_justification = forms.CharField(
        label=_("Why it is late"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("Only when it is lodged after the last day."),
    )
    lodging_method = forms.ChoiceField(
        label=_("How it was lodged"),
        choices=LodgingMethod.choices,
        initial=LodgingMethod.IN_PERSON,
        widget=forms.RadioSelect,
        required=False,
    )
    posted_on = forms.DateField(
        label=_("Date posted (postmark)"),
        widget=DateInput,
        required=False,
        help_text=_("Only when sent by post: the date lodged is then the day it was received."),
    )

    def clean(self):
        data = super().clean()
        data["lodging_method"] = data.get("lodging_method") or LodgingMethod.IN_PERSON
        method, posted_on = data["lodging_method"], data.get("posted_on")
        if method == LodgingMethod.POST and posted_on is None:
            self.add_error("posted_on", _("Give the date it was posted (the postmark)."))
        elif method and method != LodgingMethod.POST and posted_on is not None:
            self.add_error("posted_on", _("Only a request sent by post has a posting date."))
        return data


class AssignForm(Form):
    officer = forms.ModelChoiceField(label=_("Appeals officer"), queryset=None)

    def __init__(self, *args, office_id, **kwargs):
        from nansen.accounts.models import User

        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = User.objects.filter(
            office_id=office_id, is_active=True, role_grants__role=Role.APPEALS_OFFICER
        ).order_by("username")
        self.fields["officer"].label_from_instance = lambda u: u.display_name


class CounsellorForm(Form):
    """An entry of the office's register of refugee examination counsellors."""

    name = forms.CharField(label=_("Name"), max_length=200)
    user = forms.ModelChoiceField(
        label=_("User account"),
        queryset=None,
        required=False,
        empty_label="—",
        help_text=_(
            "Where the counsellor has one: a counsellor who took part in a "
            "first-instance decision is then recognised and cannot be designated for it."
        ),
    )
    active = forms.BooleanField(label=_("On the register"), required=False, initial=True)

    def __init__(self, *args, office_id, **kwargs):
        from nansen.accounts.models import User

        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            office_id=office_id, is_active=True
        ).order_by("username")
        self.fields["user"].label_from_instance = lambda u: u.display_name


class DesignateForm(Form):
    counsellor = forms.ModelChoiceField(label=_("Counsellor"), queryset=None)
    designated_on = forms.DateField(
        label=_("Date designated"), widget=DateInput, initial=timezone.localdate
    )

    def __init__(self, *args, appeal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counsellor"].queryset = Counsellor.objects.filter(
            office_id=appeal.application.office_id, active=True
        ).exclude(designations__appeal=appeal)


class DesignationCancelForm(Form):
    designation = forms.ModelChoiceField(label=_("Counsellor"), queryset=None)

    def __init__(self, *args, appeal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["designation"].queryset = appeal.designations.all()


class OpinionForm(Form):
    counsellor = forms.ModelChoiceField(label=_("Counsellor"), queryset=None)
    finding = forms.ChoiceField(label=_("Finding"), choices=CounsellorFinding.choices)
    summary = forms.CharField(
        label=_("Summary of the opinion"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20000,
    )
    given_on = forms.DateField(label=_("Date given"), widget=DateInput, initial=timezone.localdate)

    def __init__(self, *args, appeal, **kwargs):
        super().__init__(*args, **kwargs)
        # The counsellors designated for the request who have not given their opinion.
        self.fields["counsellor"].queryset = Counsellor.objects.filter(
            designations__appeal=appeal
        ).exclude(opinions__appeal=appeal)


class HearingRefuseForm(Form):
    refused_on = forms.DateField(
        label=_("Date refused"), widget=DateInput, initial=timezone.localdate
    )
    reason = forms.CharField(
        label=_("Why the oral hearing is refused"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )


class WithdrawForm(Form):
    withdrawn_on = forms.DateField(
        label=_("Date the written withdrawal was received"),
        widget=DateInput,
        initial=timezone.localdate,
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )


class HearingForm(Form):
    held_on = forms.DateField(label=_("Date of the oral hearing"), widget=DateInput, required=False)
    waived = forms.BooleanField(label=_("The applicant waived the oral hearing"), required=False)


class AppealDecideForm(Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=AppealOutcome.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, keys=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The outcomes the profile's step has (a withdrawal is recorded, not decided).
        wanted = {key.split(":")[0] for key in keys} if keys else set(AppealOutcome.values)
        wanted.discard(AppealOutcome.WITHDRAWN)
        self.fields["outcome"].choices = [c for c in AppealOutcome.choices if c[0] in wanted]

    new_outcome = forms.ChoiceField(
        label=_("New decision"),
        required=False,
        choices=[
            ("", "—"),
            (Outcome.RECOGNIZED, Outcome.RECOGNIZED.label),
            (Outcome.COMPLEMENTARY, Outcome.COMPLEMENTARY.label),
        ],
        help_text=_("Only when the decision is overturned."),
    )
    decided_on = forms.DateField(
        label=_("Date of decision"), widget=DateInput, initial=timezone.localdate
    )
    reasons = forms.CharField(
        label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 8}), max_length=50000
    )


class CourtLodgeForm(Form):
    lodged_on = forms.DateField(
        label=_("Date lodged"), widget=DateInput, initial=timezone.localdate
    )
    court = forms.CharField(
        label=_("Court"),
        max_length=200,
        required=False,
        help_text=_("For example: Tokyo District Court."),
    )
    case_number = forms.CharField(
        label=_("Court's case number"),
        max_length=100,
        required=False,
        help_text=_("Once the court has given one, e.g. 令和6年(行ウ)第123号."),
    )
    grounds = forms.CharField(
        label=_("Grounds"), widget=forms.Textarea(attrs={"rows": 6}), max_length=50000
    )
    late_justification = forms.CharField(
        label=_("Why it is late"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("Only when it is lodged after the last day."),
    )


class CourtDetailsForm(Form):
    court = forms.CharField(label=_("Court"), max_length=200)
    case_number = forms.CharField(label=_("Court's case number"), max_length=100, required=False)


class CourtHearingForm(Form):
    held_on = forms.DateField(label=_("Date of the hearing"), widget=DateInput)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class JudgmentForm(Form):
    outcome = forms.ChoiceField(
        label=_("Judgment"),
        choices=[
            (AppealOutcome.UPHELD, _("Refusal upheld")),
            (AppealOutcome.REMITTED, _("Refusal revoked: the Minister decides again")),
        ],
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(
        label=_("Date of the judgment"), widget=DateInput, initial=timezone.localdate
    )
    served_on = forms.DateField(
        label=_("Date the judgment was served"),
        widget=DateInput,
        required=False,
        help_text=_("The periods to appeal it run from this day; it can be recorded later."),
    )
    reasons = forms.CharField(
        label=_("Summary of the reasons"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=50000,
    )


class JudgmentServiceForm(Form):
    served_on = forms.DateField(
        label=_("Date the judgment was served"), widget=DateInput, initial=timezone.localdate
    )


class StayApplyForm(Form):
    applied_on = forms.DateField(
        label=_("Date the stay was applied for"), widget=DateInput, initial=timezone.localdate
    )


class StayDecideForm(Form):
    outcome = forms.ChoiceField(
        label=_("The court's decision"), choices=StayOutcome.choices, widget=forms.RadioSelect
    )
    decided_on = forms.DateField(
        label=_("Date of the decision"), widget=DateInput, initial=timezone.localdate
    )
    court = forms.CharField(
        label=_("Court"),
        max_length=200,
        required=False,
        help_text=_("Only when another court than the proceeding's decided."),
    )


def letter_language_for(person) -> str:
    for code in person.languages or []:
        if code == "ara":
            return "ar"
        if code == "jpn":
            return "ja"
    return "en"


class LetterForm(Form):
    language = forms.ChoiceField(label=_("Language of the letter"), choices=LetterLanguage.choices)
    notification_on = forms.DateField(
        label=_("To be notified on"),
        widget=DateInput,
        initial=timezone.localdate,
        help_text=_("The last days the letter states are computed for this day."),
    )
    addressee_kind = forms.ChoiceField(label=_("Addressed to"), choices=AddresseeKind.choices)
    addressee_country = forms.ChoiceField(
        label=_("Country of the authority"),
        required=False,
        help_text=_("Only for a copy to a state authority."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["addressee_country"].choices = [("", "—"), *country_choices()]


class NotifyForm(Form):
    notified_on = forms.DateField(
        label=_("Notified on"), widget=DateInput, initial=timezone.localdate
    )


class CalculatorForm(Form):
    rule = forms.ChoiceField(label=_("Period"))
    date = forms.DateField(
        label=_("Date of the event"),
        widget=DateInput,
        initial=timezone.localdate,
        help_text=_(
            "For an appeal or a review: the day the decision was notified; for an appeal "
            "against a judgment: the day the judgment was served."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [
            (str(p.name), [(f"{p.id}:{rule.id}", str(rule.label)) for rule in p.deadlines.values()])
            for p in profiles.profiles().values()
        ]

    def profile_and_rule(self):
        profile_id, rule_id = self.cleaned_data["rule"].split(":", 1)
        return profiles.get(profile_id), rule_id


class RulesOnForm(Form):
    on = forms.DateField(
        label=_("In force on"),
        widget=DateInput,
        required=False,
        help_text=_("Empty: today."),
    )
