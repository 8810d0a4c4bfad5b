from __future__ import annotations

from django.http import JsonResponse
from django.views.defaults import page_not_found


def not_found(request, exception=None):
    """404: JSON under /api/ (what an API client reads), Django's page everywhere else."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)
