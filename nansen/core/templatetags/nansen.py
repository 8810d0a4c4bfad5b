from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from nansen.procedures.models import Stage

register = template.Library()

_STATE_LABELS = {"registered": _("Registered"), **dict(Stage.choices)}


@register.filter
def state_label(state: str) -> str:
    """The translated name of a state recorded in the case history."""
    if not state:
        return "—"
    return str(_STATE_LABELS.get(state, state))


@register.filter
def percent(value) -> str:
    return "—" if value is None else f"{value:.1f} %"
