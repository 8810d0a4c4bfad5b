"""The REST API: the same services and the same scoped querysets as the pages."""

from __future__ import annotations

import copy

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import translation
from ninja import NinjaAPI, Query, Router, Status
from ninja.parser import Parser

from nansen import __version__
from nansen.accounts.roles import Action
from nansen.api.auth import ActiveSessionAuth, TokenAuth
from nansen.api.schemas import (
    ApplicationOut,
    CaseIn,
    CaseOut,
    CasePageOut,
    DecisionIn,
    DecisionOut,
    ErrorOut,
    EventOut,
    InterviewIn,
    LodgeIn,
    PersonOut,
    PersonUpdateIn,
    SensitiveIn,
)
from nansen.audit.models import CaseEvent, Channel
from nansen.audit.services import read_record
from nansen.core.concurrency import ConcurrentEditError
from nansen.core.permissions import NotAllowed
from nansen.core.search import SearchQuery
from nansen.operations.idempotency import idempotent
from nansen.procedures import services as procedure_services
from nansen.procedures.models import Application, Decision
from nansen.registration import services as registration_services
from nansen.registration.models import Case
from nansen.registration.selectors import case_get, case_list, members_prefetch, person_get
from nansen.registration.services import SensitiveInput
from nansen.statistics.api import router as statistics_router


class ObjectBodyParser(Parser):
    """Every request body of the API is a JSON object: a list or a bare value is refused
    (400) rather than read as an empty object."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("the request body must be a JSON object")
        return data


class NansenAPI(NinjaAPI):
    """The API, whose description also names the refusals any operation may answer with,
    so that a client (and schemathesis) knows every status it can receive."""

    REFUSAL = {
        "type": "object",
        "properties": {"detail": {"description": "What was refused and why"}},
        "required": ["detail"],
    }
    REFUSALS_SIGNED_IN = {
        401: "No credentials, or credentials that are not valid",
        403: "A signed-in browser session without its CSRF token",
    }
    REFUSALS = {
        400: "A request Nansen cannot read (a body that is not a JSON object, a NUL "
        "character), or one a rule of the procedure refuses",
        404: "Nothing the user may see has this identifier",
        414: "A request line longer than the server accepts (answered by the server)",
        422: "The request does not match what the operation accepts",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._openapi_documents: dict[tuple[str, str], dict] = {}

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """The description, built once per path prefix and language (the operations are
        fixed once the URLs are loaded, and building it takes a third of a second); each
        caller gets a copy of its own."""
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        key = (path_prefix, translation.get_language())
        if key not in self._openapi_documents:
            self._openapi_documents[key] = self._openapi_document(path_prefix)
        return copy.deepcopy(self._openapi_documents[key])

    def _openapi_document(self, path_prefix: str) -> dict:
        schema = super().get_openapi_schema(path_prefix=path_prefix)
        schema.setdefault("components", {}).setdefault("schemas", {})["Refusal"] = self.REFUSAL
        body = {"application/json": {"schema": {"$ref": "#/components/schemas/Refusal"}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                refusals = dict(self.REFUSALS)
                if operation.get("security"):
                    refusals.update(self.REFUSALS_SIGNED_IN)
                responses = operation.setdefault("responses", {})
                for status, description in refusals.items():
                    responses.setdefault(status, {"description": description, "content": body})
        return dict(schema)


api = NansenAPI(
    title="Nansen API",
    version=__version__,
    description=(
        "Refugee status determination casework. Authenticate with a personal token "
        "(`Authorization: Bearer nsn_…`, created with `nansen tokens create`). Every "
        "object outside what the token's user may see answers 404."
    ),
    auth=[TokenAuth(), ActiveSessionAuth()],
    urls_namespace="api",
    parser=ObjectBodyParser(),
    openapi_url="/openapi.json",
    docs_url="/docs",
)

ERRORS = {400: ErrorOut, 404: ErrorOut, 409: ErrorOut}


@api.exception_handler(NotAllowed)
def _not_allowed(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=400)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    """A value the schema lets through but the model's own validation refuses (a name of
    control characters, say): 422 with the model's messages, as the schema's refusals."""
    messages = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": messages}, status=422)


@api.exception_handler(ConcurrentEditError)
def _conflict(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=409)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


def _require_casework(request) -> None:
    user = request.user
    if not (user.may(Action.VIEW_CASEWORK) or user.may(Action.VIEW_REPRESENTED)):
        raise Http404


def _audit_read(request, action: str, object_type: str, ids: list[int], **where) -> None:
    read_record(
        user=request.user,
        channel=Channel.API,
        action=action,
        object_type=object_type,
        object_ids=ids,
        request=request,
        **where,
    )


def _case_with_details(request, pk: int) -> Case:
    case_get(user=request.user, pk=pk)
    applications = Application.objects.prefetch_related(
        Prefetch("decisions", queryset=Decision.objects.select_related("decided_by"))
    )
    return (
        Case.objects.visible_to(request.user)
        .select_related("office")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=members_prefetch().queryset.prefetch_related("person__documents"),
            ),
            Prefetch("applications", queryset=applications),
        )
        .get(pk=pk)
    )


cases = Router(tags=["cases"])
persons = Router(tags=["persons"])
applications_router = Router(tags=["applications"])


@cases.get("", response={200: CasePageOut, 404: ErrorOut})
def list_cases(
    request,
    q: SearchQuery = "",
    country_of_origin: str = "",
    limit: int = Query(25, ge=1, le=100),
    offset: int = Query(0, ge=0, le=1_000_000),
):
    """Cases the user may see, filtered by name (either script), case number or origin."""
    _require_casework(request)
    found = case_list(user=request.user, q=q, country_of_origin=country_of_origin)
    items = list(found[offset : offset + limit])
    _audit_read(request, "case_search", "case", [c.pk for c in items])
    return {"count": found.count(), "items": items}


@cases.post("", response={201: CaseOut, **ERRORS})
def register_case(request, payload: CaseIn):
    """Register a family: the principal applicant and dependants, in a new case.

    Send an ``Idempotency-Key`` header to make retries safe: the same key answers with the
    case it first created."""
    return idempotent(
        request,
        write=lambda: registration_services.case_register(
            actor=request.user,
            principal=payload.principal.to_input(),
            dependants=[m.to_input() for m in payload.dependants],
        ),
        respond=lambda case: Status(201, _case_with_details(request, case.pk)),
    )


@cases.get("/{int:case_id}", response={200: CaseOut, 404: ErrorOut})
def get_case(request, case_id: int):
    _require_casework(request)
    case = _case_with_details(request, case_id)
    _audit_read(
        request,
        "case_view",
        "case",
        [case.pk],
        case_id=case.pk,
        person_ids=[m.person_id for m in case.members.all()],
    )
    return case


@cases.get("/{int:case_id}/history", response={200: list[EventOut], 404: ErrorOut})
def case_history(request, case_id: int):
    _require_casework(request)
    case = case_get(user=request.user, pk=case_id)
    _audit_read(request, "case_history_view", "case", [case.pk], case_id=case.pk)
    return CaseEvent.objects.filter(case=case).select_related("actor").order_by("at", "pk")


@cases.post("/{int:case_id}/applications", response={201: list[ApplicationOut], **ERRORS})
def lodge_applications(request, case_id: int, payload: LodgeIn):
    """Lodge applications for the chosen members of the case."""
    case = case_get(user=request.user, pk=case_id)
    members = {m.person_id: m.person for m in case.members.select_related("person")}
    chosen = [members.get(pk) for pk in payload.person_ids]
    if None in chosen:
        raise NotAllowed("Applications can only be lodged for members of this case.")
    created = procedure_services.application_lodge(
        actor=request.user,
        case=case,
        persons=chosen,
        lodged_on=payload.lodged_on,
        ordinals=payload.ordinals,
    )
    return Status(201, created)


@persons.get("/{int:person_id}", response={200: PersonOut, 404: ErrorOut})
def get_person(request, person_id: int):
    _require_casework(request)
    person = person_get(user=request.user, pk=person_id)
    _audit_read(request, "person_view", "person", [person.pk], person_ids=[person.pk])
    return person


@persons.put("/{int:person_id}", response={200: PersonOut, **ERRORS})
def update_person(request, person_id: int, payload: PersonUpdateIn):
    """Correct a person's details. Answers 409 when the person changed since ``version``;
    a retry with the same ``Idempotency-Key`` answers with the person instead."""
    person = person_get(user=request.user, pk=person_id)
    return idempotent(
        request,
        write=lambda: registration_services.person_update(
            actor=request.user,
            person=person,
            expected_version=payload.version,
            data=payload.to_input(),
        ),
        respond=lambda changed: person_get(user=request.user, pk=changed.pk),
    )


@persons.put("/{int:person_id}/sensitive", response={200: PersonOut, **ERRORS})
def update_person_sensitive(request, person_id: int, payload: SensitiveIn):
    """Record a person's sensitive data (eligibility officers and supervisors)."""
    person = person_get(user=request.user, pk=person_id)
    return registration_services.person_sensitive_update(
        actor=request.user,
        person=person,
        expected_version=payload.version,
        data=SensitiveInput(**payload.model_dump(exclude={"version"})),
    )


def _application_get(request, pk: int) -> Application:
    return get_object_or_404(Application.objects.visible_to(request.user), pk=pk)


@applications_router.get("/{int:application_id}", response={200: ApplicationOut, 404: ErrorOut})
def get_application(request, application_id: int):
    _require_casework(request)
    application = _application_get(request, application_id)
    _audit_read(
        request,
        "application_view",
        "application",
        [application.pk],
        case_id=application.case_id,
        person_ids=[application.person_id],
    )
    return application


@applications_router.post(
    "/{int:application_id}/interview", response={200: ApplicationOut, **ERRORS}
)
def record_interview(request, application_id: int, payload: InterviewIn):
    return procedure_services.application_record_interview(
        actor=request.user,
        application=_application_get(request, application_id),
        expected_version=payload.version,
        interview_on=payload.interview_on,
    )


@applications_router.post("/{int:application_id}/decision", response={201: DecisionOut, **ERRORS})
def record_decision(request, application_id: int, payload: DecisionIn):
    """Record the first-instance decision on one person's application."""
    decision = procedure_services.decision_record(
        actor=request.user,
        application=_application_get(request, application_id),
        expected_version=payload.version,
        outcome=str(payload.outcome),
        closure_reason=str(payload.closure_reason or ""),
        decided_on=payload.decided_on,
        reasons=payload.reasons,
        form=payload.form,
        without_interview_reason=payload.without_interview_reason,
    )
    return Status(201, decision)


api.add_router("/cases", cases)
api.add_router("/persons", persons)
api.add_router("/applications", applications_router)
api.add_router("/statistics", statistics_router)
api.add_router("/procedures", "nansen.procedures.api.router")
api.add_router("/procedures", "nansen.procedures.api_review.router")
api.add_router("/resettlement", "nansen.resettlement.api.router")
api.add_router("/protection", "nansen.protection.api.router")
api.add_router("/coi", "nansen.coi.api.router")
api.add_router("/eligibility", "nansen.eligibility.api.router")
api.add_router("/identity", "nansen.identity.api.router")
