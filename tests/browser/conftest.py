"""Browser tests: Playwright driving an installed Chromium (Debian's ``chromium`` package).

Without a browser they are skipped with a message, except under CI (CI=true), where a missing
browser is a failure.
"""

import os
import shutil
import threading

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

from nansen.testing import make_personas

# Playwright's synchronous API runs an event loop in the test thread; the ORM calls the tests
# make around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("NANSEN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


class _OneRequestAtATime(ThreadedWSGIServer):
    """The live server, answering one request at a time.

    On SQLite the suite's database lives in memory, and Django hands the live server's threads
    the test's own connection. Two requests at once (an HTMX check still running when the form
    is submitted) would then open transactions on one connection and fail with a server
    error that no installation can have: a real server gives each thread its own connection.
    The lock is held until the response has been sent, streamed bodies included."""

    def set_app(self, application):
        lock = threading.Lock()

        def serialised(environ, start_response):
            lock.acquire()
            try:
                body = application(environ, start_response)
            except BaseException:
                lock.release()
                raise
            return _ReleasedWhenClosed(body, lock)

        super().set_app(serialised)


class _ReleasedWhenClosed:
    def __init__(self, body, lock):
        self.body, self.lock = body, lock

    def __iter__(self):
        return iter(self.body)

    def close(self):
        try:
            if hasattr(self.body, "close"):
                self.body.close()
        finally:
            self.lock.release()


@pytest.fixture(scope="session", autouse=True)
def _live_server_on_shared_sqlite():
    from django.db import connection

    original = LiveServerThread.server_class
    if connection.vendor == "sqlite":
        LiveServerThread.server_class = _OneRequestAtATime
    yield
    LiveServerThread.server_class = original


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot run under CI: {message}")
        pytest.skip(f"browser tests skipped: {message}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _page(browser, live_server, **options):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", **options)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.csp_violations = []
    page.on(
        "console",
        lambda message: (
            page.csp_violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return context, page


@pytest.fixture
def page(browser, live_server):
    """A browser tab that enforces Nansen's Content-Security-Policy and collects every
    violation in ``page.csp_violations``."""
    context, page = _page(browser, live_server)
    yield page
    context.close()
    assert page.csp_violations == []


@pytest.fixture
def axe_page(browser, live_server):
    """A tab that lets the accessibility checker inject its script (CSP bypassed)."""
    context, page = _page(browser, live_server, bypass_csp=True)
    yield page
    context.close()


@pytest.fixture
def live_personas(transactional_db):
    return make_personas()


def login(page, username):
    """Sign in for real: password, then the current code of the persona's authenticator."""
    from nansen.accounts.models import User
    from nansen.testing import PASSWORD, totp_code, totp_device

    page.goto("/accounts/login/")
    page.get_by_label("User name", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/verify/**")
    device = totp_device(User.objects.get(username=username))
    page.get_by_label("Code", exact=True).fill(totp_code(device))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)


def logout(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")
