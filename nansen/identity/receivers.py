"""How identity follows registration: the receivers ``IdentityConfig.ready()`` connects."""

from __future__ import annotations

from nansen.identity.candidate_index import identity_index_person


def persons_index(sender, *, persons, **kwargs) -> None:
    """Index each person registration saved (``registration.signals.persons_saved``),
    inside the registering transaction: the registration check finds them at once."""
    for person in persons:
        identity_index_person(person)
