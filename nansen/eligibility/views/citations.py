"""Citing country information in a part of the assessment."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from nansen.accounts.roles import Action
from nansen.coi.models import Passage, Source
from nansen.coi.selectors import search_passages
from nansen.core.concurrency import version_from
from nansen.core.decorators import action_required
from nansen.core.permissions import NotAllowed
from nansen.eligibility import forms, selectors, services
from nansen.eligibility.models import Citation, Part
from nansen.eligibility.views._common import (
    editable_assessment,
    run_write,
)


@action_required(Action.ASSESS_ELIGIBILITY)
@require_POST
def citation_add(request, pk: int):
    assessment = editable_assessment(request, pk)
    form = forms.CiteForm(request.POST)
    section = request.POST.get("part") if request.POST.get("part") in Part.values else Part.FACTS

    def write():
        data = form.cleaned_data
        source = get_object_or_404(Source, pk=data["source"])
        passage = None
        if data.get("passage"):
            passage = get_object_or_404(Passage, pk=data["passage"], source=source)
        fact = None
        if data.get("fact"):
            fact = assessment.facts.filter(number=data["fact"]).first()
            if fact is None:
                raise NotAllowed(_("There is no fact no. %(n)s.") % {"n": data["fact"]})
        services.citation_add(
            actor=request.user,
            assessment=assessment,
            expected_version=version_from(request),
            part=data["part"],
            source=source,
            passage=passage,
            fact=fact,
            page=data["page"],
            paragraph=data["paragraph"],
            quote=data["quote"],
        )

    return run_write(
        request,
        assessment,
        kind="citations",
        key=section,
        form=form,
        bound_key="cite",
        write=write,
        notice=_("The source was cited."),
    )


@action_required(Action.ASSESS_ELIGIBILITY)
@require_POST
def citation_remove(request, pk: int):
    if not request.user.may(Action.VIEW_SENSITIVE):
        raise Http404
    citation = get_object_or_404(
        Citation.objects.filter(
            assessment__in=selectors.assessment_queryset().visible_to(request.user)
        ),
        pk=pk,
    )
    assessment = selectors.assessment_get(user=request.user, pk=citation.assessment_id)
    form = forms.SubmitForm(request.POST)
    return run_write(
        request,
        assessment,
        kind="citations",
        key=citation.part,
        form=form,
        bound_key="uncite",
        notice=_("The citation was removed."),
        write=lambda: services.citation_remove(
            actor=request.user,
            citation=citation,
            expected_version=version_from(request),
        ),
    )


@action_required(Action.ASSESS_ELIGIBILITY)
@require_GET
def cite_search(request, pk: int):
    """Country information to cite in one part: the passages that answer the query."""
    assessment = editable_assessment(request, pk)
    part = request.GET.get("part", "")
    if part not in Part.values:
        raise Http404
    query = request.GET.get("q", "").strip()[:300]
    person = assessment.application.person
    country = request.GET.get("country", person.country_of_origin)
    results = (
        search_passages(
            query=query,
            office=assessment.office,
            today=timezone.localdate(),
            country=country if country != "any" else "",
            limit=10,
        )
        if query
        else []
    )
    return render(
        request,
        "eligibility/_cite_results.html",
        {"assessment": assessment, "part": part, "query": query, "results": results},
    )
