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
from nansen.core.concurrency import ConcurrentEditError, version_from, version_seen
from nansen.core.decorators import action_required
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
        context["linked"] = person_get(user=request.user, pk=linked_id)
        read_record(
            user=request.user,
            request=request,
            action="identity_check_link",
            object_type="person",
            object_ids=[linked_id],
            person_ids=[linked_id],
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
    person = person_get(user=request.user, pk=person_pk)
    found = announcement_get(user=request.user, person=person, uid=announcement)
    form = AccessRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why access is needed."))
    else:
        try:
            services.record_access_request(
                actor=request.user, announcement=found, reason=form.cleaned_data["reason"]
            )
        except NotAllowed as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Your request was sent to the other office."))
    return redirect("person_detail", pk=person.pk)


@action_required(Action.REQUEST_RECORD_ACCESS)
@require_http_methods(["GET", "POST"])
def access_requests(request):
    incoming = AccessRequest.objects.filter(to_office=request.user.office).select_related(
        "from_office", "requested_by"
    )
    if request.method == "POST":
        answered = get_object_or_404(incoming, pk=request.POST.get("request", 0) or 0)
        try:
            services.record_access_answer(
                actor=request.user, request=answered, grant=request.POST.get("grant") == "1"
            )
        except NotAllowed as exc:
            messages.error(request, str(exc))
        return redirect("identity_access_requests")
    outgoing = AccessRequest.objects.filter(from_office=request.user.office).select_related(
        "to_office", "requested_by"
    )
    return render(
        request,
        "identity/access_requests.html",
        {"incoming": incoming[:100], "outgoing": outgoing[:100], "open": AccessStatus.OPEN},
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
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.pair_decide(
                    actor=request.user,
                    pair=pair,
                    expected_version=version_from(request),
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                )
            except ConcurrentEditError as exc:
                form.add_error(None, str(exc))
                status = 409
            except NotAllowed as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The decision was recorded."))
                return redirect("identity_pair", pk=pair.pk)
    read_record(
        user=request.user,
        request=request,
        action="identity_pair_view",
        object_type="candidatepair",
        object_ids=[pair.pk],
        person_ids=[pair.person_a_id, pair.person_b_id],
    )
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
            "form": form,
            "version": version_seen(request, pair),
            "merge_form": MergeForm(pair=pair)
            if pair.status == PairStatus.SAME and request.user.may(Action.MERGE_PERSONS)
            else None,
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
    if not form.is_valid():
        messages.error(request, _("Choose the record to keep."))
        return redirect("identity_pair", pk=pair.pk)
    survivor = (
        pair.person_a if form.cleaned_data["survivor"] == str(pair.person_a_id) else pair.person_b
    )
    try:
        services.persons_merge(
            actor=request.user,
            pair=pair,
            survivor=survivor,
            expected_version=version_from(request),
        )
    except (NotAllowed, ConcurrentEditError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The records were merged. The merge can be undone."))
    return redirect("identity_pair", pk=pair.pk)


@action_required(Action.MERGE_PERSONS)
@require_POST
def merge_undo(request, pk: int):
    visible = Person.objects.visible_to(request.user)
    merge = get_object_or_404(
        MergeRecord.objects.filter(survivor__in=visible, absorbed__in=visible), pk=pk
    )
    try:
        services.merge_undo(actor=request.user, merge=merge)
    except NotAllowed as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The merge was undone."))
    if merge.pair_id:
        return redirect("identity_pair", pk=merge.pair_id)
    return redirect("person_detail", pk=merge.survivor_id)
