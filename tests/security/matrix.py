"""The authorisation matrix: every page and API operation, found by Django's URL resolver
and the OpenAPI document, probed by every persona with every method on the objects of the
world (tests/security/world.py), each answer judged against an oracle written apart from
the views.

The oracle: a request is allowed when the user holds one of the actions the view declares
(``view.nansen_actions``, set by ``nansen.core.decorators.action_required``; stacked
decorators require each of their sets) and every object the URL names is visible to the user
through the single visibility rule (``Case.objects.visible_to``, ``Person.objects.visible_to``;
objects owned by a case are seen through their case; pledges and COI sources are shared).
Not allowed: 404 or 405 (a signed-out visitor: the sign-in page, or 401 on the API), and
nothing of any record in the body. Allowed: never 404, never a server error, and nothing of
a record the user may not see (nor any sensitive field, without the right to see them).
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from nansen.accounts.models import User
from nansen.accounts.roles import Action
from nansen.eligibility.models import Part
from nansen.registration.models import Case, Person
from nansen.resettlement.transitions import STEPS
from nansen.statistics.exports import TABLES
from tests.security.world import World

A = Action
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
CASEWORK = frozenset({A.VIEW_CASEWORK, A.VIEW_REPRESENTED})

# --- views that need no action: reviewed one by one ------------------------------------------
# A view without ``nansen_actions`` must be listed here with the reason it is open; the matrix
# fails naming any other. Open views are still probed: they never fail with a server error
# and never show a record the user may not see.

PUBLIC_VIEWS = {
    "accounts:login": "sign-in",
    "accounts:logout": "sign-out",
    "accounts:password_reset": "password reset: asks for an address, says the same for any address",
    "accounts:password_reset_done": "password reset: the 'sent' page",
    "accounts:password_reset_confirm": "password reset: the link's token is the credential",
    "accounts:password_reset_complete": "password reset: the 'done' page",
    "set_language": "language choice (a cookie)",
    "operations:healthz": "health check for the load balancer: no data",
    "procedures:deadline_calculator": "the legal deadline calculator, public law for anyone",
    "procedures:profile_rules": "the procedure rules in force on a day, public law for anyone",
    "api:openapi-json": "the API's description",
    "api:openapi-view": "the API's interactive documentation (local assets)",
    "api:api-root": "the API's root, pointing at its documentation",
}
SIGNED_IN_VIEWS = {
    "procedures:dashboard": "each user's own start page, built from the scoped querysets",
    "accounts:mfa_verify": "the second factor at sign-in",
    "accounts:mfa": "the user's own second factors",
    "accounts:mfa_setup": "setting up one's own authenticator",
    "accounts:mfa_setup_qr": "the QR code of one's own new authenticator",
    "accounts:mfa_recovery_codes": "one's own recovery codes",
    "accounts:mfa_recovery_codes_regenerate": "one's own recovery codes",
    "accounts:reauthenticate": "password and second factor again, before a sensitive action",
    "accounts:password_change": "changing one's own password, given the current one",
    "accounts:sessions": "one's own open sessions",
    "accounts:session_end": "ending one of one's own sessions; another's answers 404",
    "accounts:sessions_end_others": "ending one's own other sessions",
    "statistics:statistics_compare": "published UNHCR figures beside the office's, masked "
    "unless the user may see statistics",
}
# The Django admin answers with its own check (the administrator's action, never Django's
# staff or superuser flags, then re-authentication for accounts): 404 to anyone signed in
# without it, the sign-in page to visitors.
ADMIN_PREFIX = "admin/"

# --- URL parameters: what each names --------------------------------------------------------
# A parameter names the kind of object of the path segment before it ("cases/<pk>" is a
# case). Parameters that carry a value rather than an object are listed by name. A route
# whose parameter fits neither fails the matrix with the route named.

SEGMENT_KINDS = {
    "cases": "case",
    "persons": "person",
    "applications": "application",
    "interviews": "interview",
    "appeals": "appeal",
    "decisions": "decision",
    "letters": "letter",
    "assessments": "assessment",
    "assessment-facts": "fact",
    "facts": "fact",
    "citations": "citation",
    "hold": "legal_hold",
    "guard-exceptions": "guard_exception",
    "referrals": "referral",
    "representatives": "representative",
    "pairs": "candidate_pair",
    "merges": "merge",
    "imports": "import",
    "access": "announcement",
    "sources": "source",
    "pledges": "pledge",
    "counsellors": "counsellor",
}
VALUE_PARAMS: dict[str, tuple[str, ...]] = {
    "fmt": ("csv",),
    "file_format": ("csv",),
    "table": tuple(TABLES),
    "part": (Part.FEAR.value,),
    # Every step of the referral table, each judged by the action the table names for it.
    "step": tuple(STEPS),
    "uidb64": ("MQ",),
    "token": ("set-password",),
}
SHARED_KINDS = {"source", "pledge"}
# Kinds that belong to the object named before them in the same URL.
CHILD_OF = {
    "legal_hold": lambda hold, case: hold.case_id == case.pk,
    "guard_exception": lambda exception, case: exception.case_id == case.pk,
    "representative": lambda user, case: case.representatives.filter(pk=user.pk).exists(),
    "announcement": lambda announcement, person: announcement.person_id == person.pk,
}
# Values that narrow the declared actions: the referral step table says who may take a step.
VALUE_ACTIONS = {"step": lambda step: frozenset({STEPS[step].action})}

# --- the API: the actions each operation needs -------------------------------------------------
# As the services' require() and the endpoints' own checks say. PUBLIC needs no token;
# SIGNED_IN any token; otherwise a list of sets, one action of each set needed. The matrix
# fails naming any operation of the OpenAPI document missing here.

PUBLIC = "public"
SIGNED_IN = "signed_in"
SENSITIVE = [frozenset({A.VIEW_CASEWORK}), frozenset({A.VIEW_SENSITIVE})]


def _any(*actions: Action) -> list[frozenset[Action]]:
    return [frozenset(actions)]


# Who sends something out on a road of the country-of-origin guard, hence may record a consent.
GUARD_SENDERS = (A.DISCLOSE, A.ISSUE_LETTER, A.REFER_RESETTLEMENT, A.PROTECT_DATA)


API_ACTIONS: dict[str, object] = {
    "nansen_registration_api_list_cases": [CASEWORK],
    "nansen_registration_api_register_case": _any(A.REGISTER),
    "nansen_registration_api_get_case": [CASEWORK],
    "nansen_registration_api_case_history": [CASEWORK],
    "nansen_registration_api_get_person": [CASEWORK],
    "nansen_registration_api_update_person": _any(A.EDIT_REGISTRATION),
    "nansen_registration_api_update_person_sensitive": [
        frozenset({A.VIEW_SENSITIVE}),
        frozenset({A.EDIT_REGISTRATION}),
    ],
    "nansen_procedures_api_lodge_applications": _any(A.LODGE_APPLICATION),
    "nansen_procedures_api_get_application": [CASEWORK],
    "nansen_procedures_api_record_application_interview": _any(A.RECORD_INTERVIEW),
    "nansen_procedures_api_record_decision": _any(A.DECIDE_FIRST_INSTANCE),
    "nansen_statistics_api_get_statistics": _any(A.VIEW_STATISTICS),
    "nansen_statistics_api_get_decisions": _any(A.VIEW_STATISTICS),
    "nansen_statistics_api_get_applications": _any(A.VIEW_STATISTICS),
    "nansen_statistics_api_get_stock": _any(A.VIEW_STATISTICS),
    "nansen_statistics_api_get_processing_times": _any(A.VIEW_STATISTICS),
    "nansen_statistics_api_get_report": _any(A.VIEW_STATISTICS),
    "nansen_statistics_api_get_benchmark": _any(A.VIEW_STATISTICS),
    "nansen_statistics_api_get_comparison": SIGNED_IN,  # published figures for the others
    "nansen_statistics_api_get_consistency": _any(A.MONITOR_CONSISTENCY),
    "nansen_statistics_api_get_export": _any(A.VIEW_STATISTICS),
    "nansen_procedures_api_list_profiles": PUBLIC,
    "nansen_procedures_api_compute_deadline": PUBLIC,
    "nansen_procedures_api_my_work": [CASEWORK],
    "nansen_procedures_api_get_procedure": [CASEWORK],
    "nansen_procedures_api_schedule_interview": _any(A.SCHEDULE_INTERVIEW),
    "nansen_procedures_api_record_interview": _any(A.RECORD_INTERVIEW),
    "nansen_procedures_api_interview_missed": _any(A.RECORD_INTERVIEW),
    "nansen_procedures_api_interview_cancel": _any(A.SCHEDULE_INTERVIEW),
    "nansen_procedures_api_set_mode": _any(A.DECIDE_FIRST_INSTANCE),
    "nansen_procedures_api_record_contact": _any(A.SCHEDULE_INTERVIEW),
    "nansen_procedures_api_record_reasonable_grounds": _any(A.DECIDE_FIRST_INSTANCE),
    "nansen_procedures_api_record_removal_exception": _any(A.DECIDE_FIRST_INSTANCE),
    "nansen_procedures_api_reopen": _any(A.DECIDE_FIRST_INSTANCE),
    "nansen_procedures_api_lodge_appeal": _any(A.LODGE_APPEAL),
    "nansen_procedures_api_assign_appeal": _any(A.ASSIGN_APPEAL),
    "nansen_procedures_api_record_opinion": _any(A.DECIDE_APPEAL),
    "nansen_procedures_api_record_hearing": _any(A.DECIDE_APPEAL),
    "nansen_procedures_api_decide_appeal": _any(A.DECIDE_APPEAL),
    "nansen_procedures_api_review_list_counsellors": _any(A.MANAGE_COUNSELLORS, A.ASSIGN_APPEAL),
    "nansen_procedures_api_review_register_counsellor": _any(A.MANAGE_COUNSELLORS),
    "nansen_procedures_api_review_update_counsellor": _any(A.MANAGE_COUNSELLORS),
    "nansen_procedures_api_review_designate_counsellor": _any(A.ASSIGN_APPEAL),
    "nansen_procedures_api_review_cancel_designation": _any(A.ASSIGN_APPEAL),
    "nansen_procedures_api_review_refuse_hearing": _any(A.DECIDE_APPEAL),
    "nansen_procedures_api_review_withdraw_appeal": _any(A.LODGE_APPEAL),
    "nansen_procedures_api_lodge_court_proceeding": _any(A.LODGE_APPEAL),
    "nansen_procedures_api_update_court_proceeding": _any(A.LODGE_APPEAL),
    "nansen_procedures_api_record_court_hearing": _any(A.LODGE_APPEAL),
    "nansen_procedures_api_record_judgment": _any(A.DECIDE_APPEAL),
    "nansen_procedures_api_record_judgment_service": _any(A.LODGE_APPEAL),
    "nansen_procedures_api_apply_for_stay": _any(A.LODGE_APPEAL),
    "nansen_procedures_api_decide_stay": _any(A.LODGE_APPEAL),
    "nansen_procedures_api_issue_letter": _any(A.ISSUE_LETTER),
    "nansen_procedures_api_notify_decision": _any(A.ISSUE_LETTER),
    "nansen_procedures_api_notify_letter": _any(A.ISSUE_LETTER),
    "nansen_procedures_api_letter_pdf": [CASEWORK],
    "nansen_resettlement_api_list_pledges": _any(A.VIEW_PLEDGES),
    "nansen_resettlement_api_record_pledge": _any(A.MANAGE_PLEDGES),
    "nansen_resettlement_api_get_pledge": _any(A.VIEW_PLEDGES),
    "nansen_resettlement_api_revise_pledge": _any(A.MANAGE_PLEDGES),
    "nansen_resettlement_api_list_revisions": _any(A.VIEW_PLEDGES),
    "nansen_resettlement_api_pledge_fulfilment": _any(A.VIEW_PLEDGES),
    "nansen_resettlement_api_list_referrals": [CASEWORK],
    "nansen_resettlement_api_identify_referral": _any(A.REFER_RESETTLEMENT),
    "nansen_resettlement_api_get_referral": [CASEWORK],
    "nansen_resettlement_api_update_referral": _any(A.REFER_RESETTLEMENT),
    "nansen_resettlement_api_take_step": [],  # the step table decides (VALUE_ACTIONS)
    "nansen_coi_api_list_sources": _any(A.VIEW_COI),
    "nansen_coi_api_add_source": _any(A.MANAGE_COI),
    "nansen_coi_api_get_source": _any(A.VIEW_COI),
    "nansen_coi_api_update_source": _any(A.MANAGE_COI),
    "nansen_coi_api_search": _any(A.VIEW_COI),
    "nansen_coi_api_list_topics": _any(A.VIEW_COI),
    "nansen_eligibility_api_list_profiles": SENSITIVE,
    "nansen_eligibility_api_get_assessment": SENSITIVE,
    "nansen_eligibility_api_start_assessment": [*SENSITIVE, frozenset({A.ASSESS_ELIGIBILITY})],
    **{
        f"nansen_eligibility_api_{name}": [*SENSITIVE, frozenset({A.ASSESS_ELIGIBILITY})]
        for name in (
            "save_general",
            "save_fear",
            "save_persecution",
            "save_protection",
            "save_relocation",
            "save_exclusion",
            "save_conclusion",
            "save_nexus",
            "save_complementary",
            "add_fact",
            "update_fact",
            "remove_fact",
            "add_citation",
            "remove_citation",
            "submit",
        )
    },
    "nansen_eligibility_api_check": SENSITIVE,
    "nansen_eligibility_api_review": [*SENSITIVE, frozenset({A.REVIEW_ASSESSMENT})],
    "nansen_eligibility_api_reasons": SENSITIVE,
    "nansen_eligibility_api_similar": SENSITIVE,
    "nansen_identity_api_check": _any(A.REGISTER),
    "nansen_protection_api_record_disclosure": _any(A.DISCLOSE),
    "nansen_protection_api_list_guard_exceptions": _any(*GUARD_SENDERS, A.APPROVE_GUARD_EXCEPTION),
    "nansen_protection_api_request_guard_exception": _any(*GUARD_SENDERS),
    "nansen_protection_api_approve_guard_exception": _any(A.APPROVE_GUARD_EXCEPTION),
    "nansen_identity_api_pairs": _any(A.REVIEW_IDENTITY),
    "nansen_identity_api_decide": _any(A.REVIEW_IDENTITY),
}

# Plain values the API's validators accept (ISO codes, the letters' languages); a string
# with a pattern takes the first candidate that matches it.
FIELD_VALUES = {
    "family_name": "Matrix",
    "country_of_origin": "SYR",
    "countries": ["SYR"],
    "nationalities": ["SYR"],
    "receiving_country": "CAN",
    "programme_type": "resettlement",
}
PATTERN_CANDIDATES = ("x", "en", "eng", "SYR", "ara", "M", "2025-01-01")

# Fields of API request bodies that name objects: filled from the probe's slot, and judged
# like URL parameters.
BODY_KINDS = {
    "case_id": "case",
    "person_ids": "person",
    "pledge_id": "pledge",
    "source_id": "source",
}


# --- what is probed -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    name: str
    kind: str | None = None  # an object of this kind
    values: tuple[str, ...] = ()  # or one of these values


@dataclass
class Target:
    """A page or API operation, as the matrix probes it."""

    surface: str  # "page", "admin" or "api"
    label: str  # the URL name or the operation id
    route: str  # the URL pattern, parameters in it
    params: list[Param]
    rule: object  # PUBLIC, SIGNED_IN, "admin", or a list of action sets
    methods: dict[str, dict] = field(default_factory=dict)  # API: method -> operation


class MatrixError(AssertionError):
    """The matrix cannot judge a view: it says which and why."""


_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>|\{(\w+)\}|\(\?P<(\w+)>[^)]*\)")


def param_names(route: str) -> list[tuple[str, int]]:
    return [(m.group(2) or m.group(3) or m.group(4), m.start()) for m in _PARAM.finditer(route)]


def _param(route: str, name: str, start: int) -> Param:
    if name in VALUE_PARAMS:
        return Param(name, values=VALUE_PARAMS[name])
    segments = [s for s in route[:start].split("/") if s]
    before = segments[-1] if segments and route[start - 1 : start] == "/" else None
    kind = SEGMENT_KINDS.get(before or "")
    if kind is None:
        raise MatrixError(
            f"{route}: the matrix does not know what the parameter <{name}> names (the path "
            f"segment before it is {before!r}). Add the segment to SEGMENT_KINDS or the "
            "parameter to VALUE_PARAMS in tests/security/matrix.py, and the object to the world."
        )
    return Param(name, kind=kind)


def _unwrap_actions(view) -> list[frozenset[Action]]:
    """Every set of actions declared along the view's decorators (each one is needed)."""
    found: list[frozenset[Action]] = []
    while view is not None:
        actions = view.__dict__.get("nansen_actions") if hasattr(view, "__dict__") else None
        if actions is not None and actions not in found:
            found.append(actions)
        view = getattr(view, "__wrapped__", None)
    return found


def _walk(patterns, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, object]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}{p.name}" if p.name else ""
            yield prefix + str(p.pattern), name, p.callback


def page_targets() -> tuple[list[Target], list[str]]:
    """Every URL pattern but the API operations (probed from the OpenAPI document), with the
    rule it is judged by; and the routes of the API operations (to check against it)."""
    targets, api_routes, problems = [], [], []
    for route, name, callback in _walk(get_resolver().url_patterns):
        if getattr(callback, "__module__", "") == "ninja.operation":
            api_routes.append(route)
            continue
        if route.startswith(ADMIN_PREFIX):
            targets.append(Target("admin", name or route, route, [], "admin"))
            continue
        actions = _unwrap_actions(callback)
        if actions:
            rule: object = actions
        elif name in PUBLIC_VIEWS:
            rule = PUBLIC
        elif name in SIGNED_IN_VIEWS:
            rule = SIGNED_IN
        else:
            problems.append(
                f"{route} ({name or 'no name'}, {getattr(callback, '__module__', '?')}."
                f"{getattr(callback, '__name__', '?')}) declares no action "
                "(nansen.core.decorators.action_required) and is not listed in PUBLIC_VIEWS "
                "or SIGNED_IN_VIEWS"
            )
            continue
        try:
            params = [_param(route, n, s) for n, s in param_names(route)]
        except MatrixError as exc:
            problems.append(str(exc))
            continue
        targets.append(Target("page", name, route, params, rule))
    if problems:
        raise MatrixError("\n".join(problems))
    return targets, api_routes


def api_targets(document: dict) -> list[Target]:
    targets, problems = [], []
    base = document.get("servers", [{}])[0].get("url", "") if document.get("servers") else ""
    for path, operations in document["paths"].items():
        methods = {m.upper(): op for m, op in operations.items() if m.upper() in METHODS}
        for op in methods.values():
            if op["operationId"] not in API_ACTIONS:
                problems.append(
                    f"{path}: operation {op['operationId']} has no entry in API_ACTIONS "
                    "(tests/security/matrix.py)"
                )
        route = (base + path).lstrip("/")
        try:
            params = [_param("/" + route, n, s + 1) for n, s in param_names(route)]
        except MatrixError as exc:
            problems.append(str(exc))
            continue
        targets.append(Target("api", route, route, params, None, methods))
    if problems:
        raise MatrixError("\n".join(problems))
    return targets


# --- the oracle ---------------------------------------------------------------------------------


class Sight:
    """What one user may see, by the single visibility rule."""

    def __init__(self, user: User | None, world: World):
        self.user = user
        self.cases = (
            set(Case.objects.visible_to(user).values_list("pk", flat=True)) if user else set()
        )
        self.persons = (
            set(Person.objects.visible_to(user).values_list("pk", flat=True)) if user else set()
        )
        self.sensitive = bool(user and user.may(A.VIEW_SENSITIVE))
        self.hidden: list[str] = []  # strings no answer to this user may contain
        self.everything: list[str] = []  # strings no refusal may contain
        for slot in world.slots:
            strings = [*slot.forbidden, slot.sensitive]
            self.everything += strings
            if slot.case.pk not in self.cases:
                self.hidden += strings
            elif not self.sensitive:
                self.hidden.append(slot.sensitive)

    def may(self, rule) -> bool:
        if rule == PUBLIC or rule == []:
            return True
        if self.user is None:
            return False
        if rule == SIGNED_IN:
            return True
        if rule == "admin":
            return self.user.may(A.ADMINISTER)
        return all(any(self.user.may(a) for a in actions) for actions in rule)

    def sees(self, kind: str, obj, slot) -> bool:
        if kind in SHARED_KINDS:
            return True
        if self.user is None:
            return False
        if kind == "person":
            return obj.pk in self.persons
        if kind == "candidate_pair":
            return {obj.person_a_id, obj.person_b_id} <= self.persons
        if kind == "merge":
            return {obj.survivor_id, obj.absorbed_id} <= self.persons
        if kind in ("import", "counsellor"):
            return obj.office_id == self.user.office_id
        if kind == "announcement":
            # An access request names what a check announced to this user (a record of
            # another office, which the user cannot see), about the person named before it.
            return obj.user_id == self.user.pk
        if kind == "representative":
            return True  # judged by its case (CHILD_OF)
        return slot.case.pk in self.cases  # owned by the slot's case


@dataclass
class Binding:
    """One choice of objects for a target's parameters."""

    values: dict[str, str]  # parameter -> value in the URL
    objects: list[tuple[str, object, object]]  # (kind, object, slot) for the oracle
    extra_rule: list[frozenset[Action]]
    label: str


def _candidates(world: World, param: Param) -> list[tuple[str, object, object]]:
    if param.values:
        return [(v, None, None) for v in param.values]
    if param.kind in SHARED_KINDS:
        return [(str(o.pk), o, None) for o in world.shared[param.kind]]
    out = []
    for slot in world.slots:
        for i, obj in enumerate(slot.objects.get(param.kind, [])):
            value = str(obj.uid) if param.kind in ("import", "announcement") else str(obj.pk)
            out.append((value, obj, (slot, i)))
    if not out:
        raise MatrixError(f"the world holds no object of kind {param.kind!r}")
    return out


def bindings(world: World, target: Target) -> Iterator[Binding]:
    choices = [_candidates(world, p) for p in target.params]
    for combo in itertools.product(*choices):
        values, objects, extra, label = {}, [], [], []
        for param, (value, obj, where) in zip(target.params, combo, strict=True):
            values[param.name] = value
            if param.kind:
                slot = where[0] if where else None
                objects.append((param.kind, obj, slot))
                label.append(f"{param.kind}@{slot.key}#{where[1]}" if slot else param.kind)
            else:
                if param.name in VALUE_ACTIONS:
                    extra.append(VALUE_ACTIONS[param.name](value))
                label.append(f"{param.name}={value}")
        yield Binding(values, objects, extra, " ".join(label))


def fill(route: str, values: dict[str, str]) -> str:
    def swap(m: re.Match) -> str:
        return values[m.group(2) or m.group(3) or m.group(4)]

    return "/" + _PARAM.sub(swap, route).lstrip("^").rstrip("$").lstrip("/")


def allowed(sight: Sight, rule, binding: Binding) -> bool:
    if not sight.may(rule) or not sight.may(binding.extra_rule):
        return False
    for kind, obj, slot in binding.objects:
        if not sight.sees(kind, obj, slot):
            return False
    owners = [(k, o) for k, o, _s in binding.objects]
    for (kind, obj), (_pk, parent) in zip(owners[1:], owners, strict=False):
        if kind in CHILD_OF and not CHILD_OF[kind](obj, parent):
            return False
    return True


def leaks(body: str, strings: list[str]) -> list[str]:
    return [s for s in strings if s in body]


# --- the admin's parameters ---------------------------------------------------------------------


def admin_values(route: str, world: World) -> dict[str, str]:
    from django.apps import apps

    values = {}
    segments = [s for s in route.split("/") if s]
    for name, start in param_names(route):
        if name in ("object_id", "id"):
            before = [s for s in route[:start].split("/") if s]
            if before[:2] == ["admin", "r"]:  # admin/r/<content_type_id>/<object_id>/
                values[name] = str(world.slots[0].objects["person"][0].pk)
                continue
            model = apps.get_model(before[-2], before[-1])
            first = model.objects.order_by("pk").first()
            values[name] = str(first.pk) if first else "1"
        elif name == "content_type_id":
            values[name] = str(ContentType.objects.get_for_model(Person).pk)
        elif name == "app_label":
            values[name] = "accounts"
        elif name == "url":
            values[name] = "no-such-page/"
        else:
            raise MatrixError(f"{route}: unknown admin parameter <{name}> ({segments})")
    return values


# --- API request bodies ---------------------------------------------------------------------------


class BodyMaker:
    """A valid request body for an operation, from the OpenAPI document: required fields
    with plain values, fields that name objects taken from the probe's slot."""

    def __init__(self, document: dict):
        self.schemas = document.get("components", {}).get("schemas", {})

    def resolve(self, schema: dict) -> dict:
        while "$ref" in schema:
            schema = self.schemas[schema["$ref"].split("/")[-1]]
        return schema

    def value(self, schema: dict, name: str, refs: dict) -> object:
        schema = self.resolve(schema)
        if name in refs:
            return refs[name]
        for key in ("anyOf", "oneOf", "allOf"):
            if key in schema:
                options = [o for o in schema[key] if self.resolve(o).get("type") != "null"]
                return self.value(options[0], name, refs)
        if name in FIELD_VALUES:
            return FIELD_VALUES[name]
        if "enum" in schema:
            return schema["enum"][0]
        if "const" in schema:
            return schema["const"]
        kind = schema.get("type")
        if kind == "object":
            return {
                prop: self.value(sub, prop, refs)
                for prop, sub in schema.get("properties", {}).items()
                if prop in schema.get("required", []) or prop in FIELD_VALUES
            }
        if kind == "array":
            return [self.value(schema.get("items", {}), name, refs)] * schema.get("minItems", 0)
        if kind == "integer":
            return max(schema.get("minimum", 1), 1)
        if kind == "number":
            return 1
        if kind == "boolean":
            return False
        fmt = schema.get("format")
        if fmt == "date":
            return timezone.localdate().isoformat()
        if fmt == "date-time":
            return (timezone.now() + timedelta(days=7)).isoformat()
        if "pattern" in schema:
            choice = re.fullmatch(r"\^\(([^()]*)\)\$", schema["pattern"])
            if choice:  # ^(a|b|c)$: the first alternative
                return choice.group(1).split("|")[0]
            return next(c for c in PATTERN_CANDIDATES if re.fullmatch(schema["pattern"], c))
        return "x" * max(schema.get("minLength", 1), 1)

    def body(self, operation: dict, refs: dict) -> str | None:
        content = operation.get("requestBody", {}).get("content", {})
        if "application/json" not in content:
            return None
        return json.dumps(self.value(content["application/json"]["schema"], "", refs))

    def query(self, operation: dict) -> dict:
        out = {}
        for p in operation.get("parameters", []):
            if p["in"] == "query" and p.get("required"):
                out[p["name"]] = self.value(p.get("schema", {}), p["name"], {})
        return out


def body_kinds(maker: BodyMaker, operation: dict) -> list[str]:
    """The kinds of object the operation's body names (see BODY_KINDS)."""
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return []
    schema = maker.resolve(content["application/json"]["schema"])
    return [
        BODY_KINDS[p]
        for p in schema.get("properties", {})
        if p in BODY_KINDS and p in schema.get("required", [])
    ]


def body_refs(slot, world: World) -> dict:
    return {
        "case_id": slot.case.pk,
        "person_ids": [slot.objects["person"][0].pk],
        "pledge_id": world.shared["pledge"][0].pk,
        "source_id": world.shared["source"][0].pk,
        # Users are named by username: the slot's own staff.
        "interviewer": slot.staff.officer.username,
        "officer": slot.staff.appeals.username,
    }
