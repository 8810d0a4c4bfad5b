import os

import pytest

from tests.crash.harness import PostgresCluster


def suite_database() -> str:
    """The crash tests follow the suite: on PostgreSQL when the suite runs on PostgreSQL
    (in a cluster of their own), on SQLite otherwise."""
    url = os.environ.get("NANSEN_DATABASE_URL", "")
    return "postgres" if url.startswith("postgres") else "sqlite"


@pytest.fixture
def crash_database():
    database = suite_database()
    if database == "postgres" and not PostgresCluster.available():
        if os.environ.get("CI") == "true":
            pytest.fail("initdb (PostgreSQL 15 server binaries) is needed for the crash test")
        pytest.skip("no PostgreSQL server binaries to make a separate cluster")
    return database
