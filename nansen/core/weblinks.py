"""Web addresses that Nansen stores and shows as links: http and https only.

A COI source's address or a pledge's link is shown to every office as a link; a
``javascript:`` or ``data:`` address there runs in the reader's session. So one check,
``web_url_error``, decides for the form field (``WebURLField``), the API schemas
(``WebUrl``), the services (``web_url_clean``) and the model fields (``validate_web_url``);
and a template shows a stored address as a link only when it passes (the ``web_href``
filter), whatever road it came by.

Browsers strip tabs and newlines anywhere in a URL and leading control characters and
spaces before reading the scheme (``java\\tscript:`` runs), so any control or format
character refuses the address instead of being trimmed.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import AfterValidator

from nansen.core.permissions import NotAllowed

SCHEMES = ("http", "https")
MAX_URL_CHARS = 1000
_URL = URLValidator(schemes=list(SCHEMES))


def web_url_error(value: str) -> str | None:
    """Why ``value`` is not an http(s) address to link to, or None when it is."""
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in value):
        return _("The address contains control characters.")
    if value != value.strip() or " " in value:
        return _("The address contains spaces.")
    if len(value) > MAX_URL_CHARS:
        return _("The address is longer than %(count)s characters.") % {"count": MAX_URL_CHARS}
    scheme = value.split(":", 1)[0].lower() if ":" in value else ""
    if scheme not in SCHEMES:
        return _("This is not a web address: only http:// and https:// addresses are accepted.")
    try:
        _URL(value)
    except ValidationError:
        return _("This is not a web address that can be opened.")
    return None


def is_web_url(value) -> bool:
    return isinstance(value, str) and bool(value) and web_url_error(value) is None


def web_url_clean(value: str) -> str:
    """For services: ``value`` as stored (empty stays empty), or ``NotAllowed``."""
    if not value:
        return ""
    error = web_url_error(value)
    if error:
        raise NotAllowed(error)
    return value


def validate_web_url(value: str) -> None:
    """For model fields (``validators=[validate_web_url]``)."""
    if value:
        error = web_url_error(value)
        if error:
            raise ValidationError(error, code="invalid")


def _schema_check(value: str) -> str:
    if value:
        error = web_url_error(value)
        if error:
            raise ValueError(error)
    return value


# For API schemas: ``url: WebUrl = ""`` refuses anything else with 422.
WebUrl = Annotated[str, AfterValidator(_schema_check)]


class WebURLField(forms.URLField):
    """A form field for an http(s) address; a missing scheme is taken as https."""

    default_error_messages = {"invalid": gettext_lazy("Enter a valid web address.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        kwargs.setdefault("max_length", MAX_URL_CHARS)
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        validate_web_url(value)
