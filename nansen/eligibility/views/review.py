"""Four eyes, the reasons drafted for the decision, and the office's rules."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nansen.accounts.roles import Action
from nansen.coi.selectors import stale_after_months
from nansen.coi.services import coi_settings_set
from nansen.core.concurrency import version_from, version_seen
from nansen.core.decorators import action_required
from nansen.core.forms import form_post
from nansen.eligibility import forms, selectors, services
from nansen.eligibility.views._common import (
    SEE,
    editable_assessment,
    run_write,
)
from nansen.procedures.selectors import application_get


@action_required(Action.ASSESS_ELIGIBILITY)
@require_POST
def submit(request, pk: int):
    assessment = editable_assessment(request, pk)
    form = forms.SubmitForm(request.POST)
    return run_write(
        request,
        assessment,
        kind="status",
        form=form,
        bound_key="submit",
        notice=_("The assessment was sent to a supervisor for review."),
        write=lambda: services.assessment_submit(
            actor=request.user,
            assessment=assessment,
            expected_version=version_from(request),
        ),
    )


@action_required(Action.REVIEW_ASSESSMENT)
@require_POST
def review(request, pk: int):
    assessment = editable_assessment(request, pk)
    form = forms.ReviewForm(request.POST)
    return run_write(
        request,
        assessment,
        kind="status",
        form=form,
        bound_key="review",
        notice=_("Your review was recorded."),
        write=lambda: services.assessment_review(
            actor=request.user,
            assessment=assessment,
            expected_version=version_from(request),
            **form.cleaned_data,
        ),
    )


@action_required(*SEE)
@action_required(Action.VIEW_SENSITIVE)
@require_GET
def reasons_draft(request, pk: int):
    """The reasons of the decision drafted from the assessment, to copy into the decision
    (where the decision form does not already carry them) and edit before signing."""
    application = application_get(user=request.user, pk=pk)
    assessment = selectors.assessment_for(
        application, read="assessment_reasons_view", user=request.user, request=request
    )
    if assessment is None:
        raise Http404
    return render(
        request,
        "eligibility/reasons_draft.html",
        {
            "application": application,
            "case": application.case,
            "person": application.person,
            "assessment": assessment,
            "draft": selectors.decision_reasons_draft(application=application),
            "blocked": selectors.conclusion_blocks_decision(
                application=application, assessment=assessment
            ),
        },
    )


@action_required(Action.SET_ASSESSMENT_POLICY)
@require_http_methods(["GET", "POST"])
def policy(request):
    office = request.user.office
    current = selectors.policy_for(office)
    initial = {
        "review_required": current.review_required,
        "review_profiles": current.review_profiles,
        "review_conclusions": current.review_conclusions,
        "stale_after_months": stale_after_months(office),
    }
    form = forms.PolicyForm(request.POST or None, initial=initial)

    def perform(data):
        services.eligibility_policy_set(
            actor=request.user,
            office=office,
            expected_version=version_from(request),
            review_required=data["review_required"],
            review_profiles=data["review_profiles"],
            review_conclusions=data["review_conclusions"],
        )
        coi_settings_set(
            actor=request.user,
            office=office,
            stale_after_months=data["stale_after_months"],
            expected_version=None,
        )

    return form_post(
        request,
        form,
        perform=perform,
        success=_("The office's rules for assessments were saved."),
        then=lambda _result: redirect("eligibility:policy"),
        page=lambda status: render(
            request,
            "eligibility/policy.html",
            {"form": form, "office": office, "version": version_seen(request, current)},
            status=status,
        ),
    )
