"""The crash test at a small size (the full size: python -m tests.crash.harness)."""

import pytest

from tests.crash import harness

pytestmark = pytest.mark.crash


def test_no_acknowledged_write_is_lost_or_doubled_when_the_server_is_killed(
    server_database, record_property
):
    # PostgreSQL: one server kill, then a server kill with an immediate database shutdown.
    kills = 2 if server_database == "postgres" else 3
    outcome = harness.run(
        database=server_database, kills=kills, min_writes=10 * kills, writers=6, seed=7
    )
    print(outcome.summary())
    record_property("counts", outcome.summary())
    assert outcome.rounds >= kills
    assert len(outcome.acknowledged) >= 10 * kills
    assert outcome.unexpected == []
    assert outcome.lost == [], outcome.summary()
    assert outcome.duplicated == [], outcome.summary()
    assert outcome.broken_cases == 0
    assert outcome.integrity == "ok"
    assert outcome.audit.startswith("audit chain intact")
    assert outcome.backup.startswith("ok"), outcome.backup
    if server_database == "postgres":
        assert outcome.database_crashes >= 1
