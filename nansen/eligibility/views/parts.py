"""The assessment page: started, then saved part by part, with its material facts."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nansen.accounts.roles import Action
from nansen.core.concurrency import version_from
from nansen.core.decorators import action_required
from nansen.core.forms import form_post
from nansen.eligibility import forms, selectors, services
from nansen.eligibility.models import MaterialFact, Part
from nansen.eligibility.views._common import (
    SEE,
    editable_assessment,
    render_page,
    run_write,
)
from nansen.procedures.selectors import application_get


@action_required(*SEE)
@require_http_methods(["GET", "POST"])
def assessment_page(request, pk: int):
    """The assessment of application ``pk``; POST starts it."""
    application = application_get(user=request.user, pk=pk)
    sensitive = request.user.may(Action.VIEW_SENSITIVE)
    assessment = selectors.assessment_for(
        application,
        read="assessment_view" if sensitive else "assessment_summary_view",
        user=request.user,
        request=request,
    )
    if assessment is None:
        form = forms.StartForm(request.POST or None)

        def page(status):
            # Before it is started the page shows the application: that read is recorded.
            application_get(user=request.user, pk=pk, read="assessment_start_form", request=request)
            return render(
                request,
                "eligibility/assessment_start.html",
                {
                    "application": application,
                    "case": application.case,
                    "person": application.person,
                    "form": form,
                    "sensitive": sensitive,
                },
                status=status,
            )

        if not sensitive:  # the page says who may start it
            return page(200)
        return form_post(
            request,
            form,
            perform=lambda data: services.assessment_start(
                actor=request.user, application=application, **data
            ),
            success=_("The assessment was started."),
            then=lambda _result: redirect("eligibility:assessment", pk=application.pk),
            page=page,
        )
    if not sensitive:
        return render(
            request,
            "eligibility/assessment_summary.html",
            {
                "assessment": assessment,
                "application": application,
                "case": application.case,
                "person": application.person,
            },
        )
    return render_page(request, assessment)


@action_required(Action.ASSESS_ELIGIBILITY)
@require_POST
def general_save(request, pk: int):
    assessment = editable_assessment(request, pk)
    form = forms.GeneralForm(request.POST, prefix="general")
    return run_write(
        request,
        assessment,
        kind="general",
        form=form,
        bound_key="general",
        notice=_("Saved."),
        write=lambda: services.assessment_general_save(
            actor=request.user,
            assessment=assessment,
            expected_version=version_from(request),
            **form.cleaned_data,
        ),
    )


@action_required(Action.ASSESS_ELIGIBILITY)
@require_POST
def part_save(request, pk: int, part: str):
    assessment = editable_assessment(request, pk)
    if part in (Part.NEXUS, Part.COMPLEMENTARY):
        builder = forms.GroundsForm.nexus if part == Part.NEXUS else forms.GroundsForm.complementary
        form = builder(assessment, request.POST)
        save = (
            services.assessment_nexus_save
            if part == Part.NEXUS
            else services.assessment_complementary_save
        )

        def write():
            save(
                actor=request.user,
                assessment=assessment,
                expected_version=version_from(request),
                grounds=form.inputs(),
            )
    elif part in forms.PART_FORMS:
        form = forms.PART_FORMS[part].for_assessment(assessment, request.POST)

        def write():
            services.assessment_part_save(
                actor=request.user,
                assessment=assessment,
                expected_version=version_from(request),
                part=part,
                values=form.values(),
            )
    else:
        raise Http404
    return run_write(
        request,
        assessment,
        kind="part",
        key=part,
        form=form,
        bound_key=part,
        write=write,
        notice=_("Saved: %(part)s.") % {"part": Part(part).label},
    )


def _fact(request, pk: int) -> MaterialFact:
    if not request.user.may(Action.VIEW_SENSITIVE):
        raise Http404
    fact = get_object_or_404(
        MaterialFact.objects.filter(
            assessment__in=selectors.assessment_queryset().visible_to(request.user)
        ),
        pk=pk,
    )
    return fact


@action_required(Action.ASSESS_ELIGIBILITY)
@require_POST
def fact_add(request, pk: int):
    assessment = editable_assessment(request, pk)
    form = forms.FactForm.for_fact(None, request.POST)
    return run_write(
        request,
        assessment,
        kind="fact_new",
        form=form,
        bound_key="fact-new",
        notice=_("The fact was added."),
        write=lambda: services.fact_add(
            actor=request.user,
            assessment=assessment,
            expected_version=version_from(request),
            data=form.input(),
        ),
    )


@action_required(Action.ASSESS_ELIGIBILITY)
@require_POST
def fact_save(request, pk: int):
    fact = _fact(request, pk)
    assessment = selectors.assessment_get(user=request.user, pk=fact.assessment_id)
    form = forms.FactForm.for_fact(fact, request.POST)
    return run_write(
        request,
        assessment,
        kind="fact",
        key=fact.pk,
        form=form,
        bound_key=f"fact-{fact.pk}",
        notice=_("The fact was saved."),
        write=lambda: services.fact_update(
            actor=request.user,
            fact=fact,
            expected_version=version_from(request),
            data=form.input(),
        ),
    )


@action_required(Action.ASSESS_ELIGIBILITY)
@require_POST
def fact_remove(request, pk: int):
    fact = _fact(request, pk)
    assessment = selectors.assessment_get(user=request.user, pk=fact.assessment_id)
    form = forms.SubmitForm(request.POST)
    return run_write(
        request,
        assessment,
        kind="fact_removed",
        form=form,
        bound_key="fact-remove",
        notice=_("The fact was removed."),
        write=lambda: services.fact_remove(
            actor=request.user,
            fact=fact,
            expected_version=version_from(request),
        ),
    )
