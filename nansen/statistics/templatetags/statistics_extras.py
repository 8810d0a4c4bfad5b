from __future__ import annotations

from django import template

from nansen.core.reference import country_name
from nansen.statistics.rates import as_percent

register = template.Library()


@register.filter
def rate(value) -> str:
    """A rate of statistics.rates (a fraction or None) in percent to one decimal, as the API
    gives it; "—" when undefined."""
    percent = as_percent(value)
    return "—" if percent is None else f"{percent:.1f} %"


@register.filter
def fraction_percent(value) -> str:
    """A rate held as a fraction (0-1), shown in percent; "—" when undefined."""
    return "—" if value is None else f"{value * 100:.1f} %"


@register.filter
def points(value) -> str:
    """A difference of two fractions in percentage points, signed."""
    return "—" if value is None else f"{value * 100:+.1f}"


@register.filter
def country(code) -> str:
    return country_name(code) if code else ""
