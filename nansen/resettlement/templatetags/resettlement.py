from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from nansen.procedures.models import Outcome
from nansen.resettlement.selectors import PENDING

register = template.Library()


@register.filter
def outcome_label(code: str | None) -> str:
    """A current status in words: a decision's outcome, or that none is decided yet."""
    if code is None:
        return _("did not apply (dependant)")
    if code == PENDING:
        return _("no decision yet")
    return str(Outcome(code).label) if code in Outcome.values else code
