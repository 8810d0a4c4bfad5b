"""The address of the client behind a request: the one rule for the audit log and for the
sign-in lockout (django-axes calls it through AXES_CLIENT_IP_CALLABLE).

With no trusted proxy (NANSEN_TRUSTED_PROXIES=0, the default) it is REMOTE_ADDR, and
X-Forwarded-For is ignored: the client writes that header and can put any address in it.
Behind N proxies, each appends the address it received the request from, so the client is
the N-th entry from the right; whatever lies further left came from the client and is not
believed.
"""

from __future__ import annotations

import ipaddress
import logging

from django.conf import settings

logger = logging.getLogger(__name__)


def client_address(request) -> str | None:
    if request is None:
        return None
    remote_addr = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXIES
    if not proxies:
        return remote_addr
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if len(forwarded) < proxies:
        # Fewer hops than proxies: not every proxy wrote to the header, so none of it can
        # be trusted. The nearest peer is the best address there is.
        return remote_addr
    try:
        return str(ipaddress.ip_address(forwarded[-proxies]))
    except ValueError:
        # No value in the message: an address is personal data, and logs carry none.
        logger.warning("X-Forwarded-For entry from a trusted proxy is not an IP address")
        return remote_addr
