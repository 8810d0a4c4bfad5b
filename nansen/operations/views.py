from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from nansen import __version__
from nansen.operations.health import run_checks


@never_cache
@require_safe
def healthz(request):
    """200 when every check passes, 503 otherwise; no secrets, no personal data."""
    checks = run_checks()
    healthy = all(check.ok for check in checks)
    return JsonResponse(
        {
            "status": "ok" if healthy else "fail",
            "version": __version__,
            "checks": {c.name: {"ok": c.ok, "detail": c.detail} for c in checks},
        },
        status=200 if healthy else 503,
    )
