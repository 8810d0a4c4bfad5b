from __future__ import annotations

import json

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nansen.accounts.reauth import reauthentication_required
from nansen.accounts.roles import Action
from nansen.core.decorators import action_required
from nansen.core.downloads import content_disposition
from nansen.core.forms import Form, form_post, refusal_shown
from nansen.core.permissions import NotAllowed
from nansen.protection import services
from nansen.protection.forms import (
    AnonymiseForm,
    DisclosureForm,
    ExportRecipientForm,
    GuardExceptionForm,
    LegalHoldForm,
)
from nansen.protection.models import GuardException, LegalHold
from nansen.protection.selectors import guard_exception_list, person_dossier, retention_due
from nansen.registration.guard import Recipient
from nansen.registration.selectors import case_get, person_get
from nansen.registration.views import case_page


@action_required(Action.DISCLOSE)
@require_http_methods(["GET", "POST"])
def disclosure_new(request, pk: int):
    case = case_get(user=request.user, pk=pk, read="disclosure_form", request=request)
    members = list(case.members.all())  # loaded by case_get, with their persons
    form = DisclosureForm(request.POST or None, members=members)

    def perform(data):
        services.disclosure_record(
            actor=request.user,
            case=case,
            persons=form.chosen_persons(),
            recipient=data["recipient"],
            recipient_kind=data["recipient_kind"],
            recipient_country=data["recipient_country"],
            acts_for_country=data["acts_for_country"],
            legal_basis=data["legal_basis"],
            shared=data["shared"],
        )

    def page(status):
        return render(
            request, "protection/disclosure_form.html", {"case": case, "form": form}, status=status
        )

    return form_post(
        request,
        form,
        perform=perform,
        success=_("The disclosure was recorded."),
        then=lambda _result: redirect("registration:case_detail", pk=case.pk),
        page=page,
    )


@action_required(Action.PROTECT_DATA)
@require_POST
def legal_hold_place(request, pk: int):
    case = case_get(user=request.user, pk=pk)
    form = LegalHoldForm(request.POST)

    def perform(_data):
        # The reason is written out in the case's page: its absence is said.
        if not form.is_valid():
            raise NotAllowed(_("Say why the case is held."))
        services.legal_hold_place(actor=request.user, case=case, reason=form.cleaned_data["reason"])

    typed = Form(request.POST)
    return form_post(
        request,
        typed,
        perform=perform,
        success=_("The case is under a legal hold."),
        then=lambda _result: redirect("registration:case_detail", pk=case.pk),
        page=lambda status: case_page(request, case.pk, bound={"legal_hold": typed}, status=status),
    )


@action_required(Action.PROTECT_DATA)
@require_POST
def legal_hold_lift(request, pk: int, hold_pk: int):
    case = case_get(user=request.user, pk=pk)
    hold = get_object_or_404(LegalHold.objects.active(), pk=hold_pk, case=case)
    services.legal_hold_lift(actor=request.user, hold=hold)
    messages.success(request, _("The legal hold was lifted."))
    return redirect("registration:case_detail", pk=case.pk)


@action_required(Action.PROTECT_DATA)
@reauthentication_required
def person_export(request, pk: int, form: str = "html"):
    """Everything Nansen holds on the person, for the person: printable or JSON."""
    person = person_get(user=request.user, pk=pk)
    to = ExportRecipientForm(request.GET or None)
    if to.is_bound and not to.is_valid():
        messages.error(request, _("Give the recipient's country."))
        return redirect("registration:person_detail", pk=person.pk)
    data = to.cleaned_data if to.is_bound else {}
    recipient = Recipient(
        name=data.get("recipient", ""),
        kind=data.get("recipient_kind", ""),
        country=data.get("recipient_country", ""),
        acts_for=data.get("acts_for_country", ""),
    )
    try:
        services.person_export_record(
            actor=request.user, person=person, form=form, recipient=recipient
        )
    except NotAllowed as exc:
        messages.error(request, str(exc))
        return redirect("registration:person_detail", pk=person.pk)
    dossier = person_dossier(person=person)
    if form == "json":
        response = HttpResponse(
            json.dumps(dossier, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = content_disposition(f"nansen-person-{person.pk}.json")
        return response
    return render(
        request,
        "protection/person_export.html",
        {"person": person, "d": dossier, "to": ExportRecipientForm(), "recipient": recipient},
    )


@action_required(Action.PROTECT_DATA)
@require_http_methods(["GET", "POST"])
@reauthentication_required
def person_anonymise(request, pk: int):
    person = person_get(user=request.user, pk=pk, read="person_anonymise_form", request=request)
    form = AnonymiseForm(request.POST or None)

    def page(status):
        return render(
            request,
            "protection/person_anonymise.html",
            {"person": person, "form": form},
            status=status,
        )

    return form_post(
        request,
        form,
        perform=lambda data: services.person_anonymise(
            actor=request.user, person=person, reason=data["reason"]
        ),
        success=_("The person's identifying data was erased."),
        then=lambda _result: redirect("registration:person_detail", pk=person.pk),
        page=page,
    )


@action_required(Action.PROTECT_DATA)
def retention_review(request):
    due = retention_due(office_id=request.user.office_id)
    return render(request, "protection/retention.html", {"due": due})


# Those who send something out on a road may record a consent; supervisors approve.
SENDERS = services.SENDING_ACTIONS


@action_required(*SENDERS, Action.APPROVE_GUARD_EXCEPTION)
@require_http_methods(["GET", "POST"])
def guard_exceptions(request, pk: int):
    """A case's exceptions to the country-of-origin guard: the consents recorded, their
    approvals, and the form to record a new consent."""
    case = case_get(user=request.user, pk=pk, read="guard_exception_list", request=request)
    members = list(case.members.all())  # loaded by case_get, with their persons
    may_request = any(request.user.may(action) for action in SENDERS)
    if request.method == "POST" and not may_request:
        raise Http404
    form = GuardExceptionForm(request.POST or None, members=members)

    def perform(data):
        services.guard_exception_request(
            actor=request.user,
            case=case,
            country=data["country"],
            road=data["road"],
            recipient=data["recipient"],
            purpose=data["purpose"],
            consenting_persons=form.chosen_persons(),
            consent_wording=data["consent_wording"],
            consent_reference=data["consent_reference"],
            consent_given_on=data["consent_given_on"],
        )

    return form_post(
        request,
        form,
        perform=perform,
        success=_("The consent was recorded; another supervisor must approve it."),
        then=lambda _result: redirect("protection:guard_exceptions", pk=case.pk),
        page=lambda status: _guard_exceptions_page(
            request, case, form if may_request else None, status=status
        ),
    )


def _guard_exceptions_page(request, case, form, *, status=200):
    exceptions = guard_exception_list(case=case)
    return render(
        request,
        "protection/guard_exceptions.html",
        {"case": case, "form": form, "exceptions": exceptions},
        status=status,
    )


@action_required(Action.APPROVE_GUARD_EXCEPTION)
@require_POST
def guard_exception_approve(request, pk: int, exception_pk: int):
    """Approve an exception from its case's page; refused, that page again with why."""
    case = case_get(user=request.user, pk=pk)
    exception = get_object_or_404(GuardException, pk=exception_pk, case=case)
    posted = Form(request.POST)

    def page(status):
        refusal_shown(request, posted)
        shown = case_get(user=request.user, pk=pk, read="guard_exception_list", request=request)
        members = list(shown.members.all())
        may_request = any(request.user.may(action) for action in SENDERS)
        form = GuardExceptionForm(members=members) if may_request else None
        return _guard_exceptions_page(request, shown, form, status=status)

    return form_post(
        request,
        posted,
        perform=lambda _data: services.guard_exception_approve(
            actor=request.user, exception=exception
        ),
        success=_("The exception was approved, for one sending."),
        then=lambda _result: redirect("protection:guard_exceptions", pk=case.pk),
        page=page,
    )
