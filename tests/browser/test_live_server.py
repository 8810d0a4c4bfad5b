"""The live server the browser tests talk to answers requests that arrive together.

A page fires HTMX requests of its own (the identity check runs as the clerk types) while the
user goes on and submits the form; every one of them writes to the audit log. On a real
server each request has its own database connection; the suite's server must not turn two
requests at once into a server error either."""

import pytest

from nansen.accounts.models import User
from nansen.registration.models import Case
from nansen.registration.services import case_register
from nansen.testing import person_input
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

CHECKS = 12


def test_a_registration_submitted_while_checks_run_is_saved(page, live_personas):
    clerk = User.objects.get(username="clerk")
    person = case_register(actor=clerk, principal=person_input()).members.get().person
    login(page, "clerk")
    page.goto("/cases/register/")
    principal = page.locator("section", has=page.get_by_role("heading", name="Principal applicant"))
    principal.get_by_label("Given names (Latin letters)", exact=True).fill("Amina")
    principal.get_by_label("Family name (Latin letters)", exact=True).fill("Yusuf")
    principal.get_by_label("Country of origin", exact=True).select_option("SOM")
    principal.get_by_label("Sex", exact=True).select_option("F")
    before = Case.objects.count()

    statuses = page.evaluate(
        """([check, checks]) => {
            const form = document.querySelector("input[name$='-given_name']").form;
            const submit = fetch(form.action, {method: "POST", body: new FormData(form)});
            const looks = Array.from({length: checks}, () => fetch(check));
            return Promise.all([submit, ...looks]).then((all) => all.map((r) => r.status));
        }""",
        [f"/identity/check/?prefix=p&link={person.pk}", CHECKS],
    )
    assert statuses == [200] * (CHECKS + 1)
    assert Case.objects.count() == before + 1
