"""What a search box accepts: at most MAX_QUERY_CHARS characters and MAX_QUERY_TERMS words.

Each word of a search becomes a condition in the database's query (a ``LIKE`` per word on
persons, an ``OR`` per word in the COI full-text index); 600 words made SQLite refuse the
query ("expression tree is too large") and the page answer 500. A longer query is refused
with a message where one is typed (``SearchQueryField`` on pages, ``SearchQuery`` in the
API: 422), and the selectors keep only the first MAX_QUERY_TERMS words
(``search_terms``), so no road reaches the database with more.
"""

from __future__ import annotations

from typing import Annotated

from django import forms
from django.utils.translation import gettext as _
from pydantic import AfterValidator

MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 12


def search_query_error(value: str) -> str | None:
    """Why ``value`` is too long to search for, or None."""
    if len(value) > MAX_QUERY_CHARS:
        return _("Search for at most %(count)s characters.") % {"count": MAX_QUERY_CHARS}
    if len(value.split()) > MAX_QUERY_TERMS:
        return _("Search for at most %(count)s words.") % {"count": MAX_QUERY_TERMS}
    return None


def search_terms(value: str) -> list[str]:
    """The words of a query as the selectors use them: the first MAX_QUERY_TERMS."""
    return (value or "")[: MAX_QUERY_CHARS * 2].split()[:MAX_QUERY_TERMS]


def bounded_query(value: str) -> str:
    """``value`` cut to what may be searched for, for selectors that take the text whole."""
    return " ".join(search_terms(value))


def _schema_check(value: str) -> str:
    error = search_query_error(value or "")
    if error:
        raise ValueError(error)
    return value


# For API query parameters: ``q: SearchQuery = ""`` answers 422 past the bounds. No
# maxLength in the OpenAPI document: it invites longer query strings, which a server's
# request-line limit (gunicorn: 4,094 bytes) answers with its own page before Nansen.
SearchQuery = Annotated[str, AfterValidator(_schema_check)]


class SearchQueryField(forms.CharField):
    """A search box: its error says how long a search may be."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("maxlength", str(MAX_QUERY_CHARS))

    def validate(self, value):
        super().validate(value)
        error = search_query_error(value or "")
        if error:
            raise forms.ValidationError(error, code="too_long")
