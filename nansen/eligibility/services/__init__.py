"""Writing an assessment, part by part: each write one transaction that starts with the
permission check, claims the assessment's version (concurrent edits are refused, never
overwritten) and writes the case history.

A change after a supervisor's approval voids it (the assessment is a draft again), and an
assessment is closed once a first-instance decision stands on its application.
"""

from nansen.eligibility.services.assessment import (
    PART_FIELDS,
    GroundInput,
    assessment_complementary_save,
    assessment_general_save,
    assessment_nexus_save,
    assessment_part_save,
    assessment_start,
)
from nansen.eligibility.services.facts import (
    FactInput,
    citation_add,
    citation_remove,
    fact_add,
    fact_remove,
    fact_update,
)
from nansen.eligibility.services.review import (
    assessment_review,
    assessment_submit,
    eligibility_policy_set,
)

__all__ = [
    "PART_FIELDS",
    "FactInput",
    "GroundInput",
    "assessment_complementary_save",
    "assessment_general_save",
    "assessment_nexus_save",
    "assessment_part_save",
    "assessment_review",
    "assessment_start",
    "assessment_submit",
    "citation_add",
    "citation_remove",
    "eligibility_policy_set",
    "fact_add",
    "fact_remove",
    "fact_update",
]
