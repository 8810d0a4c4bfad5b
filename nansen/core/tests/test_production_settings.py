"""What production settings choose that the test settings relax: the password hasher (the suite
hashes with MD5 for speed) and the full HSTS header. The settings are loaded as production
loads them, in a fresh interpreter with NANSEN_ENV unset."""

import json
import os
import subprocess
import sys

from django.contrib.auth.hashers import check_password, identify_hasher
from django.test import override_settings
from django.urls import reverse

from nansen.accounts.models import User

PRODUCTION_ENV = {
    "NANSEN_SECRET_KEY": "p" * 20 + "-production-key-" + "q" * 30,
    "NANSEN_AUDIT_KEY": "a" * 64,
    "NANSEN_FIELD_KEYS": "k1:cHJvZHVjdGlvbiB0ZXN0IGtleSwgMzIgYnl0ZXMhISE=",
    "NANSEN_ALLOWED_HOSTS": "nansen.example.org",
}


def _production(*names: str) -> dict:
    """The named settings as nansen.settings defines them in production."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NANSEN_")}
    env.update(PRODUCTION_ENV)
    script = (
        "import json, nansen.settings as s;"
        f"print(json.dumps({{n: getattr(s, n) for n in {list(names)!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_hashes_passwords_with_argon2(db):
    hashers = _production("NANSEN_ENV", "PASSWORD_HASHERS")
    assert hashers["NANSEN_ENV"] == "production"
    hashers = hashers["PASSWORD_HASHERS"]
    assert hashers[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert not any("MD5" in hasher or "SHA1" in hasher for hasher in hashers)

    user = User.objects.create_user(username="hashed")
    with override_settings(PASSWORD_HASHERS=hashers):
        user.set_password("a long passphrase for the hasher")
        user.save()
        user.refresh_from_db()
        assert user.password.startswith("argon2$argon2id$")
        assert identify_hasher(user.password).algorithm == "argon2"
        assert check_password("a long passphrase for the hasher", user.password)
        assert not check_password("a long passphrase for the hashe", user.password)


def test_hsts_covers_subdomains_and_asks_for_preload(client):
    hsts = _production(
        "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD"
    )
    assert hsts == {
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
    }
    with override_settings(**hsts):
        response = client.get(reverse("accounts:login"), secure=True)
        plain = client.get(reverse("accounts:login"))
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    # Browsers ignore HSTS over plain HTTP; Django sends it only over HTTPS.
    assert "Strict-Transport-Security" not in plain
