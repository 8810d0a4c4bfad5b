"""Personal API tokens: stored only as digests, refused once they are no longer usable, and
managed by an operator with `nansen tokens`."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from nansen.accounts import administration
from nansen.accounts.models import ApiToken


def _row_text(token: ApiToken) -> str:
    """Every column of the token's row, as the database holds it."""
    table = connection.ops.quote_name(ApiToken._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [token.pk])  # noqa: S608
        return " ".join(str(value) for value in cursor.fetchone())


def _get(client, raw):
    return client.get("/api/cases", HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_a_token_is_stored_only_as_its_digest(personas):
    token, raw = ApiToken.issue(scope=ApiToken.Scope.READ_WRITE, user=personas.clerk, name="laptop")
    row = _row_text(token)
    secret = raw.removeprefix(ApiToken.PREFIX)
    assert raw not in row and secret not in row
    assert len(token.digest) == 64 and token.digest in row
    assert ApiToken.authenticate(raw) == token and token.user == personas.clerk
    assert ApiToken.authenticate(token.digest) is None


def test_a_token_is_refused_once_its_user_is_disabled(client, personas):
    _token, raw = ApiToken.issue(
        scope=ApiToken.Scope.READ_WRITE, user=personas.clerk, name="laptop"
    )
    assert _get(client, raw).status_code == 200
    administration.user_deactivate(actor=personas.admin, user=personas.clerk)
    assert _get(client, raw).status_code == 401


def test_a_token_is_refused_once_expired_or_revoked(client, personas):
    expiring, expiring_raw = ApiToken.issue(
        scope=ApiToken.Scope.READ_WRITE, user=personas.clerk, name="expiring", days=1
    )
    revoked, revoked_raw = ApiToken.issue(
        scope=ApiToken.Scope.READ_WRITE, user=personas.clerk, name="revoked"
    )
    assert _get(client, expiring_raw).status_code == 200
    assert _get(client, revoked_raw).status_code == 200
    call_command("tokens", "revoke", str(revoked.pk), stdout=io.StringIO())
    assert _get(client, revoked_raw).status_code == 401
    assert _get(client, expiring_raw).status_code == 200
    ApiToken.objects.filter(pk=expiring.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _get(client, expiring_raw).status_code == 401


def test_the_tokens_command_creates_lists_and_revokes(client, personas):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "tokens",
        "create",
        "clerk",
        "--scope",
        "read",
        "--name",
        "sync",
        "--days",
        "7",
        stdout=out,
        stderr=err,
    )
    raw = out.getvalue().strip()
    token = ApiToken.objects.get(user=personas.clerk)
    assert raw.startswith(ApiToken.PREFIX) and raw not in _row_text(token)
    assert f"token {token.pk} (read) expires" in err.getvalue()
    assert token.name == "sync" and token.scope == ApiToken.Scope.READ
    assert timedelta(days=6, hours=23) < token.expires_at - timezone.now() <= timedelta(days=7)
    assert _get(client, raw).status_code == 200

    listing = io.StringIO()
    call_command("tokens", "list", "clerk", stdout=listing)
    assert listing.getvalue().split("\t")[:3] == [str(token.pk), "sync", "active"]
    assert listing.getvalue().strip().endswith("\tread")
    assert raw not in listing.getvalue()

    revoked = io.StringIO()
    call_command("tokens", "revoke", str(token.pk), stdout=revoked)
    assert revoked.getvalue().strip() == f"token {token.pk} revoked"
    assert _get(client, raw).status_code == 401
    listing = io.StringIO()
    call_command("tokens", "list", "clerk", stdout=listing)
    assert listing.getvalue().split("\t")[2] == "revoked"


def test_the_tokens_command_refuses_what_it_cannot_do(personas):
    with pytest.raises(CommandError, match="No user 'nobody'"):
        call_command("tokens", "create", "nobody", "--scope", "read", stdout=io.StringIO())
    with pytest.raises(CommandError, match="at least 1"):
        call_command(
            "tokens", "create", "clerk", "--scope", "read", "--days", "0", stdout=io.StringIO()
        )
    token, _raw = ApiToken.issue(scope=ApiToken.Scope.READ_WRITE, user=personas.clerk, name="once")
    call_command("tokens", "revoke", str(token.pk), stdout=io.StringIO())
    with pytest.raises(CommandError, match=f"No active token {token.pk}"):
        call_command("tokens", "revoke", str(token.pk), stdout=io.StringIO())
    assert not ApiToken.objects.filter(user__username="nobody").exists()


def test_the_tokens_command_needs_a_scope(personas):
    with pytest.raises(CommandError, match="--scope"):
        call_command("tokens", "create", "clerk", stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(CommandError, match="invalid choice"):
        call_command(
            "tokens",
            "create",
            "clerk",
            "--scope",
            "admin",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert not ApiToken.objects.exists()


def test_a_token_cannot_be_issued_without_a_known_scope(personas):
    with pytest.raises(TypeError):
        ApiToken.issue(user=personas.clerk, name="laptop")  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="scope"):
        ApiToken.issue(user=personas.clerk, name="laptop", scope="")
    assert not ApiToken.objects.exists()
