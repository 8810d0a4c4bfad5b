from __future__ import annotations

from nansen.audit.models import Channel
from nansen.audit.services import audit_record


class RefusalAuditMiddleware:
    """Record every refusal a signed-in user meets (404 for what they may not see, 403, 405):
    probing for records one may not see leaves a trace."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if response.status_code in (403, 404, 405) and user is not None and user.is_authenticated:
            audit_record(
                user=user,
                action="refused",
                channel=Channel.PAGE,
                request=request,
                details={
                    "method": request.method,
                    "path": request.path[:300],
                    "status": response.status_code,
                },
            )
        return response
