"""The one way past the country-of-origin guard (``nansen.registration.guard``): an exception
recorded with the informed consent of the members concerned and approved by a supervisor
other than who recorded it (UNHCR Policy on the Protection of Personal Data of Persons of
Concern, 2015, para. 6.1.2 and 7.2). The protection app gives it to the guard from its
AppConfig.ready()."""

from __future__ import annotations

from nansen.protection.models import GuardException


def guard_exception_use(*, case, country: str, road: str, now) -> GuardException | None:
    """Use up the oldest approved exception still usable at ``now`` that lets ``road`` send
    data about ``case`` toward ``country``, and return it; None when there is none."""
    exception = (
        GuardException.objects.usable(now=now)
        .filter(case=case, country=country, road__in=["", road])
        .select_for_update()
        .order_by("approved_at", "pk")
        .first()
    )
    if exception is not None:
        exception.use(road=road, at=now)
    return exception
