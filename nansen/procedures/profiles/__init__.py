"""Procedure profiles: the rules of one jurisdiction, written as data and checked on loading.

Each profile is a TOML file in ``data/``. It declares the stages of the procedure, the steps
allowed between them and the roles that may take each step, the deadlines that events start
and how their days are counted, the processing modes, the decision forms, and the legal
source of every rule. Adding a jurisdiction means adding a file here; the engine
(``transitions``, ``deadlines``, the services) reads whatever the profiles declare.

A profile that breaks a rule of this module (an unreachable stage, a step without a role, a
deadline without a legal source, a label missing a language…) is refused with every problem
listed, when the application starts.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

from nansen.accounts.roles import Role
from nansen.procedures.calendars import WEEKDAYS, Calendar, Closure, parse_month_day
from nansen.procedures.deadlines import Computation, Counting, Period, last_day

DATA_DIR = Path(__file__).resolve().parent / "data"
LANGUAGES = ("en", "ja", "ar")
# Any step, stage, deadline rule, mode, kind of decision or citation may be in force only
# from one day and/or until another (both inclusive): the law as it stood on the day.
DATED_KEYS = ("in_force_from", "in_force_until")

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


# Profiles as they stood on a day, computed once: (profile id, day) → (profile, on that day).
_ON_DAY: dict[tuple[str, date], tuple[object, object]] = {}


class ProfileError(Exception):
    """A profile file breaks the rules; the message lists every problem found."""


@dataclass(frozen=True)
class Text:
    """A text of a profile in every interface language; ``str()`` gives the active one."""

    en: str
    ja: str
    ar: str

    def get(self, language: str | None = None) -> str:
        code = (language or get_language() or "en").split("-")[0]
        return getattr(self, code, self.en) if code in LANGUAGES else self.en

    def __str__(self) -> str:
        return self.get()


@dataclass(frozen=True)
class Source:
    id: str
    short: str
    title: str
    url: str = ""


class Dated:
    """What a profile item in force only between two days (inclusive) has in common."""

    in_force_from: date | None
    in_force_until: date | None

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


@dataclass(frozen=True)
class Citation(Dated):
    """An article (or paragraph, section…) of a source. Where a renumbering moved the
    article, each number is its own citation in force for its days; ``verified`` is false
    for a number the profile could not check against the official text."""

    source: Source
    pinpoint: str
    in_force_from: date | None = None
    in_force_until: date | None = None
    verified: bool = True

    @property
    def text(self) -> str:
        return f"{self.source.short} {self.pinpoint}".strip()

    def __str__(self) -> str:
        return self.text if self.verified else f"{self.text} [not verified]"


def cited(citations: Iterable[Citation], on: date | None = None, *, marks: bool = True) -> str:
    """The citations (in force on ``on``, if given) as one line; ``marks`` says which
    article numbers are not verified (a letter to the applicant cites them plainly)."""
    return "; ".join(str(c) if marks else c.text for c in citations if on is None or c.in_force(on))


@dataclass(frozen=True)
class Stage(Dated):
    id: str
    label: Text | None
    pending: bool
    in_force_from: date | None = None
    in_force_until: date | None = None
    # Pending before a court rather than the authority: a new application may be lodged
    # meanwhile, and removal is suspended only by a stay the court orders.
    court: bool = False


@dataclass(frozen=True)
class Timeliness:
    deadline: str
    late_deadline: str = ""
    late_requires_justification: bool = True
    citations: tuple[Citation, ...] = ()
    # What day counts for a step sent by post: the day it was "posted" (the postmark) or
    # the day it was "received".
    by_post: str = "received"


@dataclass(frozen=True)
class Step(Dated):
    """One transition of the profile: a step the engine takes from some stages to others."""

    id: str
    sources: frozenset[str]
    targets: dict[str, str]  # "" → the one target; else outcome keys ("overturned:recognized")
    roles: frozenset[str]
    citations: tuple[Citation, ...]
    instance: str = ""
    timeliness: Timeliness | None = None
    in_force_from: date | None = None
    in_force_until: date | None = None

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


@dataclass(frozen=True)
class DeadlineRule(Dated):
    id: str
    label: Text
    starts: str
    period: Period
    counting: Counting
    met_by: frozenset[str]
    party: str  # who must act by the last day: "applicant" or "office"
    citations: tuple[Citation, ...]
    instance: str = ""
    outcomes: frozenset[str] = frozenset()
    after: str = ""  # counted from the last day of another rule instead of the event
    letter: Text | None = None  # the sentence on the right to act, for decision letters
    in_force_from: date | None = None
    in_force_until: date | None = None
    court_level: str = ""  # for a judgment served: only a judgment of this court level

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


@dataclass(frozen=True)
class Target:
    """How soon the office aims to take a step in one processing mode, counted from an
    event: a service standard the office holds itself to, not a period the law sets for the
    applicant. Where the source gives no figure, ``nansen_default`` says the period is
    Nansen's choice, to be set by the operation."""

    step: str  # what must be done: "decide" (first instance) or "decide_appeal"
    starts: str  # the event it is counted from (TARGET_EVENTS)
    period: Period
    counting: Counting
    citations: tuple[Citation, ...]
    nansen_default: bool = False

    def cited(self) -> str:
        return "; ".join(str(c) for c in self.citations)


@dataclass(frozen=True)
class Mode(Dated):
    id: str
    label: Text
    # The outcomes that may be decided without an interview of the applicant (the reason
    # written down): in the TOML a list of outcomes, or true (any) or false (none).
    decision_without_interview: frozenset[str]
    citations: tuple[Citation, ...]
    in_force_from: date | None = None
    in_force_until: date | None = None
    targets: tuple[Target, ...] = ()

    def target(self, step: str) -> Target | None:
        return next((t for t in self.targets if t.step == step), None)


@dataclass(frozen=True)
class DecisionForm(Dated):
    id: str
    outcome: str
    label: Text
    citations: tuple[Citation, ...]
    in_force_from: date | None = None
    in_force_until: date | None = None
    # The conclusion of the eligibility assessment this kind of decision records, where it
    # is not the outcome itself (UNHCR's broader mandate: "recognized_broader"). Such a kind
    # is never the default for its outcome: the assessment's conclusion chooses it.
    conclusion: str = ""

    def cited(self, on: date | None = None) -> str:
        return cited(self.citations, on)


@dataclass(frozen=True)
class RemovalException(Dated):
    id: str
    from_ordinal: int
    lodged_from: date | None
    label: Text
    citations: tuple[Citation, ...]
    in_force_from: date | None = None
    in_force_until: date | None = None
    # Recorded by the office with its reasons (a listed ground), rather than following from
    # the application's number.
    recorded: bool = False
    # Material showing reasonable grounds for recognition lifts the exception.
    lifted_by_reasonable_grounds: bool = False


@dataclass(frozen=True)
class Removal:
    """When a pending application suspends removal (nansen.procedures.removal)."""

    suspends: bool
    citations: tuple[Citation, ...]
    exceptions: tuple[RemovalException, ...] = ()
    # Stages in which the application or the appeal against its refusal is pending.
    pending_stages: frozenset[str] = frozenset()
    # Deadline rules during which a refusal is not yet final (the appeal may still be made).
    pending_while_open: frozenset[str] = frozenset()
    # Stages in which protection was granted: removal is not in question.
    protected_stages: frozenset[str] = frozenset()
    # What suspends removal during a court action (a stay of execution).
    stay_citations: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class AppealRules:
    excluded: frozenset[str]  # "first_instance_decider", "first_instance_interviewer"
    counsellors: int
    oral_hearing: str  # "none" or "unless_waived"
    citations: tuple[Citation, ...]
    hearing_refusal: HearingRefusal | None = None  # when the hearing may be refused


@dataclass(frozen=True)
class HearingRefusal:
    """The ground on which the body deciding an appeal may refuse the oral hearing."""

    ground: Text
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class InterviewRules:
    # The outcomes on a dependant's claim that may be decided without their own interview.
    dependants_without_interview: frozenset[str] = frozenset()
    citations: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class ClosureRule:
    reason: str
    after_deadline: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Profile:
    id: str
    name: Text
    jurisdiction: str
    documentation: str
    default_for: tuple[tuple[str, str], ...]
    initial_stage: str
    default_mode: str
    appeal_body: Text
    court: Text | None
    sources: dict[str, Source]
    calendars: dict[str, Calendar]
    countings: dict[str, Counting]
    modes: dict[str, Mode]
    stages: dict[str, Stage]
    steps: dict[str, Step]
    deadlines: dict[str, DeadlineRule]
    forms: dict[str, DecisionForm]
    removal: Removal | None
    appeal: AppealRules
    closures: dict[str, ClosureRule]
    interview: InterviewRules = InterviewRules()
    reopening_grounds: dict[str, Text] = field(default_factory=dict)

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
        found = _ON_DAY.get(key)
        if found is not None and found[0] is self:
            return found[1]

        def at(item):
            return replace(item, citations=tuple(c for c in item.citations if c.in_force(day)))

        def kept(items: dict) -> dict:
            return {k: at(v) for k, v in items.items() if v.in_force(day)}

        removal = self.removal
        if removal is not None:
            removal = replace(
                at(removal),
                exceptions=tuple(at(e) for e in removal.exceptions if e.in_force(day)),
                stay_citations=tuple(c for c in removal.stay_citations if c.in_force(day)),
            )
        profile = replace(
            self,
            steps=kept(self.steps),
            deadlines=kept(self.deadlines),
            modes=kept(self.modes),
            forms=kept(self.forms),
            removal=removal,
            appeal=at(self.appeal),
            interview=at(self.interview),
            closures={k: at(v) for k, v in self.closures.items()},
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


class _Reader:
    """Reads one profile file, collecting every problem instead of stopping at the first."""

    def __init__(self, name: str, data: dict):
        self.name = name
        self.data = data
        self.problems: list[str] = []
        self.sources: dict[str, Source] = {}

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{self.name}: {where}: {message}")

    def table(self, data: dict, key: str, where: str, *, required: bool = True) -> dict:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(where, f"missing table [{key}]")
            return {}
        if not isinstance(value, dict):
            self.problem(where, f"{key} must be a table")
            return {}
        return value

    def only(self, data: dict, allowed: Iterable[str], where: str) -> None:
        for key in set(data) - set(allowed):
            self.problem(where, f"unknown key {key!r}")

    def text(self, value, where: str) -> Text | None:
        if not isinstance(value, dict) or set(value) != set(LANGUAGES):
            self.problem(where, f"a text needs exactly the languages {', '.join(LANGUAGES)}")
            return None
        if not all(isinstance(v, str) and v.strip() for v in value.values()):
            self.problem(where, "every language needs a text")
            return None
        return Text(**value)

    def citations(self, value, where: str) -> tuple[Citation, ...]:
        """A ``source`` list: each entry "sourceid pinpoint", or a table with ``ref`` and
        optionally ``in_force_from``, ``in_force_until`` and ``verified``."""
        items = [value] if isinstance(value, str | dict) else value
        if not items or not isinstance(items, list):
            self.problem(where, "no legal source (`source`)")
            return ()
        found = []
        for item in items:
            spec = item if isinstance(item, dict) else {"ref": item}
            self.only(spec, {"ref", "in_force_from", "in_force_until", "verified"}, where)
            source_id, _, pinpoint = str(spec.get("ref", "")).partition(" ")
            source = self.sources.get(source_id)
            if source is None:
                self.problem(where, f"source {source_id!r} is not declared in [sources]")
                continue
            if not isinstance(spec.get("verified", True), bool):
                self.problem(where, "`verified` must be true or false")
            found.append(
                Citation(
                    source,
                    pinpoint.strip(),
                    *self.dated(spec, f"{where}: {spec.get('ref')}"),
                    verified=spec.get("verified", True) is not False,
                )
            )
        return tuple(found)

    def dated(self, spec: dict, where: str) -> tuple[date | None, date | None]:
        """The ``in_force_from`` and ``in_force_until`` days of an item (both inclusive)."""
        start = self.day(spec.get("in_force_from"), where)
        end = self.day(spec.get("in_force_until"), where)
        if start and end and end < start:
            self.problem(where, "`in_force_until` comes before `in_force_from`")
        return start, end

    def day(self, value, where: str) -> date | None:
        if value is None:
            return None
        if isinstance(value, date):
            return value
        self.problem(where, "expected a date (YYYY-MM-DD)")
        return None

    def outcomes(self, spec: dict, key: str, where: str, *, required: bool = False) -> frozenset:
        """A set of outcomes: a list of them, or true (every outcome) or false (none)."""
        value = spec.get(key, None if required else False)
        if isinstance(value, bool):
            return frozenset(OUTCOMES) if value else frozenset()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(where, f"`{key}` must be true, false or a list of outcomes")
            return frozenset()
        for outcome in set(value) - set(OUTCOMES):
            self.problem(where, f"`{key}` names an unknown outcome {outcome!r}")
        return frozenset(value) & frozenset(OUTCOMES)


def _targets(r: _Reader, data, where: str, countings: dict[str, Counting]) -> tuple:
    """A mode's ``targets``: for each step, the period from an event within which the
    office aims to take it."""
    if not isinstance(data, dict):
        r.problem(where, "`targets` must be a table of steps")
        return ()
    found = []
    for step, spec in data.items():
        here = f"{where}.targets.{step}"
        if not isinstance(spec, dict):
            r.problem(here, "a target is a table")
            continue
        r.only(spec, {"from", "period", "counting", "nansen_default", "source"}, here)
        if step not in TARGET_EVENTS:
            r.problem(here, f"a target is for one of the steps {', '.join(TARGET_EVENTS)}")
        elif spec.get("from") not in TARGET_EVENTS[step]:
            r.problem(here, f"`from` must be one of {', '.join(TARGET_EVENTS[step])}")
        try:
            period = Period(**spec.get("period", {}))
        except TypeError:
            r.problem(here, f"a period has days, weeks, months or years: {spec.get('period')!r}")
            period = Period()
        if period == Period():
            r.problem(here, "the period is empty")
        counting = countings.get(spec.get("counting", ""))
        if counting is None:
            r.problem(here, f"unknown counting {spec.get('counting')!r}")
        if not isinstance(spec.get("nansen_default", False), bool):
            r.problem(here, "`nansen_default` must be true or false")
        found.append(
            Target(
                step=step,
                starts=spec.get("from", ""),
                period=period,
                counting=counting or Counting("every-day"),
                citations=r.citations(spec.get("source"), here),
                nansen_default=spec.get("nansen_default", False) is True,
            )
        )
    return tuple(found)


def _read(name: str, data: dict) -> Profile:
    r = _Reader(name, data)
    r.only(
        data,
        {
            "id",
            "name",
            "jurisdiction",
            "documentation",
            "default_for",
            "initial_stage",
            "default_mode",
            "appeal_body",
            "court",
            "sources",
            "calendars",
            "counting",
            "modes",
            "stages",
            "steps",
            "deadlines",
            "forms",
            "removal",
            "appeal",
            "closure",
            "reopening_grounds",
            "interview",
        },
        "profile",
    )
    profile_id = data.get("id", "")
    if profile_id != name:
        r.problem("id", f"the id {profile_id!r} must be the file name {name!r}")

    for source_id, spec in r.table(data, "sources", "sources").items():
        r.only(spec, {"short", "title", "url"}, f"sources.{source_id}")
        if not spec.get("title") or not spec.get("short"):
            r.problem(f"sources.{source_id}", "a source needs `short` and `title`")
        r.sources[source_id] = Source(
            source_id, spec.get("short", ""), spec.get("title", ""), spec.get("url", "")
        )

    calendars: dict[str, Calendar] = {}
    for cal_id, spec in r.table(data, "calendars", "calendars", required=False).items():
        where = f"calendars.{cal_id}"
        r.only(spec, {"closed_weekdays", "public_holidays", "closed", "source"}, where)
        weekdays = []
        for day in spec.get("closed_weekdays", []):
            if day not in WEEKDAYS:
                r.problem(where, f"unknown weekday {day!r}")
            else:
                weekdays.append(WEEKDAYS.index(day))
        closures = []
        for span in spec.get("closed", []):
            try:
                closures.append(Closure(parse_month_day(span["from"]), parse_month_day(span["to"])))
            except (KeyError, ValueError, TypeError):
                r.problem(where, f"a closed span needs `from` and `to` as MM-DD: {span!r}")
        citations = r.citations(spec.get("source"), where)
        calendars[cal_id] = Calendar(
            id=cal_id,
            closed_weekdays=frozenset(weekdays),
            public_holidays=spec.get("public_holidays", ""),
            closures=tuple(closures),
            source="; ".join(str(c) for c in citations),
        )

    countings: dict[str, Counting] = {}
    for counting_id, spec in r.table(data, "counting", "counting").items():
        where = f"counting.{counting_id}"
        r.only(spec, {"first_day", "closed_days", "calendar", "source"}, where)
        if spec.get("first_day") not in ("counted", "not_counted"):
            r.problem(where, "`first_day` must be counted or not_counted")
        extend = spec.get("closed_days", "ignored")
        if extend not in ("ignored", "extend"):
            r.problem(where, "`closed_days` must be ignored or extend")
        calendar = None
        if extend == "extend":
            calendar = calendars.get(spec.get("calendar", ""))
            if calendar is None:
                r.problem(where, "extending past closed days needs a declared `calendar`")
        citations = r.citations(spec.get("source"), where)
        countings[counting_id] = Counting(
            id=counting_id,
            first_day_counted=spec.get("first_day") == "counted",
            extend_past_closed_days=extend == "extend",
            calendar=calendar or Calendar(id="every-day"),
            source="; ".join(str(c) for c in citations),
        )

    modes: dict[str, Mode] = {}
    for mode_id, spec in r.table(data, "modes", "modes").items():
        where = f"modes.{mode_id}"
        r.only(
            spec, {"label", "decision_without_interview", "source", "targets", *DATED_KEYS}, where
        )
        modes[mode_id] = Mode(
            mode_id,
            r.text(spec.get("label"), f"{where}.label"),
            r.outcomes(spec, "decision_without_interview", where, required=True),
            r.citations(spec.get("source"), where),
            *r.dated(spec, where),
            targets=_targets(r, spec.get("targets", {}), where, countings),
        )
    default_mode = data.get("default_mode", "")
    if default_mode not in modes:
        r.problem("default_mode", f"{default_mode!r} is not one of the declared modes")

    stages: dict[str, Stage] = {}
    for stage_id, spec in r.table(data, "stages", "stages").items():
        where = f"stages.{stage_id}"
        r.only(spec, {"pending", "label", "court", *DATED_KEYS}, where)
        label = r.text(spec["label"], f"{where}.label") if "label" in spec else None
        if label is None and stage_id not in KNOWN_STAGES:
            r.problem(where, "a stage the engine does not know needs a `label`")
        stages[stage_id] = Stage(
            stage_id,
            label,
            bool(spec.get("pending", False)),
            *r.dated(spec, where),
            court=spec.get("court", False) is True,
        )
    initial = data.get("initial_stage", "")
    if initial not in stages:
        r.problem("initial_stage", f"{initial!r} is not a declared stage")

    deadlines: dict[str, DeadlineRule] = {}
    for rule_id, spec in r.table(data, "deadlines", "deadlines").items():
        where = f"deadlines.{rule_id}"
        r.only(
            spec,
            {
                "label",
                "starts",
                "instance",
                "outcomes",
                "after",
                "period",
                "counting",
                "met_by",
                "party",
                "letter",
                "source",
                "court_level",
                *DATED_KEYS,
            },
            where,
        )
        if spec.get("starts") not in EVENTS:
            r.problem(where, f"`starts` must be one of {', '.join(EVENTS)}")
        if spec.get("instance", "") not in ("", *INSTANCES):
            r.problem(where, f"unknown instance {spec.get('instance')!r}")
        if spec.get("court_level", "") not in ("", *COURT_LEVELS):
            r.problem(where, f"unknown court level {spec.get('court_level')!r}")
        for outcome in spec.get("outcomes", []):
            if outcome not in OUTCOMES:
                r.problem(where, f"unknown outcome {outcome!r}")
        for event in spec.get("met_by", []):
            if event not in EVENTS:
                r.problem(where, f"`met_by` names an unknown event {event!r}")
        if not spec.get("met_by"):
            r.problem(where, "a deadline needs `met_by`: the events that meet it")
        if spec.get("party") not in ("applicant", "office"):
            r.problem(where, "`party` must be applicant or office")
        period_spec = spec.get("period", {})
        try:
            period = Period(**period_spec)
        except TypeError:
            r.problem(where, f"a period has days, weeks, months or years: {period_spec!r}")
            period = Period()
        if period == Period():
            r.problem(where, "the period is empty")
        counting = countings.get(spec.get("counting", ""))
        if counting is None:
            r.problem(where, f"unknown counting {spec.get('counting')!r}")
        deadlines[rule_id] = DeadlineRule(
            id=rule_id,
            label=r.text(spec.get("label"), f"{where}.label"),
            starts=spec.get("starts", ""),
            period=period,
            counting=counting or Counting("every-day"),
            met_by=frozenset(spec.get("met_by", [])),
            party=spec.get("party", ""),
            citations=r.citations(spec.get("source"), where),
            instance=spec.get("instance", ""),
            outcomes=frozenset(spec.get("outcomes", [])),
            after=spec.get("after", ""),
            letter=r.text(spec["letter"], f"{where}.letter") if "letter" in spec else None,
            court_level=spec.get("court_level", ""),
            **dict(zip(DATED_KEYS, r.dated(spec, where), strict=True)),
        )
    for rule in deadlines.values():
        if rule.after and rule.after not in deadlines:
            r.problem(f"deadlines.{rule.id}", f"`after` names an unknown rule {rule.after!r}")

    steps: dict[str, Step] = {}
    for step_id, spec in r.table(data, "steps", "steps").items():
        where = f"steps.{step_id}"
        r.only(
            spec, {"from", "to", "roles", "instance", "timeliness", "source", *DATED_KEYS}, where
        )
        if step_id not in STEPS:
            r.problem(where, f"the engine has no step {step_id!r} (known: {', '.join(STEPS)})")
        roles = spec.get("roles") or []
        if not roles:
            r.problem(where, "a step needs the roles that may take it")
        for role in roles:
            if role not in Role.values:
                r.problem(where, f"unknown role {role!r}")
        sources_ = spec.get("from") or []
        for stage_id in sources_:
            if stage_id not in stages:
                r.problem(where, f"`from` names an undeclared stage {stage_id!r}")
        to = spec.get("to")
        targets = {"": to} if isinstance(to, str) else dict(to or {})
        if not targets:
            r.problem(where, "a step needs `to`")
        for key, stage_id in targets.items():
            if stage_id not in stages:
                r.problem(where, f"`to` names an undeclared stage {stage_id!r}")
            first = key.split(":")[0]
            if key and first not in (*OUTCOMES, *APPEAL_OUTCOMES):
                r.problem(where, f"unknown outcome {key!r} in `to`")
        timeliness = None
        if "timeliness" in spec:
            t = spec["timeliness"]
            r.only(
                t,
                {"deadline", "late_deadline", "late_requires_justification", "by_post", "source"},
                where,
            )
            if t.get("by_post", "received") not in ("posted", "received"):
                r.problem(where, "timeliness `by_post` must be posted or received")
            for key in ("deadline", "late_deadline"):
                if t.get(key) and t[key] not in deadlines:
                    r.problem(where, f"timeliness names an unknown deadline {t[key]!r}")
            timeliness = Timeliness(
                deadline=t.get("deadline", ""),
                late_deadline=t.get("late_deadline", ""),
                late_requires_justification=t.get("late_requires_justification", True),
                citations=r.citations(t.get("source"), f"{where}.timeliness"),
                by_post=t.get("by_post", "received"),
            )
        if spec.get("instance", "") not in ("", *INSTANCES):
            r.problem(where, f"unknown instance {spec.get('instance')!r}")
        steps[step_id] = Step(
            id=step_id,
            sources=frozenset(sources_),
            targets=targets,
            roles=frozenset(roles),
            citations=r.citations(spec.get("source"), where),
            instance=spec.get("instance", ""),
            timeliness=timeliness,
            **dict(zip(DATED_KEYS, r.dated(spec, where), strict=True)),
        )
    if "decide" not in steps:
        r.problem("steps", "a procedure needs a `decide` step")

    forms: dict[str, DecisionForm] = {}
    for form_id, spec in r.table(data, "forms", "forms", required=False).items():
        where = f"forms.{form_id}"
        r.only(spec, {"outcome", "label", "source", "conclusion", *DATED_KEYS}, where)
        if spec.get("outcome") not in OUTCOMES:
            r.problem(where, f"unknown outcome {spec.get('outcome')!r}")
        conclusion = spec.get("conclusion", "")
        if not isinstance(conclusion, str) or conclusion in OUTCOMES:
            r.problem(where, "`conclusion` names a conclusion that is not an outcome itself")
        forms[form_id] = DecisionForm(
            form_id,
            spec.get("outcome", ""),
            r.text(spec.get("label"), f"{where}.label"),
            r.citations(spec.get("source"), where),
            *r.dated(spec, where),
            conclusion=conclusion if isinstance(conclusion, str) else "",
        )

    removal = None
    if "removal" in data:
        spec = data["removal"]
        r.only(
            spec,
            {
                "suspends",
                "source",
                "exceptions",
                "pending_stages",
                "pending_while_open",
                "protected_stages",
                "stay_source",
            },
            "removal",
        )
        exceptions = []
        for i, ex in enumerate(spec.get("exceptions", [])):
            where = f"removal.exceptions[{i}]"
            r.only(
                ex,
                {
                    "id",
                    "from_ordinal",
                    "lodged_from",
                    "label",
                    "source",
                    "recorded",
                    "lifted_by_reasonable_grounds",
                    *DATED_KEYS,
                },
                where,
            )
            if not ex.get("recorded") and not ex.get("from_ordinal"):
                r.problem(where, "an exception is `recorded` or applies `from_ordinal`")
            exceptions.append(
                RemovalException(
                    ex.get("id", ""),
                    int(ex.get("from_ordinal", 0)),
                    r.day(ex.get("lodged_from"), where),
                    r.text(ex.get("label"), f"{where}.label"),
                    r.citations(ex.get("source"), where),
                    *r.dated(ex, where),
                    recorded=ex.get("recorded", False) is True,
                    lifted_by_reasonable_grounds=ex.get("lifted_by_reasonable_grounds") is True,
                )
            )
        for key in ("pending_stages", "protected_stages"):
            for stage_id in spec.get(key, []):
                if stage_id not in stages:
                    r.problem("removal", f"`{key}` names an undeclared stage {stage_id!r}")
        for rule_id in spec.get("pending_while_open", []):
            if rule_id not in deadlines:
                r.problem("removal", f"`pending_while_open` names an unknown rule {rule_id!r}")
        removal = Removal(
            bool(spec.get("suspends")),
            r.citations(spec.get("source"), "removal"),
            tuple(exceptions),
            pending_stages=frozenset(spec.get("pending_stages", [])),
            pending_while_open=frozenset(spec.get("pending_while_open", [])),
            protected_stages=frozenset(spec.get("protected_stages", [])),
            stay_citations=r.citations(spec["stay_source"], "removal.stay_source")
            if "stay_source" in spec
            else (),
        )

    appeal_spec = r.table(data, "appeal", "appeal")
    r.only(
        appeal_spec,
        {"excluded", "counsellors", "oral_hearing", "hearing_refusal", "source"},
        "appeal",
    )
    excluded = appeal_spec.get("excluded", [])
    for item in excluded:
        if item not in ("first_instance_decider", "first_instance_interviewer"):
            r.problem("appeal", f"unknown exclusion {item!r}")
    if appeal_spec.get("oral_hearing", "none") not in ("none", "unless_waived"):
        r.problem("appeal", "`oral_hearing` must be none or unless_waived")
    hearing_refusal = None
    if "hearing_refusal" in appeal_spec:
        spec = r.table(appeal_spec, "hearing_refusal", "appeal")
        r.only(spec, {"ground", "source"}, "appeal.hearing_refusal")
        if appeal_spec.get("oral_hearing", "none") == "none":
            r.problem("appeal.hearing_refusal", "there is no oral hearing to refuse")
        hearing_refusal = HearingRefusal(
            r.text(spec.get("ground"), "appeal.hearing_refusal.ground"),
            r.citations(spec.get("source"), "appeal.hearing_refusal"),
        )
    appeal = AppealRules(
        frozenset(excluded),
        int(appeal_spec.get("counsellors", 0)),
        appeal_spec.get("oral_hearing", "none"),
        r.citations(appeal_spec.get("source"), "appeal"),
        hearing_refusal,
    )

    closures = {}
    for reason, spec in r.table(data, "closure", "closure", required=False).items():
        where = f"closure.{reason}"
        r.only(spec, {"after_deadline", "source"}, where)
        if reason not in CLOSURE_REASONS:
            r.problem(where, f"unknown reason for closing {reason!r}")
        if spec.get("after_deadline") not in deadlines:
            r.problem(where, "`after_deadline` must name a deadline of the profile")
        closures[reason] = ClosureRule(
            reason, spec.get("after_deadline", ""), r.citations(spec.get("source"), where)
        )

    grounds = {
        key: r.text(value, f"reopening_grounds.{key}")
        for key, value in r.table(
            data, "reopening_grounds", "reopening_grounds", required=False
        ).items()
    }
    if "reopen" in steps and not grounds:
        r.problem("reopening_grounds", "a profile that reopens files lists the grounds")

    interview = InterviewRules()
    if "interview" in data:
        spec = data["interview"]
        r.only(spec, {"dependants_without_interview", "source"}, "interview")
        interview = InterviewRules(
            r.outcomes(spec, "dependants_without_interview", "interview"),
            r.citations(spec.get("source"), "interview"),
        )

    default_for = []
    for item in data.get("default_for", []):
        if item.get("office_kind") not in OFFICE_KINDS:
            r.problem("default_for", f"unknown office kind {item.get('office_kind')!r}")
        default_for.append((item.get("country", ""), item.get("office_kind", "")))

    profile = Profile(
        id=profile_id,
        name=r.text(data.get("name"), "name"),
        jurisdiction=data.get("jurisdiction", ""),
        documentation=data.get("documentation", ""),
        default_for=tuple(default_for),
        initial_stage=initial,
        default_mode=default_mode,
        appeal_body=r.text(data.get("appeal_body"), "appeal_body"),
        court=r.text(data["court"], "court") if "court" in data else None,
        sources=r.sources,
        calendars=calendars,
        countings=countings,
        modes=modes,
        stages=stages,
        steps=steps,
        deadlines=deadlines,
        forms=forms,
        removal=removal,
        appeal=appeal,
        closures=closures,
        interview=interview,
        reopening_grounds=grounds,
    )
    _check_reachable(r, profile)
    _check_events(r, profile)
    _check_targets(r, profile)
    if r.problems:
        raise ProfileError("\n".join(r.problems))
    return profile


def _check_reachable(r: _Reader, profile: Profile) -> None:
    """Every stage can be reached from the first one by the profile's steps."""
    reached = {profile.initial_stage}
    changed = True
    while changed:
        changed = False
        for step in profile.steps.values():
            if step.sources & reached:
                new = set(step.targets.values()) - reached
                if new:
                    reached |= new
                    changed = True
    for stage_id in profile.stages:
        if stage_id not in reached:
            r.problem(f"stages.{stage_id}", "no step of the profile reaches this stage")


def _check_events(r: _Reader, profile: Profile) -> None:
    """Deadlines start and end on events the profile can produce."""
    possible = {"lodged", "notified", "interview_missed", "contact", *profile.steps}
    if {"record_judgment", "record_court_appeal_judgment"} & set(profile.steps):
        possible.add("judgment_served")
    for rule in profile.deadlines.values():
        if rule.starts not in possible:
            r.problem(f"deadlines.{rule.id}", f"no step of the profile is {rule.starts!r}")
        for event in rule.met_by - possible:
            r.problem(f"deadlines.{rule.id}", f"no step of the profile is {event!r}")


def _check_targets(r: _Reader, profile: Profile) -> None:
    """Targets are set for steps the profile has, counted from events it can produce."""
    for mode in profile.modes.values():
        for target in mode.targets:
            for step in (target.step, target.starts):
                if step in STEPS and step not in profile.steps:
                    r.problem(f"modes.{mode.id}.targets", f"no step of the profile is {step!r}")


def load_file(path: Path) -> Profile:
    with path.open("rb") as handle:
        try:
            data = tomllib.load(handle)
        except tomllib.TOMLDecodeError as exc:
            raise ProfileError(f"{path.stem}: not valid TOML: {exc}") from exc
    return _read(path.stem, data)


@cache
def profiles() -> dict[str, Profile]:
    """Every profile in ``data/``, checked; raises ProfileError listing every problem."""
    found, problems = {}, []
    for path in sorted(DATA_DIR.glob("*.toml")):
        try:
            found[path.stem] = load_file(path)
        except ProfileError as exc:
            problems.append(str(exc))
    if problems:
        raise ProfileError("\n".join(problems))
    return found


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
