"""Cases and persons over the REST API (mounted at /api/cases and /api/persons): the same
services and the same scoped querysets as the pages."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from ninja import Query, Router, Status

from nansen.accounts.roles import Action
from nansen.api.schemas import ERRORS, ErrorOut
from nansen.audit.models import CaseEvent
from nansen.audit.services import read_record
from nansen.core.search import SearchQuery
from nansen.operations.idempotency import idempotent
from nansen.procedures.models import Application, Decision
from nansen.registration import services
from nansen.registration.models import Case
from nansen.registration.schemas import (
    CaseIn,
    CaseOut,
    CasePageOut,
    EventOut,
    PersonOut,
    PersonUpdateIn,
    SensitiveIn,
)
from nansen.registration.selectors import case_get, case_list, members_prefetch, person_get
from nansen.registration.services import SensitiveInput

cases = Router(tags=["cases"])
persons = Router(tags=["persons"])


def _require_casework(request) -> None:
    user = request.user
    if not (user.may(Action.VIEW_CASEWORK) or user.may(Action.VIEW_REPRESENTED)):
        raise Http404


def _case_with_details(request, pk: int, read: str = "") -> Case:
    """The case with its members, their documents, its applications and their decisions;
    ``read`` records the read (``case_get``)."""
    case_get(user=request.user, pk=pk, read=read, request=request)
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
    read_record(
        user=request.user,
        request=request,
        action="case_search",
        object_type="case",
        object_ids=[c.pk for c in items],
    )
    return {"count": found.count(), "items": items}


@cases.post("", response={201: CaseOut, **ERRORS})
def register_case(request, payload: CaseIn):
    """Register a family: the principal applicant and dependants, in a new case.

    Send an ``Idempotency-Key`` header to make retries safe: the same key answers with the
    case it first created."""
    return idempotent(
        request,
        write=lambda: services.case_register(
            actor=request.user,
            principal=payload.principal.to_input(),
            dependants=[m.to_input() for m in payload.dependants],
        ),
        respond=lambda case: Status(201, _case_with_details(request, case.pk)),
    )


@cases.get("/{int:case_id}", response={200: CaseOut, 404: ErrorOut})
def get_case(request, case_id: int):
    _require_casework(request)
    return _case_with_details(request, case_id, read="case_view")


@cases.get("/{int:case_id}/history", response={200: list[EventOut], 404: ErrorOut})
def case_history(request, case_id: int):
    _require_casework(request)
    case = case_get(user=request.user, pk=case_id, read="case_history_view", request=request)
    return CaseEvent.objects.filter(case=case).select_related("actor").order_by("at", "pk")


@persons.get("/{int:person_id}", response={200: PersonOut, 404: ErrorOut})
def get_person(request, person_id: int):
    _require_casework(request)
    return person_get(user=request.user, pk=person_id, read="person_view", request=request)


@persons.put("/{int:person_id}", response={200: PersonOut, **ERRORS})
def update_person(request, person_id: int, payload: PersonUpdateIn):
    """Correct a person's details. Answers 409 when the person changed since ``version``;
    a retry with the same ``Idempotency-Key`` answers with the person instead."""
    person = person_get(user=request.user, pk=person_id)
    return idempotent(
        request,
        write=lambda: services.person_update(
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
    return services.person_sensitive_update(
        actor=request.user,
        person=person,
        expected_version=payload.version,
        data=SensitiveInput(**payload.model_dump(exclude={"version"})),
    )
