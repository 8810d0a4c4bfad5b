from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from nansen import __version__
from nansen.operations.health import may_see_details, run_checks


@never_cache
@require_safe
def healthz(request):
    """200 when every check passes, 503 otherwise. The checks, and the version, only for this
    machine or an authenticated monitor (health.may_see_details); the status for anyone."""
    checks = run_checks()
    healthy = all(check.ok for check in checks)
    body: dict = {"status": "ok" if healthy else "error"}
    if may_see_details(request):
        body["version"] = __version__
        body["checks"] = {c.name: {"ok": c.ok, "detail": c.detail} for c in checks}
    return JsonResponse(body, status=200 if healthy else 503)
