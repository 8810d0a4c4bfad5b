from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from nansen.accounts.models import User
from nansen.registration.models import Person


def test_it_refuses_outside_a_demo_installation(db):
    with pytest.raises(CommandError, match="NANSEN_ENV=demo"):
        call_command("demo", "--no-serve", stdout=StringIO())


def test_it_seeds_once_then_reuses_the_database(db, tmp_path):
    with override_settings(NANSEN_ENV="demo", STATIC_ROOT=tmp_path / "static"):
        first, second = StringIO(), StringIO()
        call_command("demo", "--no-serve", "--persons", "40", stdout=first, stderr=StringIO())
        persons = Person.objects.count()
        call_command("demo", "--no-serve", stdout=second)
    assert "Demo logins:" in first.getvalue() and "http://127.0.0.1:8000/" in first.getvalue()
    assert persons >= 40
    assert Person.objects.count() == persons  # the second run did not seed again
    assert "Using the existing demo database." in second.getvalue()
    for user in User.objects.all():
        assert user.username in second.getvalue()
    assert (tmp_path / "static" / "nansen" / "nansen.css").exists()
