from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nansen.accounts.roles import Action
from nansen.audit.services import read_record
from nansen.core.concurrency import version_from, version_seen
from nansen.core.decorators import action_required
from nansen.core.forms import Form, form_post, refusal_shown
from nansen.core.permissions import NotAllowed
from nansen.identity import registered_together, services
from nansen.identity.forms import (
    AccessRequestForm,
    CheckDocumentForm,
    CheckForm,
    DecisionForm,
    MergeForm,
)
from nansen.identity.identity_check import (
    CheckLimitReached,
    case_repeat_check,
    identity_check_run,
)
from nansen.identity.models import AccessRequest, AccessStatus, MergeRecord, PairStatus
from nansen.identity.scoring import COMPARISONS
from nansen.identity.selectors import announcement_get, pair_get, review_queue
from nansen.procedures.models import Application
from nansen.registration.models import Person
from nansen.registration.selectors import case_get, person_get

_PREFIX_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
MAX_FAMILY_TYPED = 30  # as many members as the registration page takes


def _prefix(request) -> str:
    prefix = request.GET.get("prefix", "")
    if not prefix or len(prefix) > 8 or not set(prefix) <= _PREFIX_CHARS:
        raise Http404
    return prefix


def _family_typed(request, prefix: str) -> list[str]:
    """The given names typed in the page's other person blocks (the family registered
    together), sent along by the check's ``hx-include``."""
    names = []
    for key, value in request.GET.items():
        block, _sep, field = key.partition("-")
        if field == "given_name" and block != prefix and value.strip():
            names.append(value.strip()[:200])
    return names[:MAX_FAMILY_TYPED]


@action_required(Action.REGISTER)
@require_GET
def identity_check(request):
    """The candidates panel of one person block on the registration page (HTMX fragment)."""
    prefix = _prefix(request)
    form = CheckForm(request.GET, prefix=prefix)
    form.is_valid()
    link = request.GET.get("link", "")
    linked_id = None if "unlink" in request.GET else form.cleaned_data.get("existing_person")
    if link.isdigit():
        linked_id = int(link)
    context = {"prefix": prefix, "linked": None, "shown": [], "announced": [], "refused": ""}
    if linked_id:
        context["linked"] = person_get(
            user=request.user, pk=linked_id, read="identity_check_link", request=request
        )
    elif form.has_name():
        documents = CheckDocumentForm(request.GET, prefix=f"{prefix}-doc").documents()
        try:
            result = identity_check_run(
                actor=request.user,
                record=form.record(documents, _family_typed(request, prefix)),
                request=request,
            )
        except CheckLimitReached as exc:
            context["refused"] = str(exc)
        else:
            context.update(shown=result.shown, announced=result.announced)
    return render(request, "identity/_check.html", context)


@action_required(Action.LODGE_APPLICATION, Action.REVIEW_IDENTITY)
@require_GET
def repeat_check(request, pk: int):
    """Earlier applications of the members of a case, in this office and others (HTMX)."""
    case = case_get(user=request.user, pk=pk)
    found = case_repeat_check(actor=request.user, case=case, request=request)
    return render(
        request,
        "identity/_repeat_check.html",
        {
            "case": case,
            "findings": found.findings,
            "refused": found.refused,
            "may_request": request.user.may(Action.REQUEST_RECORD_ACCESS),
            "access_form": AccessRequestForm(),
        },
    )


@action_required(Action.REQUEST_RECORD_ACCESS)
@require_POST
def access_request_new(request, person_pk: int, announcement: uuid.UUID):
    """Ask the office that holds a record announced to it for access. The form sits in a
    check's answer inside another page; a refusal is answered with its reason (400)."""
    person = person_get(user=request.user, pk=person_pk)
    found = announcement_get(user=request.user, person=person, uid=announcement)
    form = AccessRequestForm(request.POST)
    if not form.is_valid():
        raise NotAllowed(_("Say why access is needed."))
    services.record_access_request(
        actor=request.user, announcement=found, reason=form.cleaned_data["reason"]
    )
    messages.success(request, _("Your request was sent to the other office."))
    return redirect("registration:person_detail", pk=person.pk)


@action_required(Action.REQUEST_RECORD_ACCESS)
@require_http_methods(["GET", "POST"])
def access_requests(request):
    incoming = AccessRequest.objects.filter(to_office=request.user.office).select_related(
        "from_office", "requested_by"
    )
    posted = Form(request.POST or None)

    def answer(_data):
        answered = get_object_or_404(incoming, pk=request.POST.get("request", 0) or 0)
        services.record_access_answer(
            actor=request.user, request=answered, grant=request.POST.get("grant") == "1"
        )

    def page(status):
        refusal_shown(request, posted)
        outgoing = AccessRequest.objects.filter(from_office=request.user.office).select_related(
            "to_office", "requested_by"
        )
        return render(
            request,
            "identity/access_requests.html",
            {"incoming": incoming[:100], "outgoing": outgoing[:100], "open": AccessStatus.OPEN},
            status=status,
        )

    return form_post(
        request,
        posted,
        perform=answer,
        then=lambda _result: redirect("identity:identity_access_requests"),
        page=page,
    )


@action_required(Action.REVIEW_IDENTITY)
@require_GET
def queue(request):
    status = request.GET.get("status", PairStatus.OPEN)
    if status not in PairStatus.values:
        raise Http404
    page = Paginator(review_queue(user=request.user, status=status), 25).get_page(
        request.GET.get("page")
    )
    ids = [pid for p in page.object_list for pid in (p.person_a_id, p.person_b_id)]
    read_record(
        user=request.user,
        request=request,
        action="identity_queue",
        object_type="person",
        object_ids=ids,
        person_ids=ids,
    )
    return render(
        request,
        "identity/queue.html",
        {"page": page, "status": status, "statuses": PairStatus.choices},
    )


def _evidence_rows(pair) -> list[dict]:
    rows = []
    for comparison in COMPARISONS:
        item = pair.evidence.get(comparison.key) or {}
        level = next((lv for lv in comparison.levels if lv.key == item.get("level")), None)
        weight = item.get("weight", 0)
        rows.append(
            {
                "label": comparison.label,
                "level": level.label if level else _("not known for both"),
                "weight": weight,
                "agrees": None if level is None or abs(weight) < 0.5 else weight > 0,
            }
        )
    item = pair.evidence.get(registered_together.KEY)
    if item and item.get("level") in registered_together.LEVELS:
        # the batch run's second look: the people registered with each record
        weight = item.get("weight", 0)
        rows.append(
            {
                "label": registered_together.LABEL,
                "level": registered_together.LEVELS[item["level"]],
                "weight": weight,
                "agrees": None if abs(weight) < 0.5 else weight > 0,
            }
        )
    return rows


@action_required(Action.REVIEW_IDENTITY)
@require_http_methods(["GET", "POST"])
def pair_detail(request, pk: int):
    pair = pair_get(user=request.user, pk=pk)
    form = DecisionForm(request.POST or None)
    return form_post(
        request,
        form,
        perform=lambda data: services.pair_decide(
            actor=request.user,
            pair=pair,
            expected_version=version_from(request),
            status=data["status"],
            note=data["note"],
        ),
        success=_("The decision was recorded."),
        then=lambda _result: redirect("identity:identity_pair", pk=pair.pk),
        page=lambda status: _pair_page(request, pair.pk, form=form, status=status),
    )


def _pair_page(request, pk: int, *, form=None, merge_form=None, status=200):
    """The pair's page, with the decision ``form`` or the ``merge_form`` as posted when one
    was refused (the reason of a refused merge is said among the page's messages)."""
    pair = pair_get(user=request.user, pk=pk, read="identity_pair_view", request=request)
    if merge_form is not None:
        refusal_shown(request, merge_form)
    persons = [pair.person_a, pair.person_b]
    return render(
        request,
        "identity/pair_detail.html",
        {
            "pair": pair,
            "persons": [
                (p, Application.objects.visible_to(request.user).filter(person=p)) for p in persons
            ],
            "evidence": _evidence_rows(pair),
            "form": form or DecisionForm(),
            "version": version_seen(request, pair) if form is not None else pair.version,
            "merge_form": merge_form
            or (
                MergeForm(pair=pair)
                if pair.status == PairStatus.SAME and request.user.may(Action.MERGE_PERSONS)
                else None
            ),
            "merges": MergeRecord.objects.filter(pair=pair).select_related(
                "merged_by", "unmerged_by"
            ),
            "decisions": pair.decisions.select_related("actor"),
        },
        status=status,
    )


@action_required(Action.MERGE_PERSONS)
@require_POST
def pair_merge(request, pk: int):
    pair = pair_get(user=request.user, pk=pk)
    form = MergeForm(request.POST, pair=pair)

    def perform(data):
        survivor = pair.person_a if data["survivor"] == str(pair.person_a_id) else pair.person_b
        services.persons_merge(
            actor=request.user,
            pair=pair,
            survivor=survivor,
            expected_version=version_from(request),
        )

    return form_post(
        request,
        form,
        perform=perform,
        success=_("The records were merged. The merge can be undone."),
        then=lambda _result: redirect("identity:identity_pair", pk=pair.pk),
        page=lambda status: _pair_page(request, pair.pk, merge_form=form, status=status),
    )


@action_required(Action.MERGE_PERSONS)
@require_POST
def merge_undo(request, pk: int):
    """Undo a merge; a refusal is answered with its reason (400)."""
    visible = Person.objects.visible_to(request.user)
    merge = get_object_or_404(
        MergeRecord.objects.filter(survivor__in=visible, absorbed__in=visible), pk=pk
    )
    services.merge_undo(actor=request.user, merge=merge)
    messages.success(request, _("The merge was undone."))
    if merge.pair_id:
        return redirect("identity:identity_pair", pk=merge.pair_id)
    return redirect("registration:person_detail", pk=merge.survivor_id)
