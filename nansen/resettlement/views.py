from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nansen.accounts.roles import Action
from nansen.audit.models import Channel
from nansen.audit.services import audit_record, read_record
from nansen.core.concurrency import version_from, version_seen
from nansen.core.decorators import action_required
from nansen.core.forms import form_post, form_submit
from nansen.core.permissions import NotAllowed
from nansen.registration.models import Case
from nansen.registration.selectors import case_get
from nansen.resettlement import exports, services
from nansen.resettlement.charts import progress_bars
from nansen.resettlement.forms import (
    CaseLookupForm,
    PledgeForm,
    PledgeReviseForm,
    ReferralEditForm,
    ReferralFilterForm,
    ReferralForm,
    StepForm,
)
from nansen.resettlement.models import Pledge, ProgrammeType
from nansen.resettlement.rules import profile_display
from nansen.resettlement.selectors import (
    current_status,
    fulfilment_by_pledge,
    fulfilment_over_time,
    pledge_get,
    pledge_revisions,
    pledge_summaries,
    referral_get,
    referral_list,
    revision_changes,
    unhcr_context,
    waiting_longest,
)
from nansen.resettlement.transitions import EDITABLE_STATUSES, STEPS

SEE_CASES = (Action.VIEW_CASEWORK, Action.VIEW_REPRESENTED)


def _sees_cases(user) -> bool:
    return any(user.may(action) for action in SEE_CASES)


def _listing_read(request, action: str, referrals, *, case=None) -> None:
    """A listing of referrals shown: one read of them all (a single referral's read is
    recorded by ``referral_get``)."""
    read_record(
        user=request.user,
        request=request,
        action=action,
        object_type="referral",
        object_ids=[r.pk for r in referrals],
        case_id=case.pk if case is not None else None,
    )


def _chart_label(pledge: Pledge) -> str:
    return f"{pledge.receiving_country} {pledge.announced_on.year}"


# --- pledges and fulfilment ----------------------------------------------------------------


@action_required(Action.VIEW_PLEDGES)
def dashboard(request):
    summaries = pledge_summaries()
    waiting = waiting_longest(user=request.user) if _sees_cases(request.user) else []
    _listing_read(request, "referral_waiting", [w.referral for _s, ws in waiting for w in ws])
    return render(
        request,
        "resettlement/dashboard.html",
        {
            "summaries": summaries,
            "chart": progress_bars([(_chart_label(p), f) for p, f in summaries]),
            "waiting": waiting,
        },
    )


@action_required(Action.VIEW_PLEDGES)
def pledge_detail(request, pk: int):
    pledge = pledge_get(pk=pk)
    periods = fulfilment_over_time(pledge=pledge)
    context, context_rows = unhcr_context(pledge=pledge)
    referrals, waiting = [], []
    if _sees_cases(request.user):
        referrals = list(referral_list(user=request.user, pledge=pledge)[:50])
        waiting = waiting_longest(user=request.user, pledge=pledge, limit=5)
        shown = {r.pk: r for r in referrals} | {
            w.referral.pk: w.referral for _s, ws in waiting for w in ws
        }
        _listing_read(request, "referral_list", list(shown.values()))
    return render(
        request,
        "resettlement/pledge_detail.html",
        {
            "pledge": pledge,
            "fulfilment": fulfilment_by_pledge([pledge])[pledge.pk],
            "periods": periods,
            "chart": progress_bars([(p.label, p.fulfilment) for p in periods]),
            "context": context,
            "context_rows": context_rows,
            "revisions": revision_changes(pledge_revisions(pledge=pledge)),
            "referrals": referrals,
            "waiting": waiting,
        },
    )


@action_required(Action.MANAGE_PLEDGES)
@require_http_methods(["GET", "POST"])
def pledge_new(request):
    form = PledgeForm(request.POST or None)
    return form_post(
        request,
        form,
        perform=lambda _data: services.pledge_record(actor=request.user, data=form.to_input()),
        success=_("The pledge was recorded."),
        then=lambda pledge: redirect("resettlement:pledge_detail", pk=pledge.pk),
        page=lambda status: render(
            request, "resettlement/pledge_form.html", {"form": form}, status=status
        ),
    )


@action_required(Action.MANAGE_PLEDGES)
@require_http_methods(["GET", "POST"])
def pledge_revise(request, pk: int):
    pledge = pledge_get(pk=pk)
    form = PledgeReviseForm.for_pledge(pledge, request.POST or None)
    return form_post(
        request,
        form,
        perform=lambda data: services.pledge_revise(
            actor=request.user,
            pledge=pledge,
            expected_version=version_from(request),
            data=form.to_input(),
            reason=data["reason"],
        ),
        success=_("The pledge was revised; the earlier terms are kept."),
        then=lambda _result: redirect("resettlement:pledge_detail", pk=pledge.pk),
        page=lambda status: render(
            request,
            "resettlement/pledge_form.html",
            {"form": form, "pledge": pledge, "version": version_seen(request, pledge)},
            status=status,
        ),
    )


def _check_format(fmt: str) -> None:
    if fmt not in exports.FORMATS:
        raise Http404


@action_required(Action.VIEW_PLEDGES)
def fulfilment_export(request, fmt: str):
    _check_format(fmt)
    audit_record(
        user=request.user, action="fulfilment_export", channel=Channel.EXPORT, request=request
    )
    return exports.render(
        fmt,
        name="fulfilment",
        columns=exports.fulfilment_columns(),
        rows=exports.fulfilment_rows(pledge_summaries()),
    )


@action_required(Action.VIEW_PLEDGES)
def pledge_fulfilment_export(request, pk: int, fmt: str):
    _check_format(fmt)
    pledge = pledge_get(pk=pk)
    audit_record(
        user=request.user,
        action="fulfilment_export",
        channel=Channel.EXPORT,
        request=request,
        object_type="pledge",
        object_id=pledge.pk,
    )
    return exports.render(
        fmt,
        name=f"pledge-{pledge.pk}",
        columns=exports.period_columns(),
        rows=exports.period_rows(fulfilment_over_time(pledge=pledge)),
    )


# --- referrals -------------------------------------------------------------------------------


def _filtered_referrals(request):
    form = ReferralFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    referrals = referral_list(
        user=request.user, pledge=filters.get("pledge"), status=filters.get("status", "")
    )
    return form, referrals


@action_required(*SEE_CASES)
def referral_index(request):
    form, referrals = _filtered_referrals(request)
    page = Paginator(referrals, 25).get_page(request.GET.get("page"))
    _listing_read(request, "referral_list", page.object_list)
    return render(
        request,
        "resettlement/referral_list.html",
        {"form": form, "page": page, "query": request.GET.urlencode()},
    )


@action_required(*SEE_CASES)
def referrals_export(request, fmt: str):
    _check_format(fmt)
    _form, referrals = _filtered_referrals(request)
    referrals = referrals.order_by("pk")
    try:
        exports.referral_export_check(actor=request.user, referrals=referrals)
    except NotAllowed as exc:
        messages.error(request, str(exc))
        return redirect("resettlement:referral_list")
    read_record(
        user=request.user,
        request=request,
        channel=Channel.EXPORT,
        action="referral_export",
        object_type="referral",
        object_ids=list(referrals.values_list("pk", flat=True)),
    )
    return exports.render(
        fmt,
        name="referrals",
        columns=exports.referral_columns(),
        rows=exports.referral_rows(referrals),
    )


@action_required(Action.REFER_RESETTLEMENT)
def refer_start(request):
    """Find the case to refer by its number (among the cases the user may see)."""
    form = CaseLookupForm(request.GET or None)
    if form.is_valid():
        case = (
            Case.objects.visible_to(request.user)
            .filter(number__iexact=form.cleaned_data["number"].strip())
            .first()
        )
        if case is not None:
            url = reverse("resettlement:referral_new", args=[case.pk])
            pledge = request.GET.get("pledge", "")
            return redirect(f"{url}?pledge={pledge}" if pledge.isdigit() else url)
        form.add_error("number", _("No case with this number among those you may see."))
    return render(request, "resettlement/refer_start.html", {"form": form})


def _programme_from(data) -> str:
    raw = data.get("pledge", "")
    if raw.isdigit():
        pledge = Pledge.objects.filter(pk=int(raw)).only("programme_type").first()
        if pledge is not None:
            return pledge.programme_type
    programme = data.get("programme_type", "")
    return programme if programme in ProgrammeType.values else ""


@action_required(Action.REFER_RESETTLEMENT)
@require_http_methods(["GET", "POST"])
def referral_new(request, case_pk: int):
    case = case_get(user=request.user, pk=case_pk, read="referral_new_form", request=request)
    members = list(case.members.all())  # loaded by case_get, with their persons
    source = request.POST if request.method == "POST" else request.GET
    form = ReferralForm(
        request.POST or None,
        members=members,
        programme_type=_programme_from(source),
        initial={"pledge": source.get("pledge") or None},
    )
    if request.method == "GET" and request.htmx:
        return render(request, "resettlement/_profile_fields.html", {"form": form})

    def perform(data):
        return services.referral_identify(
            actor=request.user,
            case=case,
            persons=form.chosen_persons(),
            identified_on=data["identified_on"],
            pledge=data["pledge"],
            programme_type=data["programme_type"],
            receiving_country=data["receiving_country"],
            categories=data["categories"],
            priority=data["priority"],
            profile=form.profile(),
            notes=data["notes"],
        )

    def page(status):
        return render(
            request, "resettlement/referral_form.html", {"case": case, "form": form}, status=status
        )

    return form_post(
        request,
        form,
        perform=perform,
        success=_("The referral was recorded."),
        then=lambda referral: redirect("resettlement:referral_detail", pk=referral.pk),
        page=page,
    )


@action_required(*SEE_CASES)
def case_referrals(request, case_pk: int):
    # The page shows the case and its members, and its referrals if it has any.
    case = case_get(user=request.user, pk=case_pk, read="case_referrals_view", request=request)
    referrals = list(referral_list(user=request.user, case=case).order_by("-pk"))
    _listing_read(request, "referral_list", referrals, case=case)
    return render(
        request,
        "resettlement/case_referrals.html",
        {
            "case": case,
            "referrals": referrals,
            "may_refer": request.user.may(Action.REFER_RESETTLEMENT)
            and not any(r.is_open for r in referrals),
        },
    )


def _status_context(request, referral, *, forms=None, notice="") -> dict:
    steps = STEPS.available(referral.status, user=request.user)
    forms = forms or {}
    members = [m.person for m in referral.members.all()]
    statuses = current_status(person_ids=[p.pk for p in members])
    return {
        "referral": referral,
        "step_forms": [forms.get(s.name) or StepForm(step=s) for s in steps],
        "members": [(p, statuses.get(p.pk)) for p in members],
        "eligibility": services.eligibility_refusal(referral)
        if referral.status in EDITABLE_STATUSES
        else "",
        "notice": notice,
    }


@action_required(*SEE_CASES)
def referral_detail(request, pk: int):
    referral = referral_get(user=request.user, pk=pk, read="referral_view", request=request)
    return render(
        request,
        "resettlement/referral_detail.html",
        {
            **_status_context(request, referral),
            "profile": profile_display(referral.programme_type, referral.profile),
            "may_edit": referral.status in EDITABLE_STATUSES
            and request.user.may(Action.REFER_RESETTLEMENT),
        },
    )


@action_required(Action.REFER_RESETTLEMENT, Action.SUBMIT_RESETTLEMENT)
@require_POST
def referral_step(request, pk: int, step: str):
    """Take one step (submit, accept, reject, depart, arrive, withdraw). With HTMX the status
    panel is answered in place; without, the page is reloaded."""
    referral = referral_get(user=request.user, pk=pk)
    # Who may take the step is the step table's to say, before the form is read.
    if step not in STEPS or not request.user.may(STEPS[step].action):
        raise Http404
    form = StepForm(request.POST, step=STEPS[step])
    posted = form_submit(
        form,
        lambda data: services.referral_move(
            actor=request.user,
            referral=referral,
            expected_version=version_from(request),
            step=step,
            on=data["on"],
            reason=data.get("reason", ""),
            reason_details=data.get("reason_details", ""),
        ),
    )
    if posted.done:
        notice = _("The referral is now “%(status)s”.") % {
            "status": posted.result.get_status_display()
        }
        if request.htmx:
            referral = referral_get(user=request.user, pk=pk)
            return render(
                request,
                "resettlement/_referral_status.html",
                _status_context(request, referral, notice=notice),
            )
        messages.success(request, notice)
        return redirect("resettlement:referral_detail", pk=pk)
    if not request.htmx:  # the whole page again, with the step's form as typed
        referral = referral_get(user=request.user, pk=pk, read="referral_view", request=request)
    context = _status_context(request, referral, forms={step: form})
    if request.htmx:
        # HTMX swaps only successful answers: the panel with the error is one.
        return render(request, "resettlement/_referral_status.html", context)
    return render(
        request,
        "resettlement/referral_detail.html",
        {**context, "profile": profile_display(referral.programme_type, referral.profile)},
        status=posted.status,
    )


@action_required(Action.REFER_RESETTLEMENT)
@require_http_methods(["GET", "POST"])
def referral_edit(request, pk: int):
    referral = referral_get(user=request.user, pk=pk, read="referral_edit_form", request=request)
    form = ReferralEditForm.for_referral(referral, request.POST or None)

    def page(status):
        return render(
            request,
            "resettlement/referral_edit.html",
            {"referral": referral, "form": form, "version": version_seen(request, referral)},
            status=status,
        )

    return form_post(
        request,
        form,
        perform=lambda data: services.referral_update(
            actor=request.user,
            referral=referral,
            expected_version=version_from(request),
            categories=data["categories"],
            priority=data["priority"],
            profile=form.profile(),
            notes=data["notes"],
        ),
        success=_("The referral was updated."),
        then=lambda _result: redirect("resettlement:referral_detail", pk=referral.pk),
        page=page,
    )
