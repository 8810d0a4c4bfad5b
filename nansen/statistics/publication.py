"""Safe publication: what a published table shows so that it cannot single out a person.

The rules, as data (docs/statistics.md explains each and why):

1. UNHCR's small-number rule: a count from 1 to 4 is published as 5 (UNHCR Refugee Data
   Finder, methodology, on data protection; UNHCR's published applications table never holds
   a count from 1 to 4, and holds many 5s). Zero stays zero.
2. Totals and rates are computed from the published cells, never from the true counts, so a
   masked cell cannot be recovered by subtracting the others from a true total.
3. A breakdown finer than UNHCR's own tables (by sex, age group, month, quarter, office or
   procedure profile) is refused when any of its groups holds 1 to 4 persons: such a group
   is a handful of identifiable people, and its row would tell what happened to them even
   with every count shown as 5 (k-anonymity with k = 5, matching rule 1).
4. A processing time (median, 90th percentile) is published only over at least 5 decisions:
   the percentile of fewer is one person's own waiting time.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from nansen.core.permissions import NotAllowed
from nansen.statistics.dimensions import DIMENSIONS
from nansen.statistics.rates import DecisionCounts

MASK_RANGE = range(1, 5)
MASK_VALUE = 5
MIN_GROUP = 5
MIN_DECISIONS_FOR_PERCENTILES = 5


class PublicationRefused(NotAllowed):
    """The breakdown asked for would identify individuals; the message says which cell."""


def mask(count: int) -> int:
    return MASK_VALUE if count in MASK_RANGE else count


def is_masked(count: int) -> bool:
    return count in MASK_RANGE


OUTCOMES = ("recognized", "complementary", "rejected", "closed")


def published_counts(counts: DecisionCounts) -> tuple[DecisionCounts, bool]:
    """Rule 1 on each outcome: the counts as published, and whether any of them is masked.
    Their total and rates, read from the published counts, follow rule 2."""
    values = [getattr(counts, outcome) for outcome in OUTCOMES]
    return DecisionCounts(*(mask(v) for v in values)), any(is_masked(v) for v in values)


def fine_dimensions(dims) -> list[str]:
    return [d for d in dims if DIMENSIONS[d].fine]


def refuse_identifying_groups(dims, group_sizes) -> None:
    """Rule 3: raise PublicationRefused when a fine breakdown has a group of 1 to 4 persons."""
    fine = fine_dimensions(dims)
    if not fine:
        return
    small = [size for size in group_sizes if size in MASK_RANGE]
    if small:
        raise PublicationRefused(
            _(
                "This breakdown cannot be published: %(count)s of its groups hold fewer than "
                "%(minimum)s persons, who could be identified. Leave out %(dimensions)s or "
                "widen the period."
            )
            % {
                "count": len(small),
                "minimum": MIN_GROUP,
                "dimensions": ", ".join(str(DIMENSIONS[d].label).lower() for d in fine),
            }
        )
