"""Passwords: at least 12 characters, long passphrases welcome, common and breached ones
refused (OWASP ASVS 5.0 V6.2)."""

import gzip

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from nansen.accounts.models import User

LIST = settings.PACKAGE_DIR / "accounts/data/common-passwords.txt.gz"


def _errors(password: str) -> list[str]:
    try:
        validate_password(password)
    except ValidationError as error:
        return [e.code for e in error.error_list]
    return []


@pytest.mark.parametrize("length", [64, 200, 1024])
def test_long_passwords_are_accepted(length):
    passphrase = ("Ubuntu-Kigali river 7 lanterns at dusk " * 30)[:length]
    assert _errors(passphrase) == []


def test_an_absurdly_long_password_is_refused():
    assert _errors("x7Q!" * 300) == ["password_too_long"]


def test_a_short_password_is_refused():
    assert "password_too_short" in _errors("Kx7!pq9@z")


@pytest.mark.parametrize(
    "breached",
    [
        "1qaz2wsx3edc4rfv",  # zxcvbn-ts list (keyboard walk seen in breaches)
        "qazwsxedcrfv",
        "leavemealone",
        "Q1W2E3R4T5Y6",  # compared in lower case
    ],
)
def test_a_breached_password_is_refused(breached):
    assert "password_too_common" in _errors(breached)


def test_a_long_passphrase_is_accepted():
    assert _errors("the ferry to Lampedusa left at four, with 212 aboard") == []


def test_the_list_merges_djangos_list_and_the_breach_list():
    with gzip.open(LIST, "rt", encoding="utf-8") as handle:
        words = {line.rstrip("\n") for line in handle}
    assert len(words) > 50_000
    assert {"password", "123456", "1qaz2wsx3edc4rfv", "contortionist"} <= words
    assert all(word == word.lower().strip() and word for word in words)


@pytest.mark.django_db
def test_a_200_character_password_signs_in():
    password = ("Ubuntu-Kigali river 7 lanterns at dusk " * 6)[:200]
    User.objects.create_user(username="longpass", password=password)
    response = Client().post(
        reverse("accounts:login"), {"username": "longpass", "password": password}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("procedures:dashboard"))
