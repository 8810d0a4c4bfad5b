from __future__ import annotations

from django import template

from nansen.identity import selectors

register = template.Library()


@register.inclusion_tag("identity/_check_slot.html")
def identity_check(person_form):
    """The candidates panel of a person block on the registration pages. Only blocks with a
    prefix (registration, adding a member) have one; editing a person has none."""
    prefix = person_form.prefix or ""
    linked = ""
    if prefix and person_form.data:
        raw = person_form.data.get(f"{prefix}-existing_person", "")
        linked = raw if raw.isdigit() else ""
    return {"prefix": prefix, "linked": linked}


@register.simple_tag
def person_merged_into(person):
    """The record ``person``'s record was merged into, while that merge stands (the person
    page says so and links to it); None otherwise."""
    return selectors.person_merged_into(person)
