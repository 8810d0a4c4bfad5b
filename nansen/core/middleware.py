from __future__ import annotations

from urllib.parse import unquote

from django.http import HttpResponseBadRequest, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from nansen.core.forms import refusal_status


class PersonalDataCacheMiddleware:
    """Pages for a signed-in user may show personal data: no browser or proxy keeps them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/static/"):
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, " + response["Cache-Control"]
        return response


# No inline script anywhere, no plug-ins, no foreign origins. Only the Django admin and the
# interactive API docs, which set style attributes, get inline styles.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'{styles}; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
_INLINE_STYLE_PATHS = ("/admin/", "/api/docs")


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set: the Content-Security-Policy and
    limits on what the browser may do on Nansen's behalf."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        styles = " 'unsafe-inline'" if request.path.startswith(_INLINE_STYLE_PATHS) else ""
        response.headers.setdefault(
            "Content-Security-Policy", CONTENT_SECURITY_POLICY.format(styles=styles)
        )
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        return response


class PageMethodsMiddleware:
    """Pages answer GET, HEAD and POST only; any other method is 405 (OWASP ASVS 5.0
    13.4.4). A view without a method decorator would otherwise read PUT, TRACE or PROPFIND
    as a GET and answer with the page. The API's operations declare their own methods."""

    PAGE_METHODS = ("GET", "HEAD", "POST")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in self.PAGE_METHODS and not request.path.startswith("/api/"):
            return HttpResponseNotAllowed(self.PAGE_METHODS)
        return self.get_response(request)


class NulCharacterMiddleware:
    """Refuse a request whose address, query, form or JSON body carries a NUL character
    (U+0000) with 400, before any view reads it. No name, code or search holds one, and
    PostgreSQL cannot store or even compare text that does (a search for it failed with a
    server error; found by fuzzing the API on PostgreSQL). Uploaded files are not looked
    at: their bytes are the importers' to read."""

    TEXT_BODIES = ("application/json", "application/x-www-form-urlencoded")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._carries_nul(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "The request contains a NUL character."}, status=400)
            return HttpResponseBadRequest(
                _("The request contains a character that is not allowed (NUL)."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)

    def _carries_nul(self, request) -> bool:
        if "\x00" in request.path or "\x00" in unquote(request.META.get("QUERY_STRING", "")):
            return True
        if request.content_type in self.TEXT_BODIES:
            body = request.body
            return b"\x00" in body or b"\\u0000" in body or b"%00" in body
        return False


class RefusalPageMiddleware:
    """A service's refusal that no form took (a button without fields, a page that cannot be
    shown as asked) is answered as the API answers it: 409 when someone else saved first,
    400 when a rule refuses, with the reason. For HTMX the reason alone, shown among the
    page's messages, so what the user typed stays where it is. Forms take their refusals
    themselves (``core.forms.form_submit``) and show them above what was typed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        status = refusal_status(exception)
        if status is None or request.path.startswith("/api/"):
            return None
        context = {"message": str(exception), "status": status}
        if getattr(request, "htmx", False):
            response = render(request, "core/_refused.html", context, status=status)
            response["HX-Retarget"] = "#messages"
            response["HX-Reswap"] = "innerHTML"
            return response
        back = request.headers.get("referer", "")
        if back and url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            context["back"] = back
        return render(request, "core/refused.html", context, status=status)
