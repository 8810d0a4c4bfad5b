"""Identity over the REST API (mounted at /api/identity): the registration check and the
review queue, with the same selectors and services as the pages."""

from __future__ import annotations

from datetime import date

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Status

from nansen.accounts.roles import Action
from nansen.api.schemas import ERRORS, ErrorOut
from nansen.audit.models import Channel
from nansen.audit.services import read_record
from nansen.identity import services
from nansen.identity.identity_check import CheckLimitReached, identity_check_run
from nansen.identity.match_records import record_from_values
from nansen.identity.schemas import CheckIn, CheckOut, PairDecisionIn, PairOut
from nansen.identity.selectors import pair_get, review_queue
from nansen.registration.dates import PartialDateError, parse_partial_date

router = Router(tags=["identity"])


@router.post("/check", response={200: CheckOut, 429: ErrorOut, **ERRORS})
def check(request, payload: CheckIn):
    """Likely existing records for a person about to be registered. Records of other
    offices are announced by office only. Counted against the user's hourly limit of
    checks (429 over it)."""
    if not request.user.may(Action.REGISTER):
        raise Http404
    birth, precision = None, "exact"
    if payload.birth_date:
        try:
            birth, precision = parse_partial_date(
                payload.birth_date, estimated=payload.birth_date_estimated
            )
        except PartialDateError as exc:
            return Status(400, {"detail": str(exc)})
    record = record_from_values(
        key="new",
        given_name=payload.given_name,
        family_name=payload.family_name,
        other_names=[payload.original_name, *payload.other_names],
        sex=payload.sex,
        birth_date=birth if isinstance(birth, date) else None,
        birth_date_precision=precision,
        nationalities=payload.nationalities,
        place_of_birth=payload.place_of_birth,
        documents=[(d.document_type, d.number, d.issuing_country) for d in payload.documents],
        family=payload.family,
    )
    try:
        result = identity_check_run(
            actor=request.user, record=record, request=request, channel=Channel.API
        )
    except CheckLimitReached as exc:
        return Status(429, {"detail": str(exc)})
    records = [
        {
            "person_id": item.person.pk,
            "office": item.office.code,
            "probability": round(item.candidate.probability, 4),
            "name": item.person.latin_name,
            "birth_date": item.person.birth_date_display,
            "evidence": [
                {
                    "field": e.comparison.key,
                    "level": e.level.key if e.level else None,
                    "weight": round(e.weight, 2),
                }
                for e in item.candidate.score.evidence
            ],
        }
        for item in result.shown
    ]
    announcements = [
        {
            "office": a.office_code,
            "office_name": a.office_name,
            "message": _("A possible earlier registration exists in office %(office)s.")
            % {"office": a.office_name},
        }
        for a in result.announced
    ]
    return Status(200, {"records": records, "announcements": announcements})


@router.get("/pairs", response={200: list[PairOut], **ERRORS})
def pairs(request, status: str = "open"):
    if not request.user.may(Action.REVIEW_IDENTITY):
        raise Http404
    found = list(review_queue(user=request.user, status=status)[:100])
    ids = [pid for p in found for pid in (p.person_a_id, p.person_b_id)]
    read_record(
        user=request.user,
        channel=Channel.API,
        action="identity_queue",
        object_type="person",
        object_ids=ids,
        person_ids=ids,
        request=request,
    )
    return Status(200, [_pair_out(p) for p in found])


@router.post("/pairs/{pk}/decision", response={200: PairOut, **ERRORS})
def decide(request, pk: int, payload: PairDecisionIn):
    pair = pair_get(user=request.user, pk=pk)
    services.pair_decide(
        actor=request.user,
        pair=pair,
        expected_version=payload.version,
        status=payload.status,
        note=payload.note,
    )
    return Status(200, _pair_out(pair))


def _pair_out(pair) -> dict:
    return {
        "id": pair.pk,
        "person_a": pair.person_a_id,
        "person_b": pair.person_b_id,
        "status": pair.status,
        "score": pair.score,
        "version": pair.version,
    }
