"""A service's refusal on a page is answered once, as the API answers it: 400 when a rule
refuses, 409 when someone else saved first. A form takes it onto itself, keeping what was
typed; one no form took is answered by the middleware (for HTMX, the reason alone)."""

from types import SimpleNamespace

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from nansen.accounts.models import User
from nansen.core.concurrency import ConcurrentEditError
from nansen.core.forms import Form, form_submit, refusal_status
from nansen.core.middleware import RefusalPageMiddleware
from nansen.core.permissions import NotAllowed


class NoteForm(Form):
    note = forms.CharField()


def _refuse(exc):
    def perform(_data):
        raise exc

    return perform


def test_a_rule_refusing_is_a_400_and_a_conflict_a_409():
    assert refusal_status(NotAllowed("no")) == 400
    assert refusal_status(ConcurrentEditError(User())) == 409
    assert refusal_status(ValueError("a bug")) is None


def test_a_refusal_goes_onto_the_form_which_keeps_what_was_typed():
    form = NoteForm({"note": "My long reasoning."})
    posted = form_submit(form, _refuse(NotAllowed("Not at this stage.")))
    assert (posted.status, posted.done) == (400, False)
    assert form.non_field_errors() == ["Not at this stage."]
    assert form["note"].value() == "My long reasoning."


def test_a_conflict_goes_onto_the_form_as_a_409():
    form = NoteForm({"note": "x"})
    assert form_submit(form, _refuse(ConcurrentEditError(User()))).status == 409
    assert "Someone else saved" in form.non_field_errors()[0]


def test_an_invalid_form_runs_nothing():
    ran = []
    posted = form_submit(NoteForm({}), ran.append)
    assert (posted.status, ran) == (400, [])


def test_a_form_valid_beside_another_that_is_not_runs_nothing():
    ran = []
    assert form_submit(NoteForm({"note": "x"}), ran.append, valid=False).status == 400
    assert ran == []


def test_a_done_change_gives_the_services_result():
    assert form_submit(NoteForm({"note": "x"}), lambda data: data["note"]) == (200, "x")


def test_anything_else_is_not_taken_for_a_refusal():
    with pytest.raises(ValueError):
        form_submit(NoteForm({"note": "x"}), _refuse(ValueError("a bug")))


def _request(path="/cases/1/hold/lift/", htmx=False, **headers):
    request = RequestFactory().post(path, **headers)
    request.user = AnonymousUser()
    request.htmx = htmx
    return request


@pytest.fixture
def middleware():
    return RefusalPageMiddleware(lambda request: None)


def test_it_answers_a_refusal_no_form_took_with_its_reason(middleware):
    response = middleware.process_exception(_request(), NotAllowed("The hold is lifted."))
    assert response.status_code == 400
    assert "The hold is lifted." in response.content.decode()


def test_it_answers_a_conflict_no_form_took_with_409(middleware):
    response = middleware.process_exception(_request(), ConcurrentEditError(User()))
    assert response.status_code == 409


def test_it_links_back_to_the_page_the_button_was_on(middleware):
    request = _request(HTTP_REFERER="http://testserver/cases/1/")
    response = middleware.process_exception(request, NotAllowed("No."))
    assert 'href="http://testserver/cases/1/"' in response.content.decode()


def test_it_links_back_to_no_other_site(middleware):
    request = _request(HTTP_REFERER="https://elsewhere.example/")
    response = middleware.process_exception(request, NotAllowed("No."))
    assert "elsewhere.example" not in response.content.decode()


def test_htmx_gets_the_reason_among_the_pages_messages(middleware):
    response = middleware.process_exception(
        _request(htmx=SimpleNamespace()), NotAllowed("Not now.")
    )
    assert response.status_code == 400
    assert response.content.decode().startswith('<div class="messages" role="alert">')
    assert (response["HX-Retarget"], response["HX-Reswap"]) == ("#messages", "innerHTML")


def test_the_api_answers_its_own_refusals(middleware):
    assert middleware.process_exception(_request("/api/cases"), NotAllowed("No.")) is None


def test_anything_else_is_left_to_django(middleware):
    assert middleware.process_exception(_request(), ValueError("a bug")) is None
