"""Nansen's form base, and the one way a page posts a change: the form validated, the
service run, a refusal answered with its status and put on the form, which keeps what the
user typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from django import forms
from django.contrib import messages
from django.forms.renderers import DjangoTemplates
from django.http import HttpResponse

from nansen.core.concurrency import ConcurrentEditError
from nansen.core.permissions import NotAllowed


class Form(forms.Form):
    """Nansen's form base: labels without a trailing colon (it reads oddly in Japanese and
    Arabic, and screen readers announce it)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class FormRenderer(DjangoTemplates):
    """Each field in its own wrapper, so layouts can place label, help, error and input
    together."""

    field_template_name = "core/field.html"


def refusal_status(exc: BaseException) -> int | None:
    """The status a page answers a service's refusal with, as the API does: 409 when someone
    else saved the record first, 400 when a rule refuses (``NotAllowed``, which includes a
    form sent without its version); None for anything else, which is not a refusal."""
    if isinstance(exc, ConcurrentEditError):
        return 409
    if isinstance(exc, NotAllowed):
        return 400
    return None


class Posted(NamedTuple):
    """What became of a posted form: ``status`` 200 and the service's ``result`` when the
    change was made; otherwise 400 (invalid, or refused by a rule) or 409 (someone else
    saved first), with the reason on the form."""

    status: int
    result: Any = None

    @property
    def done(self) -> bool:
        return self.status == 200


def form_submit(form, perform: Callable[[dict], Any], *, valid: bool | None = None) -> Posted:
    """Validate ``form`` and run ``perform(form.cleaned_data)``. A refusal is put on the
    form as an error of the whole form, so the page shows it above what the user typed.
    ``valid`` is given when the page validated itself (a formset, the members of a family,
    a member linked to an existing record, whose own fields are not asked for): nothing is
    run unless it is true."""
    if not (form.is_valid() if valid is None else valid):
        return Posted(400)
    try:
        return Posted(200, perform(getattr(form, "cleaned_data", {})))
    except (ConcurrentEditError, NotAllowed) as exc:
        form.add_error(None, str(exc))
        return Posted(refusal_status(exc) or 400)


def form_post(
    request,
    form,
    *,
    perform: Callable[[dict], Any],
    page: Callable[[int], HttpResponse],
    then: Callable[[Any], HttpResponse],
    success: str = "",
) -> HttpResponse:
    """A page's form. Shown by ``page(200)`` until posted; posted, ``form_submit`` runs it:
    when the change is made, ``success`` is said and ``then(result)`` answers (a redirect,
    or for HTMX the changed fragment); when refused, ``page(status)`` shows the page (for
    HTMX its fragment) again with the bound form, the reason above what was typed."""
    if request.method != "POST":
        return page(200)
    posted = form_submit(form, perform)
    if not posted.done:
        return page(posted.status)
    if success:
        messages.success(request, success)
    return then(posted.result)


def refusal_shown(request, form) -> None:
    """Say a refused form's reason in the page's messages: for a form inline on a record's
    page, which shows its fields' errors beside them but has no place for the reason."""
    for error in form.non_field_errors():
        messages.error(request, error)
