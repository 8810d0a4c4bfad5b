"""What the assessment's pages share: the page's context, and answering a write (the
changed piece for HTMX, with the new version and the status panel out of band; the page
otherwise). A save carries the version the page was loaded with: one made meanwhile by
someone else is refused and what was typed is kept."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from nansen.accounts.roles import Action
from nansen.coi.selectors import stale_after_months, stale_cutoff
from nansen.core.forms import form_submit
from nansen.eligibility import forms, selectors, transitions
from nansen.eligibility.models import Citation, Part

SEE = (Action.VIEW_CASEWORK,)


def editable_assessment(request, pk: int):
    """The assessment, for a user who may see its text and write it."""
    if not request.user.may(Action.VIEW_SENSITIVE):
        raise Http404
    return selectors.assessment_get(user=request.user, pk=pk)


def citations_by_part(assessment) -> dict[str, list[Citation]]:
    grouped: dict[str, list[Citation]] = {part: [] for part in Part.values}
    for citation in assessment.citations.all():
        grouped[citation.part].append(citation)
    return grouped


def page_context(request, assessment, *, bound: dict | None = None, notice: str = "") -> dict:
    """Everything the page (or one of its parts) shows. ``bound`` holds forms with what the
    user typed, to show again with their errors."""
    bound = bound or {}
    user = request.user
    today = timezone.localdate()
    issues = selectors.assessment_check(assessment, today=today)
    part_forms = {
        part: bound.get(part) or form_class.for_assessment(assessment)
        for part, form_class in forms.PART_FORMS.items()
    }
    part_forms[Part.NEXUS] = bound.get(Part.NEXUS) or forms.GroundsForm.nexus(assessment)
    part_forms[Part.COMPLEMENTARY] = bound.get(
        Part.COMPLEMENTARY
    ) or forms.GroundsForm.complementary(assessment)
    facts = [
        (fact, bound.get(f"fact-{fact.pk}") or forms.FactForm.for_fact(fact))
        for fact in assessment.facts.all()
    ]
    citations = citations_by_part(assessment)
    for fact, _form in facts:
        fact.cited = [c for c in citations[Part.FACTS] if c.fact_id == fact.pk]
    required = selectors.review_required(assessment)
    complete = selectors.is_complete(issues)
    review_valid = selectors.review_valid(assessment)
    can_edit = user.may(Action.ASSESS_ELIGIBILITY) and not selectors.decision_stands(
        assessment.application
    )
    if not can_edit:
        for form in [*part_forms.values(), *(form for _fact, form in facts)]:
            for field in form.fields.values():
                field.disabled = True
    return {
        "assessment": assessment,
        "application": assessment.application,
        "case": assessment.application.case,
        "person": assessment.application.person,
        "parts": Part,
        "general_form": bound.get("general") or forms.GeneralForm.for_assessment(assessment),
        "part_forms": part_forms,
        "facts": facts,
        "new_fact_form": bound.get("fact-new") or forms.FactForm.for_fact(None),
        "citations": citations,
        "stale_before": stale_cutoff(assessment.office, today),
        "stale_months": stale_after_months(assessment.office),
        "issues": issues,
        "errors": [i for i in issues if i.blocking],
        "warnings": [i for i in issues if not i.blocking],
        "complete": complete,
        "review_required": required,
        "review_valid": review_valid,
        "can_edit": can_edit,
        # An approval that stands is not sent for review again.
        "can_submit": required
        and complete
        and not review_valid
        and transitions.STEPS.allows("submit", assessment.status, user=user),
        # The form offers both outcomes, which the table allows from the same statuses.
        "review_form": bound.get("review") or forms.ReviewForm()
        if transitions.STEPS.allows("approve", assessment.status, user=user)
        and user.pk not in (assessment.submitted_by_id, assessment.updated_by_id)
        else None,
        "submit_form": bound.get("submit"),
        "notice": notice,
    }


def render_page(request, assessment, *, bound=None, status=200):
    context = page_context(request, assessment, bound=bound)
    context["similar"] = selectors.similar_claims(user=request.user, assessment=assessment)
    return render(request, "eligibility/assessment.html", context, status=status)


ANCHORS = {
    "general": "part-general",
    "part": "part-{key}",
    "fact": "fact-{key}",
    "fact_new": "part-facts",
    "fact_removed": "part-facts",
    "citations": "part-{key}",
    "status": "assessment-status",
}


def answer(
    request, assessment, *, kind: str, key=None, bound=None, notice="", status=200, extra=None
):
    """After a write: for HTMX the piece of the page that changed, with the new version and
    the status panel out of band; without JavaScript the page (redirected after a success,
    with the errors and what was typed after a refusal, a read recorded as such)."""
    whole_page = not request.htmx and status != 200
    assessment = selectors.assessment_get(
        user=request.user,
        pk=assessment.pk,
        read="assessment_view" if whole_page else "",
        request=request,
    )
    if request.htmx:
        context = page_context(request, assessment, bound=bound, notice=notice)
        # After a conflict the page keeps the version it was loaded with: saving again is
        # refused until the user reloads and sees the other changes.
        context.update(kind=kind, key=key, conflict=status == 409, **(extra or {}))
        if kind == "part":
            context["form"] = context["part_forms"][key]
        if kind == "fact":
            context["fact"], context["form"] = next(
                ((f, form) for f, form in context["facts"] if f.pk == key), (None, None)
            )
        if kind == "citations":
            context["cite_form"] = (bound or {}).get("cite")
        return render(request, "eligibility/_answer.html", context)
    if status == 200:
        if notice:
            messages.success(request, notice)
        url = reverse("eligibility:assessment", args=[assessment.application_id])
        return redirect(f"{url}#" + ANCHORS[kind].format(key=key))
    return render_page(request, assessment, bound=bound, status=status)


def run_write(request, assessment, *, kind, key=None, form, bound_key, write, notice):
    """Validate ``form`` and run ``write`` (``core.forms.form_submit``); a refusal goes onto
    the form, which keeps the input, and is answered with its status."""
    posted = form_submit(form, lambda _data: write())
    if posted.done:
        extra = {"new_fact": posted.result} if kind == "fact_new" else {}
        return answer(request, assessment, kind=kind, key=key, notice=notice, extra=extra)
    return answer(
        request, assessment, kind=kind, key=key, bound={bound_key: form}, status=posted.status
    )
