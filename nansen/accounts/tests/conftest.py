"""Signing in as a browser does: a plain test client, password then second factor."""

import pytest
from django.test import Client
from django.urls import reverse

from nansen.testing import PASSWORD, totp_code, totp_device


@pytest.fixture
def browser():
    """A client that has not signed in (unlike ``client``, its force_login gives no second
    factor)."""
    return Client()


def sign_in_password(client, username, password=PASSWORD, **extra):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, **extra
    )


def sign_in(client, user, **extra):
    """Password and authenticator code, through the pages."""
    response = sign_in_password(client, user.username, **extra)
    assert response.status_code == 302, response.content
    response = client.post(
        reverse("accounts:mfa_verify"), {"code": totp_code(totp_device(user))}, **extra
    )
    assert response.status_code == 302
    return response
