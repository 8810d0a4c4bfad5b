"""Procedure profiles: the rules of one jurisdiction, written as data and checked on loading.

Each profile is a TOML file in ``data/``. It declares the stages of the procedure, the steps
allowed between them and the roles that may take each step, the deadlines that events start
and how their days are counted, the processing modes, the decision forms, and the legal
source of every rule. Adding a jurisdiction means adding a file here; the engine
(``transitions``, ``deadlines``, the services) reads whatever the profiles declare.

Each part of a profile is a pydantic model read from its table of the file: a key the model
does not have is refused, and so is a value the engine could not follow. A profile that breaks
a rule of this module (a step without a role, a deadline without a legal source, a label
missing a language, an unreachable stage…) is refused when the application starts, with its
problems listed, each naming the file and the place in it (``validation``). The rules that
span the whole profile (every stage reachable, every event one the profile can produce) are
checked once its tables are valid.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from datetime import date
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from django.utils.translation import get_language
from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    Strict,
    StrictBool,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)

from nansen.accounts.roles import Role
from nansen.procedures.calendars import (
    OPEN_EVERY_DAY,
    WEEKDAYS,
    Calendar,
    Closure,
    parse_month_day,
)
from nansen.procedures.deadlines import Computation, Counting, Period, last_day
from nansen.procedures.profiles.validation import (
    KEY,
    Keyed,
    Model,
    ProfileError,
    among,
    built,
    context_of,
    declared,
    found,
    located,
    lookup,
    problems,
    required,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
LANGUAGES = ("en", "ja", "ar")

# The steps the engine knows how to take; each is one service. A profile chooses which of
# them its procedure has, between which stages, and who may take them.
STEPS = (
    "record_interview",
    "decide",
    "lodge_appeal",
    "hear_counsellors",
    "decide_appeal",
    "lodge_court_action",
    "record_judgment",
    "lodge_court_appeal",
    "record_court_appeal_judgment",
    "lodge_final_appeal",
    "record_final_judgment",
    "reopen",
    "withdraw_appeal",
)
# Events that start or end a deadline besides the steps themselves.
EVENTS = (*STEPS, "lodged", "notified", "interview_missed", "contact", "judgment_served")
# The steps a processing mode may set a target time for, and the events it may count from.
TARGET_EVENTS = {"decide": ("lodged", "record_interview"), "decide_appeal": ("lodge_appeal",)}
OUTCOMES = ("recognized", "complementary", "rejected", "closed")
APPEAL_OUTCOMES = ("upheld", "overturned", "remitted", "inadmissible", "withdrawn")
INSTANCES = ("first", "appeal", "judicial")
COURT_LEVELS = ("district", "high", "supreme")
CLOSURE_REASONS = ("withdrawn", "abandoned", "inadmissible", "deceased", "other")
OFFICE_KINDS = ("asylum_authority", "unhcr_operation", "legal_aid")
# Stages whose names the engine already knows (and translates); a profile may add others by
# giving their label in every language.
KNOWN_STAGES = (
    "lodged",
    "interviewed",
    "recognized",
    "complementary",
    "refused",
    "closed",
    "reopened",
    "appeal_lodged",
    "counsellors_heard",
    "upheld",
    "appeal_inadmissible",
    "appeal_withdrawn",
    "remitted",
    "in_court",
    "court_upheld",
)


# The tables that other parts of a profile name; Profile reads each of them before the parts
# that name its items (see validation).
REFERRED = ("sources", "calendars", "countings", "stages", "deadlines", "modes")

# Profiles as they stood on a day, computed once: (profile id, day) → (profile, on that day).
_ON_DAY: dict[tuple[str, date], tuple[Profile, Profile]] = {}

# A day is written as a TOML date (2024-06-10), not as text.
Day = Annotated[date, Strict()]
StageName = Annotated[str, declared("stages", "{value} is not a declared stage")]
DeadlineName = Annotated[str, declared("deadlines", "{value} is not a declared deadline")]
MaybeDeadlineName = Annotated[
    str, declared("deadlines", "{value} is not a declared deadline", optional=True)
]
CountingName = Annotated[Counting, found("countings", "unknown counting {value}")]
Outcome = Annotated[str, among(OUTCOMES, "unknown outcome {value}")]
Event = Annotated[str, among(EVENTS, "unknown event {value}")]
Instance = Annotated[str, among(("", *INSTANCES), "unknown instance {value}")]
CourtLevel = Annotated[str, among(("", *COURT_LEVELS), "unknown court level {value}")]
RoleName = Annotated[str, among(Role.values, "unknown role {value}")]
StepName = Annotated[
    str, among(STEPS, "the engine has no step {value} (known: " + ", ".join(STEPS) + ")")
]


def _outcome_set(value: Any, info: ValidationInfo) -> Any:
    """A set of outcomes: a list of them, or true (every outcome) or false (none)."""
    key = f"`{info.field_name}`"
    if isinstance(value, bool):
        return frozenset(OUTCOMES) if value else frozenset()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{key} must be true, false or a list of outcomes")
    unknown = sorted(set(value) - set(OUTCOMES))
    if unknown:
        raise ValueError(f"{key} names an unknown outcome {', '.join(map(repr, unknown))}")
    return frozenset(value)


OutcomeSet = Annotated[frozenset[str], BeforeValidator(_outcome_set)]


class Text(Model):
    """A text of a profile in every interface language; ``str()`` gives the active one."""

    en: str
    ja: str
    ar: str

    @model_validator(mode="before")
    @classmethod
    def _every_language(cls, value: Any) -> Any:
        if not isinstance(value, dict) or set(value) != set(LANGUAGES):
            raise ValueError(f"a text needs exactly the languages {', '.join(LANGUAGES)}")
        return value

    @field_validator(*LANGUAGES)
    @classmethod
    def _written(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("every language needs a text")
        return value

    def get(self, language: str | None = None) -> str:
        code = (language or get_language() or "en").split("-")[0]
        return getattr(self, code, self.en) if code in LANGUAGES else self.en

    def __str__(self) -> str:
        return self.get()


class Source(Model):
    id: str = Field(validation_alias=KEY)
    short: str
    title: str
    url: str = ""

    @field_validator("short", "title")
    @classmethod
    def _written(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a source needs `short` and `title`")
        return value


class Dated(Model):
    """What a profile item in force only between two days (inclusive) has in common: any
    step, stage, deadline rule, mode, kind of decision or citation may be in force only from
    one day and/or until another, the law as it stood on the day."""

    in_force_from: Day | None = None
    in_force_until: Day | None = None

    @field_validator("in_force_until")
    @classmethod
    def _not_before_the_start(cls, end: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("in_force_from")
        if end is not None and start is not None and end < start:
            raise ValueError("`in_force_until` comes before `in_force_from`")
        return end

    def in_force(self, day: date) -> bool:
        if self.in_force_from is not None and day < self.in_force_from:
            return False
        return self.in_force_until is None or day <= self.in_force_until

    @property
    def dated(self) -> bool:
        return self.in_force_from is not None or self.in_force_until is not None

    def in_force_text(self) -> str:
        """``from 2024-06-10``, ``until 2024-06-09``, both, or "" when always in force."""
        parts = []
        if self.in_force_from is not None:
            parts.append(f"from {self.in_force_from.isoformat()}")
        if self.in_force_until is not None:
            parts.append(f"until {self.in_force_until.isoformat()}")
        return " ".join(parts)


class Citation(Dated):
    """An article (or paragraph, section…) of a source. Where a renumbering moved the
    article, each number is its own citation in force for its days; ``verified`` is false
    for a number the profile could not check against the official text. The file writes
    it "sourceid pinpoint" (``ref``), the source declared in [sources]."""

    source: Source = Field(validation_alias="ref")
    pinpoint: str = Field(validation_alias="ref")
    verified: StrictBool = True

    @field_validator("source", mode="plain")
    @classmethod
    def _declared_source(cls, ref: Any, info: ValidationInfo) -> Source:
        source_id = str(ref).partition(" ")[0]
        return lookup(info, "sources", source_id, "source {value} is not declared in [sources]")

    @field_validator("pinpoint", mode="plain")
    @classmethod
    def _after_the_source(cls, ref: Any) -> str:
        return str(ref).partition(" ")[2].strip()

    @property
    def text(self) -> str:
        return f"{self.source.short} {self.pinpoint}".strip()

    def __str__(self) -> str:
        return self.text if self.verified else f"{self.text} [not verified]"


def _citation_list(value: Any) -> Any:
    """``source``: one citation or a list of them, each "sourceid pinpoint" or a table with
    ``ref`` and optionally ``in_force_from``, ``in_force_until`` and ``verified``."""
    items = [value] if isinstance(value, str | dict) else value
    if not items or not isinstance(items, list):
        raise ValueError("no legal source (`source`)")
    return [{"ref": item} if isinstance(item, str) else item for item in items]


Citations = Annotated[tuple[Citation, ...], BeforeValidator(_citation_list)]


def cited(citations: Iterable[Citation], on: date | None = None, *, marks: bool = True) -> str:
    """The citations (in force on ``on``, if given) as one line; ``marks`` says which
    article numbers are not verified (a letter to the applicant cites them plainly)."""
    return "; ".join(str(c) if marks else c.text for c in citations if on is None or c.in_force(on))


class _Period(Model):
    """A period as the file writes it: ``{ days = 30 }``, ``{ months = 6 }``…"""

    days: int = 0
    weeks: int = 0
    months: int = 0
    years: int = 0

    def period(self) -> Period:
        if not (self.days or self.weeks or self.months or self.years):
            raise ValueError("the period is empty")
        return Period(days=self.days, weeks=self.weeks, months=self.months, years=self.years)


PeriodOf = Annotated[Period, built(_Period, _Period.period)]


def _month_day(value: Any) -> tuple[int, int]:
    try:
        return parse_month_day(value)
    except (AttributeError, TypeError, ValueError):
        raise ValueError("a day of the year is written MM-DD, e.g. 12-29") from None


class _ClosedSpan(Model):
    """Days closed every year, ``{ from = "12-29", to = "01-03" }``."""

    start: Annotated[tuple[int, int], BeforeValidator(_month_day)] = Field(validation_alias="from")
    end: Annotated[tuple[int, int], BeforeValidator(_month_day)] = Field(validation_alias="to")

    def closure(self) -> Closure:
        return Closure(self.start, self.end)


class _Calendar(Model):
    """A calendar as the file writes it (nansen.procedures.calendars)."""

    id: str = Field(validation_alias=KEY)
    closed_weekdays: tuple[Annotated[str, among(WEEKDAYS, "unknown weekday {value}")], ...] = ()
    public_holidays: str = ""
    closed: tuple[Annotated[Closure, built(_ClosedSpan, _ClosedSpan.closure)], ...] = ()
    citations: Citations = Field(validation_alias="source")

    def calendar(self) -> Calendar:
        return Calendar(
            id=self.id,
            closed_weekdays=frozenset(WEEKDAYS.index(day) for day in self.closed_weekdays),
            public_holidays=self.public_holidays,
            closures=self.closed,
            source=cited(self.citations),
        )


class _Counting(Model):
    """How a family of periods is counted, as the file writes it (nansen.procedures.deadlines)."""

    id: str = Field(validation_alias=KEY)
    first_day: Literal["counted", "not_counted"]
    closed_days: Literal["ignored", "extend"] = "ignored"
    calendar: Calendar | None = Field(None, validate_default=True)
    citations: Citations = Field(validation_alias="source")

    @field_validator("calendar", mode="plain")
    @classmethod
    def _declared_calendar(cls, name: Any, info: ValidationInfo) -> Calendar | None:
        if info.data.get("closed_days") != "extend":
            return None
        message = "extending past closed days needs a declared `calendar`"
        return lookup(info, "calendars", name, message)

    def counting(self) -> Counting:
        return Counting(
            id=self.id,
            first_day_counted=self.first_day == "counted",
            extend_past_closed_days=self.closed_days == "extend",
            calendar=self.calendar or OPEN_EVERY_DAY,
            source=cited(self.citations),
        )


class _Office(Model):
    """Offices whose applications follow the profile unless another is chosen."""

    country: str = ""
    office_kind: Annotated[str, among(OFFICE_KINDS, "unknown office kind {value}")]

    def pair(self) -> tuple[str, str]:
        return (self.country, self.office_kind)


class Stage(Dated):
    id: str = Field(validation_alias=KEY)
    label: Text | None = None
    pending: bool = False
    # Pending before a court rather than the authority: a new application may be lodged
    # meanwhile, and removal is suspended only by a stay the court orders.
    court: bool = False

    @model_validator(mode="after")
    def _named(self) -> Stage:
        if self.label is None and self.id not in KNOWN_STAGES:
            raise ValueError("a stage the engine does not know needs a `label`")
        return self


class Timeliness(Model):
    deadline: MaybeDeadlineName = ""
    late_deadline: MaybeDeadlineName = ""
    late_requires_justification: bool = True
    citations: Citations = Field(validation_alias="source")
    # What day counts for a step sent by post: the day it was "posted" (the postmark) or
    # the day it was "received".
    by_post: Literal["posted", "received"] = "received"


def _one_target(value: Any) -> Any:
    return {"": value} if isinstance(value, str) else value


def _outcome_key(key: str) -> str:
    if key and key.split(":")[0] not in (*OUTCOMES, *APPEAL_OUTCOMES):
        raise ValueError(f"unknown outcome {key!r}")
    return key


class Step(Dated):
    """One transition of the profile: a step the engine takes from some stages to others."""

    id: str = Field(validation_alias=KEY)
    sources: frozenset[StageName] = Field(frozenset(), validation_alias="from")
    # "" → the one target; else outcome keys ("overturned:recognized")
    targets: Annotated[
        dict[Annotated[str, AfterValidator(_outcome_key)], StageName],
        BeforeValidator(_one_target),
        required("a step needs `to`"),
    ] = Field(validation_alias="to")
    roles: Annotated[frozenset[RoleName], required("a step needs the roles that may take it")]
    citations: Citations = Field(validation_alias="source")
    instance: Instance = ""
    timeliness: Timeliness | None = None

    @property
    def rule(self) -> str:
        return self.id

    def target(self, key: str = "") -> str | None:
        return self.targets.get(key) or self.targets.get(key.split(":")[0]) or self.targets.get("")

    @property
    def keys(self) -> list[str]:
        return [key for key in self.targets if key]

    def cited(self, on: date | None = None) -> str:
        return cited(self.citations, on)


class DeadlineRule(Dated):
    id: str = Field(validation_alias=KEY)
    label: Text
    starts: Annotated[str, among(EVENTS, f"`starts` must be one of {', '.join(EVENTS)}")]
    period: PeriodOf
    counting: CountingName
    met_by: Annotated[
        frozenset[Event], required("a deadline needs `met_by`: the events that meet it")
    ]
    party: Literal["applicant", "office"]  # who must act by the last day
    citations: Citations = Field(validation_alias="source")
    instance: Instance = ""
    outcomes: frozenset[Outcome] = frozenset()
    after: str = ""  # counted from the last day of another rule instead of the event
    letter: Text | None = None  # the sentence on the right to act, for decision letters
    court_level: CourtLevel = ""  # for a judgment served: only a judgment of this court level

    def cited(self, on: date | None = None) -> str:
        return cited(self.citations, on)

    def applies_to(
        self, event: str, *, instance: str = "", outcome: str = "", court_level: str = ""
    ) -> bool:
        if self.starts != event:
            return False
        if self.instance and instance != self.instance:
            return False
        if self.court_level and court_level != self.court_level:
            return False
        return not self.outcomes or outcome in self.outcomes


class Target(Model):
    """How soon the office aims to take a step in one processing mode, counted from an
    event: a service standard the office holds itself to, not a period the law sets for the
    applicant. Where the source gives no figure, ``nansen_default`` says the period is
    Nansen's choice, to be set by the operation."""

    step: str = Field(validation_alias=KEY)  # what must be done: "decide" or "decide_appeal"
    starts: str = Field(validation_alias="from")  # the event it is counted from (TARGET_EVENTS)
    period: PeriodOf
    counting: CountingName
    citations: Citations = Field(validation_alias="source")
    nansen_default: StrictBool = False

    @model_validator(mode="after")
    def _counted_from_its_event(self) -> Target:
        events = TARGET_EVENTS.get(self.step)
        if events is not None and self.starts not in events:
            raise ValueError(f"`from` must be one of {', '.join(events)}")
        return self

    def cited(self) -> str:
        return "; ".join(str(c) for c in self.citations)


TargetStep = Annotated[
    str, among(TARGET_EVENTS, f"a target is for one of the steps {', '.join(TARGET_EVENTS)}")
]


def _targets(by_step: dict[str, Target]) -> tuple[Target, ...]:
    return tuple(by_step.values())


class Mode(Dated):
    id: str = Field(validation_alias=KEY)
    label: Text
    # The outcomes that may be decided without an interview of the applicant (the reason
    # written down): in the TOML a list of outcomes, or true (any) or false (none).
    decision_without_interview: OutcomeSet
    citations: Citations = Field(validation_alias="source")
    # In the TOML a table of steps: targets.decide = { from = "lodged", … }.
    targets: Annotated[
        tuple[Target, ...], built(Annotated[dict[TargetStep, Target], Keyed], _targets)
    ] = ()

    def target(self, step: str) -> Target | None:
        return next((t for t in self.targets if t.step == step), None)


class DecisionForm(Dated):
    id: str = Field(validation_alias=KEY)
    outcome: Outcome
    label: Text
    citations: Citations = Field(validation_alias="source")
    # The conclusion of the eligibility assessment this kind of decision records, where it
    # is not the outcome itself (UNHCR's broader mandate: "recognized_broader"). Such a kind
    # is never the default for its outcome: the assessment's conclusion chooses it.
    conclusion: str = ""

    @field_validator("conclusion")
    @classmethod
    def _not_an_outcome(cls, value: str) -> str:
        if value in OUTCOMES:
            raise ValueError("`conclusion` names a conclusion that is not an outcome itself")
        return value

    def cited(self, on: date | None = None) -> str:
        return cited(self.citations, on)


class RemovalException(Dated):
    id: str
    from_ordinal: int = 0
    lodged_from: Day | None = None
    label: Text
    citations: Citations = Field(validation_alias="source")
    # Recorded by the office with its reasons (a listed ground), rather than following from
    # the application's number.
    recorded: bool = False
    # Material showing reasonable grounds for recognition lifts the exception.
    lifted_by_reasonable_grounds: bool = False

    @model_validator(mode="after")
    def _applies(self) -> RemovalException:
        if not self.recorded and not self.from_ordinal:
            raise ValueError("an exception is `recorded` or applies `from_ordinal`")
        return self


class Removal(Model):
    """When a pending application suspends removal (nansen.procedures.removal)."""

    suspends: bool = False
    citations: Citations = Field(validation_alias="source")
    exceptions: tuple[RemovalException, ...] = ()
    # Stages in which the application or the appeal against its refusal is pending.
    pending_stages: frozenset[StageName] = frozenset()
    # Deadline rules during which a refusal is not yet final (the appeal may still be made).
    pending_while_open: frozenset[DeadlineName] = frozenset()
    # Stages in which protection was granted: removal is not in question.
    protected_stages: frozenset[StageName] = frozenset()
    # What suspends removal during a court action (a stay of execution).
    stay_citations: Citations = Field((), validation_alias="stay_source")


class HearingRefusal(Model):
    """The ground on which the body deciding an appeal may refuse the oral hearing."""

    ground: Text
    citations: Citations = Field(validation_alias="source")


class AppealRules(Model):
    excluded: frozenset[Literal["first_instance_decider", "first_instance_interviewer"]] = (
        frozenset()
    )
    counsellors: int = 0
    oral_hearing: Literal["none", "unless_waived"] = "none"
    citations: Citations = Field(validation_alias="source")
    hearing_refusal: HearingRefusal | None = None  # when the hearing may be refused

    @field_validator("hearing_refusal")
    @classmethod
    def _a_hearing_to_refuse(cls, value: HearingRefusal, info: ValidationInfo) -> HearingRefusal:
        if info.data.get("oral_hearing") == "none":
            raise ValueError("there is no oral hearing to refuse")
        return value


class InterviewRules(Model):
    # The outcomes on a dependant's claim that may be decided without their own interview.
    dependants_without_interview: OutcomeSet = frozenset()
    citations: Citations = Field(validation_alias="source")


class ClosureRule(Model):
    reason: str = Field(validation_alias=KEY)
    after_deadline: DeadlineName
    citations: Citations = Field(validation_alias="source")


ClosureReason = Annotated[str, among(CLOSURE_REASONS, "unknown reason for closing {value}")]


class Profile(Model):
    """One procedure: the file data/<id>.toml. Its fields are read in the order written here,
    the tables other parts name (REFERRED) before the parts that name them."""

    id: str
    name: Text
    jurisdiction: str = ""
    documentation: str = ""
    default_for: tuple[Annotated[tuple[str, str], built(_Office, _Office.pair)], ...] = ()
    appeal_body: Text
    court: Text | None = None
    sources: Annotated[dict[str, Source], Keyed]
    calendars: Annotated[
        dict[str, Annotated[Calendar, built(_Calendar, _Calendar.calendar)]], Keyed
    ] = {}
    countings: Annotated[
        dict[str, Annotated[Counting, built(_Counting, _Counting.counting)]], Keyed
    ] = Field(validation_alias="counting")
    stages: Annotated[dict[str, Stage], Keyed]
    initial_stage: StageName
    deadlines: Annotated[dict[str, DeadlineRule], Keyed]
    steps: Annotated[dict[StepName, Step], Keyed]
    modes: Annotated[dict[str, Mode], Keyed]
    default_mode: Annotated[str, declared("modes", "{value} is not one of the declared modes")]
    forms: Annotated[dict[str, DecisionForm], Keyed] = {}
    removal: Removal | None = None
    appeal: AppealRules
    closures: Annotated[dict[ClosureReason, ClosureRule], Keyed] = Field(
        {}, validation_alias="closure"
    )
    interview: InterviewRules = InterviewRules.model_construct(citations=())
    reopening_grounds: dict[str, Text] = {}

    @field_validator("id")
    @classmethod
    def _the_file_name(cls, value: str, info: ValidationInfo) -> str:
        file = context_of(info)["file"]
        if value != file:
            raise ValueError(f"the id {value!r} must be the file name {file!r}")
        return value

    @field_validator(*REFERRED, mode="wrap")
    @classmethod
    def _remembered(
        cls, value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo
    ) -> Any:
        """Leaves the table's items where the parts that name them look, or None while it
        is read and when it has problems of its own."""
        context = context_of(info)
        context[str(info.field_name)] = None
        items = handler(value)
        context[str(info.field_name)] = items
        return items

    @model_validator(mode="after")
    def _whole(self) -> Profile:
        """The rules that span the whole profile, checked once its tables are valid."""
        broken: list[tuple[str, str]] = []
        if "decide" not in self.steps:
            broken.append(("steps", "a procedure needs a `decide` step"))
        reached = self._reachable()
        for stage_id in self.stages:
            if stage_id not in reached:
                broken.append((f"stages.{stage_id}", "no step of the profile reaches this stage"))
        # Deadlines start and end on events the profile can produce.
        possible = {"lodged", "notified", "interview_missed", "contact", *self.steps}
        if {"record_judgment", "record_court_appeal_judgment"} & set(self.steps):
            possible.add("judgment_served")
        for rule in self.deadlines.values():
            where = f"deadlines.{rule.id}"
            if rule.after and rule.after not in self.deadlines:
                broken.append((where, f"`after` names an unknown rule {rule.after!r}"))
            for event in (rule.starts, *sorted(rule.met_by)):
                if event not in possible:
                    broken.append((where, f"no step of the profile is {event!r}"))
        # Targets are set for steps the profile has, counted from events it can produce.
        for mode in self.modes.values():
            for target in mode.targets:
                for step in (target.step, target.starts):
                    if step in STEPS and step not in self.steps:
                        where = f"modes.{mode.id}.targets"
                        broken.append((where, f"no step of the profile is {step!r}"))
        if "reopen" in self.steps and not self.reopening_grounds:
            broken.append(("reopening_grounds", "a profile that reopens files lists the grounds"))
        if broken:
            raise located(broken)
        return self

    def _reachable(self) -> set[str]:
        """The stages the profile's steps reach from the first one."""
        reached = {self.initial_stage}
        changed = True
        while changed:
            changed = False
            for step in self.steps.values():
                if step.sources & reached:
                    new = set(step.targets.values()) - reached
                    if new:
                        reached |= new
                        changed = True
        return reached

    def __str__(self) -> str:
        return self.id

    @property
    def outcomes(self) -> list[str]:
        decide = self.steps.get("decide")
        return [key for key in OUTCOMES if decide and key in decide.targets]

    def forms_for(self, outcome: str) -> list[DecisionForm]:
        return [f for f in self.forms.values() if f.outcome == outcome]

    def default_form(self, outcome: str, on: date) -> DecisionForm | None:
        for form in self.forms_for(outcome):
            if form.in_force(on) and not form.conclusion:
                return form
        return None

    def on(self, day: date) -> Profile:
        """The profile as it stood on ``day``: the steps, stages, deadline rules, modes and
        kinds of decision in force that day, each citing only the articles (as numbered)
        in force that day. Stages stay listed with their dates, so that an application
        recorded at a stage that no longer exists can still be shown."""
        key = (self.id, day)
        cached = _ON_DAY.get(key)
        if cached is not None and cached[0] is self:
            return cached[1]

        def at(item, **update):
            citations = tuple(c for c in item.citations if c.in_force(day))
            return item.model_copy(update={"citations": citations, **update})

        def kept(items: dict) -> dict:
            return {k: at(v) for k, v in items.items() if v.in_force(day)}

        removal = self.removal
        if removal is not None:
            removal = at(
                removal,
                exceptions=tuple(at(e) for e in removal.exceptions if e.in_force(day)),
                stay_citations=tuple(c for c in removal.stay_citations if c.in_force(day)),
            )
        profile = self.model_copy(
            update={
                "steps": kept(self.steps),
                "deadlines": kept(self.deadlines),
                "modes": kept(self.modes),
                "forms": kept(self.forms),
                "removal": removal,
                "appeal": at(self.appeal),
                "interview": at(self.interview),
                "closures": {k: at(v) for k, v in self.closures.items()},
            }
        )
        if len(_ON_DAY) > 512:
            _ON_DAY.clear()
        _ON_DAY[key] = (self, profile)
        return profile

    def rule_ids(self) -> list[str]:
        return list(self.deadlines)

    def last_day(self, rule_id: str, event_on: date) -> Computation:
        """The last day of a deadline rule for an event on ``event_on``, with the steps."""
        rule = self.deadlines[rule_id]
        if not rule.after:
            return last_day(event_on, rule.period, rule.counting)
        base = self.last_day(rule.after, event_on)
        more = last_day(base.last_day, rule.period, rule.counting)
        return Computation(
            event_on=event_on,
            last_day=more.last_day,
            steps=[*base.steps, f"then, from the last day of {rule.after}:", *more.steps[1:]],
        )

    def stage_label(self, stage_id: str) -> str:
        stage = self.stages.get(stage_id)
        if stage is not None and stage.label is not None:
            return str(stage.label)
        from nansen.procedures.models import Stage as StageChoices

        try:
            return str(StageChoices(stage_id).label)
        except ValueError:
            return stage_id


# --- loading -----------------------------------------------------------------------------


def _read(name: str, data: dict) -> Profile:
    """The profile of the file ``name``.toml, read from its ``data``; raises ProfileError
    listing its problems."""
    context: dict[str, Any] = {"file": name, **{table: {} for table in REFERRED}}
    try:
        return Profile.model_validate(data, context=context)
    except ValidationError as error:
        raise ProfileError("\n".join(problems(f"{name}.toml", error))) from None


def load_file(path: Path) -> Profile:
    with path.open("rb") as handle:
        try:
            data = tomllib.load(handle)
        except tomllib.TOMLDecodeError as exc:
            raise ProfileError(f"{path.name}: not valid TOML: {exc}") from exc
    return _read(path.stem, data)


@cache
def profiles() -> dict[str, Profile]:
    """Every profile in ``data/``, checked; raises ProfileError listing every problem."""
    loaded, errors = {}, []
    for path in sorted(DATA_DIR.glob("*.toml")):
        try:
            loaded[path.stem] = load_file(path)
        except ProfileError as exc:
            errors.append(str(exc))
    if errors:
        raise ProfileError("\n".join(errors))
    return loaded


def get(profile_id: str) -> Profile:
    try:
        return profiles()[profile_id]
    except KeyError:
        raise ProfileError(f"there is no procedure profile {profile_id!r}") from None


def default_for_office(office) -> Profile:
    """The profile an office's applications follow unless another is chosen."""
    for wanted_country in (office.country, ""):
        for profile in profiles().values():
            if (wanted_country, office.kind) in profile.default_for:
                return profile
    return get("unhcr-mandate")


def choices() -> list[tuple[str, str]]:
    return [(p.id, str(p.name)) for p in profiles().values()]
