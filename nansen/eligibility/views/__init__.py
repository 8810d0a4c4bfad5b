"""The assessment's pages, by resource."""

from nansen.eligibility.views.citations import citation_add, citation_remove, cite_search
from nansen.eligibility.views.parts import (
    assessment_page,
    fact_add,
    fact_remove,
    fact_save,
    general_save,
    part_save,
)
from nansen.eligibility.views.review import policy, reasons_draft, review, submit

__all__ = [
    "assessment_page",
    "citation_add",
    "citation_remove",
    "cite_search",
    "fact_add",
    "fact_remove",
    "fact_save",
    "general_save",
    "part_save",
    "policy",
    "reasons_draft",
    "review",
    "submit",
]
