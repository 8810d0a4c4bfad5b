import os

import pytest

from tests.crash.harness import PostgresCluster, suite_database


@pytest.fixture
def server_database():
    """For the tests that run Nansen under a real server (the crash tests, the API
    fuzzing): the suite's database, PostgreSQL in a cluster of the test's own when the
    suite runs on PostgreSQL, a SQLite file otherwise."""
    database = suite_database()
    if database == "postgres" and not PostgresCluster.available():
        if os.environ.get("CI") == "true":
            pytest.fail("initdb (PostgreSQL 15 server binaries) is needed for a cluster of its own")
        pytest.skip("no PostgreSQL server binaries to make a separate cluster")
    return database
