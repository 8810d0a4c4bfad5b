"""The library's pages: search, sources, adding and correcting them. Sources are shared by
every office and hold no personal data, so reading them is not audited; changing them is."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from nansen.accounts.roles import Action
from nansen.coi import selectors, services
from nansen.coi.forms import SearchForm, SourceForm
from nansen.coi.models import FileType
from nansen.core.concurrency import version_from, version_seen
from nansen.core.decorators import action_required
from nansen.core.downloads import attachment_response
from nansen.core.forms import form_post

PAGE_SIZE = 25


@action_required(Action.VIEW_COI)
@require_GET
def library(request):
    """Search the library (passages ranked by relevance, matches highlighted), or list its
    sources, with filters by country, topic and date."""
    form = SearchForm(request.GET or None, topics=selectors.topics())
    filters = form.cleaned_data if form.is_valid() else {}
    query = filters.get("q", "").strip()
    scope = {
        "country": filters.get("country", ""),
        "topic": filters.get("topic", ""),
        "published_from": filters.get("published_from"),
        "published_to": filters.get("published_to"),
    }
    today = timezone.localdate()
    page_number = request.GET.get("page", "1")
    page_number = int(page_number) if page_number.isdigit() else 1
    context = {"form": form, "query": query, "today": today}
    if query:
        offset = (page_number - 1) * PAGE_SIZE
        results = selectors.search_passages(
            query=query,
            office=request.user.office,
            today=today,
            limit=PAGE_SIZE + 1,
            offset=offset,
            **scope,
        )
        context.update(
            results=results[:PAGE_SIZE],
            page_number=page_number,
            has_next=len(results) > PAGE_SIZE,
            has_previous=page_number > 1,
        )
    else:
        sources = selectors.source_list(**scope).prefetch_related("countries", "topics")
        page = Paginator(sources.order_by("-published_on", "pk"), PAGE_SIZE).get_page(page_number)
        context.update(
            page=page,
            stale_before=selectors.stale_cutoff(request.user.office, today),
        )
    template = "coi/_results.html" if request.htmx else "coi/library.html"
    return render(request, template, context)


def _form_page(request, *, form, source, perform, success):
    """The form of a source (``core.forms.form_post``): to its page once saved."""
    context = {"form": form, "source": source}
    if source is not None:
        context["version"] = version_seen(request, source)
    return form_post(
        request,
        form,
        perform=lambda _data: perform(),
        success=success,
        then=lambda saved: redirect("coi:source_detail", pk=saved.pk),
        page=lambda status: render(request, "coi/source_form.html", context, status=status),
    )


@action_required(Action.MANAGE_COI)
@require_http_methods(["GET", "POST"])
def source_add(request):
    form = SourceForm(request.POST or None, request.FILES or None, initial={"language": "eng"})
    return _form_page(
        request,
        form=form,
        source=None,
        success=_("The source was added to the library."),
        perform=lambda: services.source_add(
            actor=request.user, data=form.source_input(), upload=form.upload()
        ),
    )


@action_required(Action.MANAGE_COI)
@require_http_methods(["GET", "POST"])
def source_edit(request, pk: int):
    source = selectors.source_get(pk=pk)
    form = SourceForm.for_source(source, request.POST or None, request.FILES or None)
    return _form_page(
        request,
        form=form,
        source=source,
        success=_("The source was saved."),
        perform=lambda: services.source_update(
            actor=request.user,
            source=source,
            expected_version=version_from(request),
            data=form.source_input(),
            upload=form.upload(),
        ),
    )


@action_required(Action.VIEW_COI)
@require_GET
def source_detail(request, pk: int):
    source = selectors.source_get(pk=pk)
    today = timezone.localdate()
    return render(
        request,
        "coi/source_detail.html",
        {
            "source": source,
            "passages": source.passages.order_by("number"),
            "changes": selectors.source_changes(source),
            "stale": source.is_stale(selectors.stale_cutoff(request.user.office, today)),
            "stale_months": selectors.stale_after_months(request.user.office),
        },
    )


@action_required(Action.VIEW_COI)
@require_GET
def source_file(request, pk: int):
    """The file as uploaded, always as a download (never rendered by the browser)."""
    source = selectors.source_get(pk=pk)
    if source.file is None:
        raise Http404
    content_type = (
        "application/pdf" if source.file_type == FileType.PDF else ("application/octet-stream")
    )
    return attachment_response(
        bytes(source.file),
        filename=source.file_name or f"source-{source.pk}",
        content_type=content_type,
    )
