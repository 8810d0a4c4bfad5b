from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nansen.accounts.roles import Action
from nansen.audit.models import CaseEvent, Channel
from nansen.audit.services import read_record
from nansen.core.concurrency import version_from, version_seen
from nansen.core.decorators import action_required
from nansen.core.forms import form_post, form_submit, refusal_shown
from nansen.procedures.models import Application, Decision
from nansen.procedures.selectors import next_deadline
from nansen.registration import services
from nansen.registration.forms import (
    CaseSearchForm,
    DocumentFormSet,
    FamilyMemberForms,
    PersonForm,
    RepresentativeForm,
    SensitiveForm,
    language_datalist,
)
from nansen.registration.models import SENSITIVE_FIELDS, Case, IdentityDocument
from nansen.registration.selectors import case_get, case_list, person_get

SEE_CASES = (Action.VIEW_CASEWORK, Action.VIEW_REPRESENTED)
MAX_FAMILY_SIZE = 30


@action_required(*SEE_CASES)
def case_search(request):
    form = CaseSearchForm(request.GET)
    if form.is_valid():
        cases = case_list(
            user=request.user,
            q=form.cleaned_data["q"],
            country_of_origin=form.cleaned_data["country_of_origin"],
            birth=form.cleaned_data["birth_date"],
        )
    else:
        cases = Case.objects.none()
    page = Paginator(cases, 25).get_page(request.GET.get("page"))
    if page.object_list:
        read_record(
            user=request.user,
            channel=Channel.PAGE,
            action="case_search",
            object_type="case",
            object_ids=[c.pk for c in page.object_list],
            request=request,
        )
    template = (
        "registration/_case_results.html" if request.htmx else "registration/case_search.html"
    )
    return render(request, template, {"form": form, "page": page})


@action_required(*SEE_CASES)
def case_detail(request, pk: int):
    return case_page(request, pk)


def case_page(request, pk: int, *, bound: dict | None = None, status: int = 200):
    """The case's page. ``bound`` holds a form posted from it and refused, shown with what
    the user typed; its reason is said among the page's messages, answered with
    ``status``."""
    bound = bound or {}
    for form in bound.values():
        refusal_shown(request, form)
    case = case_get(user=request.user, pk=pk, read="case_view", request=request)
    members = list(case.members.all())  # loaded by case_get, with their persons
    applications = (
        Application.objects.filter(case=case)
        .select_related("person")
        .prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.select_related("decided_by"))
        )
        .annotate(**next_deadline())
        .order_by("person_id", "ordinal")
    )
    by_person: dict[int, list[Application]] = {}
    for application in applications:
        by_person.setdefault(application.person_id, []).append(application)
    events = CaseEvent.objects.filter(case=case).select_related("actor").order_by("-at", "-pk")
    return render(
        request,
        "registration/case_detail.html",
        {
            "case": case,
            "members": [(m, by_person.get(m.person_id, [])) for m in members],
            "events": events,
            "representatives": case.representatives.select_related("office"),
            "disclosures": case.disclosures.select_related("recorded_by")
            if request.user.may(Action.DISCLOSE) or request.user.may(Action.PROTECT_DATA)
            else None,
            "legal_hold": case.legal_holds.filter(lifted_at__isnull=True).first(),
            "representative_form": bound.get("representative_form")
            or (RepresentativeForm() if request.user.may(Action.EDIT_REGISTRATION) else None),
            "hold_reason_typed": bound["legal_hold"].data.get("reason", "")
            if "legal_hold" in bound
            else "",
        },
        status=status,
    )


@action_required(*SEE_CASES)
def person_detail(request, pk: int):
    sensitive = request.user.may(Action.VIEW_SENSITIVE)
    person = person_get(
        user=request.user,
        pk=pk,
        read="person_view_sensitive" if sensitive else "person_view",
        request=request,
    )
    memberships = person.memberships.filter(
        case__in=Case.objects.visible_to(request.user)
    ).select_related("case")
    return render(
        request,
        "registration/person_detail.html",
        {
            "person": person,
            "show_sensitive": sensitive,
            "documents": person.documents.all(),
            "memberships": memberships,
            "applications": Application.objects.visible_to(request.user)
            .filter(person=person)
            .prefetch_related("decisions"),
        },
    )


def _member_prefixes(request) -> list[str]:
    indexes = []
    for raw in request.POST.getlist("member"):
        if raw.isdigit() and 0 < int(raw) < 1000 and raw not in indexes:
            indexes.append(raw)
    return [f"m{i}" for i in indexes[:MAX_FAMILY_SIZE]]


@action_required(Action.REGISTER)
@require_http_methods(["GET", "POST"])
def case_register(request):
    data = request.POST if request.method == "POST" else None
    principal = FamilyMemberForms("p", data, principal=True)
    dependants = [
        FamilyMemberForms(prefix, data, principal=False)
        for prefix in (_member_prefixes(request) if data else [])
    ]
    status = 200
    if data is not None:
        members_valid = principal.is_valid() and all([d.is_valid() for d in dependants])
        posted = form_submit(
            principal.person,
            lambda _data: services.case_register(
                actor=request.user,
                principal=principal.person_input(),
                dependants=[d.member_input() for d in dependants],
            ),
            valid=members_valid,
        )
        if posted.done:
            messages.success(
                request, _("Case %(number)s registered.") % {"number": posted.result.number}
            )
            return redirect("registration:case_detail", pk=posted.result.pk)
        status = posted.status
    return render(
        request,
        "registration/case_register.html",
        {
            "principal": principal,
            "dependants": dependants,
            "next_index": len(dependants)
            + 1
            + max([int(d.prefix[1:]) for d in dependants], default=0),
            "language_codes": language_datalist(),
        },
        status=status,
    )


@action_required(Action.REGISTER)
def member_form(request):
    """An empty family-member block for the registration page (fetched by HTMX)."""
    raw = request.GET.get("index", "")
    if not raw.isdigit() or not 0 < int(raw) < 1000:
        raise Http404
    return render(
        request,
        "registration/_member_form.html",
        {"member": FamilyMemberForms(f"m{raw}", principal=False), "index": raw},
    )


def _document_initial(person) -> list[dict]:
    return [
        {
            "document_type": d.document_type,
            "number": d.number,
            "issuing_country": d.issuing_country,
            "expires_on": d.expires_on,
        }
        for d in person.documents.all()
    ]


@action_required(Action.EDIT_REGISTRATION)
@require_http_methods(["GET", "POST"])
def person_edit(request, pk: int):
    person = person_get(user=request.user, pk=pk, read="person_edit_form", request=request)
    status = 200
    if request.method == "POST":
        form = PersonForm(request.POST)
        documents = DocumentFormSet(request.POST, prefix="doc")

        def perform(_data):
            inputs = [f.document_input() for f in documents.forms]
            services.person_update(
                actor=request.user,
                person=person,
                expected_version=version_from(request),
                data=form.person_input([d for d in inputs if d is not None]),
            )

        posted = form_submit(form, perform, valid=all([form.is_valid(), documents.is_valid()]))
        if posted.done:
            messages.success(request, _("The personal details were saved."))
            return redirect("registration:person_detail", pk=person.pk)
        status = posted.status
    else:
        form = PersonForm(person=person)
        documents = DocumentFormSet(prefix="doc", initial=_document_initial(person))
    return render(
        request,
        "registration/person_edit.html",
        {
            "person": person,
            "form": form,
            "documents": documents,
            "version": version_seen(request, person),
            "language_codes": language_datalist(),
            "document_types": IdentityDocument.Type.choices,
        },
        status=status,
    )


@action_required(Action.REGISTER)
@require_http_methods(["GET", "POST"])
def case_member_add(request, pk: int):
    case = case_get(user=request.user, pk=pk, read="case_member_add_form", request=request)
    status = 200
    member = FamilyMemberForms("m", request.POST or None, principal=False)
    if request.method == "POST":
        posted = form_submit(
            member.person,
            lambda _data: services.case_member_add(
                actor=request.user,
                case=case,
                expected_version=version_from(request),
                member=member.member_input(),
            ),
            valid=member.is_valid(),
        )
        if posted.done:
            messages.success(request, _("The family member was added."))
            return redirect("registration:case_detail", pk=case.pk)
        status = posted.status
    return render(
        request,
        "registration/case_member_add.html",
        {
            "case": case,
            "member": member,
            "version": version_seen(request, case),
            "language_codes": language_datalist(),
            "family_given_names": [
                given
                for given in case.members.values_list("person__given_name", flat=True)
                if given
            ],
        },
        status=status,
    )


@action_required(Action.EDIT_REGISTRATION)
@require_POST
def case_representative_add(request, pk: int):
    case = case_get(user=request.user, pk=pk)
    form = RepresentativeForm(request.POST)
    return form_post(
        request,
        form,
        perform=lambda data: services.case_representative_add(
            actor=request.user, case=case, representative=data["representative"]
        ),
        success=_("The legal representative was added."),
        then=lambda _result: redirect("registration:case_detail", pk=case.pk),
        page=lambda status: case_page(
            request, case.pk, bound={"representative_form": form}, status=status
        ),
    )


@action_required(Action.EDIT_REGISTRATION)
@require_POST
def case_representative_remove(request, pk: int, user_pk: int):
    case = case_get(user=request.user, pk=pk)
    representative = get_object_or_404(case.representatives.all(), pk=user_pk)
    services.case_representative_remove(
        actor=request.user, case=case, representative=representative
    )
    messages.success(request, _("The legal representative was removed."))
    return redirect("registration:case_detail", pk=case.pk)


@action_required(Action.VIEW_SENSITIVE)
@action_required(Action.EDIT_REGISTRATION)
@require_http_methods(["GET", "POST"])
def person_sensitive_edit(request, pk: int):
    # The form shows the decrypted ethnicity, religion, medical notes and reasons for flight.
    person = person_get(user=request.user, pk=pk, read="person_sensitive_form", request=request)
    if request.method == "POST":
        form = SensitiveForm(request.POST)
    else:
        form = SensitiveForm(initial={name: getattr(person, name) for name in SENSITIVE_FIELDS})

    def page(status):
        return render(
            request,
            "registration/person_sensitive.html",
            {"person": person, "form": form, "version": version_seen(request, person)},
            status=status,
        )

    return form_post(
        request,
        form,
        perform=lambda _data: services.person_sensitive_update(
            actor=request.user,
            person=person,
            expected_version=version_from(request),
            data=form.sensitive_input(),
        ),
        success=_("The sensitive data was saved."),
        then=lambda _result: redirect("registration:person_detail", pk=person.pk),
        page=page,
    )
