from __future__ import annotations

from django import template

from nansen.core.states import state_label
from nansen.core.weblinks import is_web_url

register = template.Library()


@register.filter
def state_before(event) -> str:
    """The translated name of the state a history event started from."""
    return state_label(event.object_type, event.state_before)


@register.filter
def state_after(event) -> str:
    """The translated name of the state a history event ended in."""
    return state_label(event.object_type, event.state_after)


@register.filter
def percent(value) -> str:
    return "—" if value is None else f"{value:.1f} %"


@register.filter
def web_href(value) -> str:
    """The address if it may be a link (http or https), else "": ``{% with href=url|web_href %}
    {% if href %}<a href="{{ href }}">…``. A stored address is shown as a link only then."""
    return value if is_web_url(value) else ""
