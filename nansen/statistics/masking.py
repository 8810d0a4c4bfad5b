"""Small numbers are masked for everyone, statisticians included, unless a supervisor lifts
the masking for a named purpose, and that is recorded.

Internal tables follow the rules of safe publication (statistics.publication): a count of
1 to 4 persons is shown as 5, totals and rates come from the shown counts, a fine breakdown
with a group of fewer than 5 persons is refused, and processing times need 5 decisions. A
supervisor who needs the true figures (a submission to UNHCR, a quality review) asks for
them with the purpose; ``statistics_unmask`` checks the role and the purpose and writes the
audit chain, and the figures are unmasked for that supervisor, that request only.

``statistics_masked`` is the one place that decides whether the office's figures are shown
masked: every page, API operation, export, chart and command asks it, and passes its answer
to the selectors as ``published``.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from nansen.accounts.roles import Action
from nansen.audit.models import Channel
from nansen.audit.services import audit_record
from nansen.core.permissions import NotAllowed, require

MIN_PURPOSE_CHARS = 10
# A purpose travels in the query string of a GET: 200 characters keep the request line
# within what a server such as gunicorn accepts (4,094 bytes), whatever the script.
MAX_PURPOSE_CHARS = 200


def statistics_unmask(
    *,
    actor,
    purpose: str,
    view: str,
    channel: Channel,
    request=None,
    details: dict | None = None,
) -> None:
    """Record that ``actor`` sees ``view`` unmasked for ``purpose``; refuse anyone but a
    supervisor (404, as for anything a user may not do) and a missing or vague purpose."""
    require(actor, Action.UNMASK_STATISTICS)
    purpose = " ".join((purpose or "").split())
    if len(purpose) < MIN_PURPOSE_CHARS:
        raise NotAllowed(
            _(
                "Small numbers are shown only for a named purpose: say what the true figures "
                "are for (at least %(count)s characters)."
            )
            % {"count": MIN_PURPOSE_CHARS}
        )
    if len(purpose) > MAX_PURPOSE_CHARS:
        raise NotAllowed(
            _("Name the purpose in at most %(count)s characters.") % {"count": MAX_PURPOSE_CHARS}
        )
    audit_record(
        user=actor,
        action="statistics_unmasked",
        channel=channel,
        request=request,
        object_type="statistics",
        details={"view": view, "purpose": purpose, **(details or {})},
    )


def statistics_masked(
    *,
    user,
    view: str,
    channel: Channel,
    unmask: bool = False,
    purpose: str = "",
    request=None,
    details: dict | None = None,
) -> bool:
    """Whether ``view`` shows the office's figures masked (the selectors' ``published``):
    always, unless unmasking is asked for and granted.

    On a page, in the API or an export, ``statistics_unmask`` grants it (a supervisor, a
    named purpose, recorded). On the command line (Channel.COMMAND) it is granted as asked:
    the commands run on the server, by its operator, who can read the database itself, and
    give the true figures unless told to give the published ones (``--published``)."""
    if not unmask:
        return True
    if channel == Channel.COMMAND:
        return False
    statistics_unmask(
        actor=user,
        purpose=purpose,
        view=view,
        channel=channel,
        request=request,
        details=details,
    )
    return False
