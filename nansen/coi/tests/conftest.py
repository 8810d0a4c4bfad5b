from datetime import date

import pytest

from nansen.coi.services import SourceInput, source_add

ANSWER = (
    "Men who evaded military service and are returned to Syria are arrested at the airport, "
    "interrogated by the security services and forcibly conscripted; evaders are punished "
    "as opponents of the government."
)
MENTION = "The military checkpoint on the road to the airport was moved in 2023."
OTHER = "Women heading households face obstacles in obtaining civil documentation."


def add(actor, text: str, **overrides):
    values = {
        "title": "Syria: country focus",
        "publisher": "European Union Agency for Asylum (EUAA)",
        "published_on": date(2025, 3, 1),
        "countries": ["SYR"],
        "topics": ["military service"],
        "text": text,
    }
    values.update(overrides)
    return source_add(actor=actor, data=SourceInput(**values))


@pytest.fixture
def library(personas):
    """Three sources: one answers questions on draft evaders, one merely mentions the
    military and the airport, one is about something else (and another country too)."""
    officer = personas.officer
    return {
        "mention": add(officer, MENTION, title="Road security", topics=["security"]),
        "answer": add(
            officer,
            ANSWER,
            title="Treatment of returnees",
            topics=["military service", "treatment of returnees"],
        ),
        "other": add(
            officer,
            OTHER,
            title="Women",
            countries=["SYR", "IRQ"],
            topics=["women"],
            published_on=date(2021, 5, 1),
        ),
    }
