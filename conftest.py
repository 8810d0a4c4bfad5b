import pytest
from django.conf import settings
from django.utils import translation

from nansen.testing import VerifiedClient, draft_assessment_then_check, make_personas


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A page request activates its language for the thread; start every test in English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def assessments_drafted(monkeypatch):
    """For tests about other things than the eligibility assessment that record decisions
    on claims directly: just before the decision check runs (the check itself still runs),
    a complete, consistent assessment concluding the same outcome is drafted through the
    eligibility services when the application has none concluding it."""
    from nansen.procedures.hooks import decision_hooks

    monkeypatch.setattr(decision_hooks, "blocked", draft_assessment_then_check)


@pytest.fixture(autouse=True)
def _audit_log_flushable(request):
    """A transactional test ends with a flush, which the audit log's delete triggers refuse
    on SQLite: the log is emptied first, its triggers lifted for that moment only."""
    names = request.fixturenames
    if "transactional_db" not in names and "live_server" not in names:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    from nansen.audit.testing import audit_log_emptied

    audit_log_emptied()


@pytest.fixture
def client():
    """pytest-django's client, whose force_login also passes the second factor."""
    return VerifiedClient()


@pytest.fixture
def personas(db):
    return make_personas()


def pytest_terminal_summary(terminalreporter):
    """The counts the reliability tests record (crash test, concurrent edits, restore
    drill), printed at the end of the run, also under xdist."""
    lines = [
        value
        for report in terminalreporter.stats.get("passed", [])
        for name, value in getattr(report, "user_properties", [])
        if name == "counts"
    ]
    if lines:
        terminalreporter.section("reliability counts")
        for line in lines:
            terminalreporter.write_line(line)
