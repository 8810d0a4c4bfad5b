"""Nansen's settings. Everything an operator sets comes from NANSEN_* environment variables.

NANSEN_ENV chooses the kind of installation: ``production`` (the default, strict),
``demo`` (``make demo``) or ``test`` (the test suite). Only demo and test may run without
NANSEN_SECRET_KEY.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from nansen.env import (
    ConfigurationError,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
)
from nansen.operations.logging import logging_config

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent
VAR_DIR = Path(env_str("NANSEN_VAR_DIR") or BASE_DIR / "var")

NANSEN_ENV = env_choice("NANSEN_ENV", "production", ("production", "demo", "test"))
IS_PRODUCTION = NANSEN_ENV == "production"

DEBUG = env_bool("NANSEN_DEBUG", False)

SECRET_KEY = env_str("NANSEN_SECRET_KEY")
if not SECRET_KEY:
    if IS_PRODUCTION:
        raise ConfigurationError(
            "NANSEN_SECRET_KEY (or NANSEN_SECRET_KEY_FILE) is required; "
            "set NANSEN_ENV=demo or NANSEN_ENV=test to run without one"
        )
    SECRET_KEY = f"insecure-{NANSEN_ENV}-key-never-use-in-production-0123456789abcdef"
elif len(SECRET_KEY) < 50:
    raise ConfigurationError("NANSEN_SECRET_KEY must be at least 50 characters long")

# The audit log's entries are chained with HMAC-SHA256 under this key, kept outside the
# database: someone who can write to the database cannot forge entries that verify.
AUDIT_KEY = env_str("NANSEN_AUDIT_KEY")
if not AUDIT_KEY:
    if IS_PRODUCTION:
        raise ConfigurationError(
            "NANSEN_AUDIT_KEY (or NANSEN_AUDIT_KEY_FILE) is required: at least 32 random "
            "characters, e.g. from `python -c 'import secrets; print(secrets.token_hex(32))'`"
        )
    AUDIT_KEY = f"insecure-{NANSEN_ENV}-audit-key-0123456789abcdef"
elif len(AUDIT_KEY) < 32:
    raise ConfigurationError("NANSEN_AUDIT_KEY must be at least 32 characters long")

# Keys for the most sensitive fields (AES-256-GCM), never derived from SECRET_KEY:
# "id:base64key[,id:base64key…]", the first one encrypting new values, the others only
# decrypting until `nansen keys rotate` has moved every value to the first.
FIELD_ENCRYPTION_KEYS = env_str("NANSEN_FIELD_KEYS")
if not FIELD_ENCRYPTION_KEYS:
    if IS_PRODUCTION:
        raise ConfigurationError(
            "NANSEN_FIELD_KEYS (or NANSEN_FIELD_KEYS_FILE) is required, e.g. "
            "k1:<32 random bytes in base64> (see docs/operations.md)"
        )
    # Demo and test only: a fixed, public key. Never use it for real data.
    FIELD_ENCRYPTION_KEYS = f"{NANSEN_ENV}:" + "ZGVtby1vbmx5IGtleSwgbmV2ZXIgcmVhbCBkYXRhISE="

ALLOWED_HOSTS = env_list(
    "NANSEN_ALLOWED_HOSTS",
    [] if IS_PRODUCTION else ["127.0.0.1", "localhost", "testserver"],
)
if IS_PRODUCTION and not ALLOWED_HOSTS and not DEBUG:
    raise ConfigurationError("NANSEN_ALLOWED_HOSTS is required in production")
CSRF_TRUSTED_ORIGINS = env_list("NANSEN_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # First, so that its createsuperuser (which refuses, pointing at `nansen accounts
    # create-admin`) replaces Django's.
    "nansen.accounts",
    "nansen.accounts.admin_site.NansenAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_htmx",
    "ninja",
    "nansen.core",
    "nansen.registration",
    "nansen.procedures",
    "nansen.audit",
    "nansen.statistics",
    "nansen.resettlement",
    "nansen.protection",
    "nansen.identity",
    "nansen.api",
    "nansen.demo",
    "nansen.operations",
    "nansen.imports",
    "nansen.coi",
    "nansen.eligibility",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "nansen.core.middleware.SecurityHeadersMiddleware",
    "nansen.core.middleware.NulCharacterMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "nansen.accounts.middleware.SessionPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A service's refusal no form took: 400 or 409 with the reason, as the API answers it.
    "nansen.core.middleware.RefusalPageMiddleware",
    "nansen.core.middleware.PersonalDataCacheMiddleware",
    "nansen.audit.middleware.RefusalAuditMiddleware",
    "nansen.core.middleware.PageMethodsMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "nansen.urls"
FORM_RENDERER = "nansen.core.forms.FormRenderer"
WSGI_APPLICATION = "nansen.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "nansen.accounts.context_processors.nansen",
            ],
        },
    },
]

# Database: a SQLite file under var/ unless NANSEN_DATABASE_URL names another.
DEFAULT_SQLITE = VAR_DIR / "nansen.sqlite3"
DATABASE_URL = env_str("NANSEN_DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE}"
try:
    _database = dj_database_url.parse(DATABASE_URL, conn_max_age=0)
except ValueError as exc:
    raise ConfigurationError(f"NANSEN_DATABASE_URL is not a database URL: {exc}") from exc
if _database["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; synchronous=FULL makes a commit durable
    # once acknowledged; IMMEDIATE transactions take the write lock at BEGIN, so two writers
    # queue on busy_timeout instead of failing halfway through with "database is locked".
    _database["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=FULL;"
            "PRAGMA foreign_keys=ON;"
            "PRAGMA busy_timeout=20000;"
        ),
    }
    if _database["NAME"] and _database["NAME"] != ":memory:":
        Path(_database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
elif _database["ENGINE"] == "django.db.backends.postgresql":
    _database.setdefault("OPTIONS", {})
else:
    raise ConfigurationError("NANSEN_DATABASE_URL must name a sqlite:// or postgres:// database")
_database["ATOMIC_REQUESTS"] = False
_database["TEST"] = {"NAME": env_str("NANSEN_TEST_DATABASE_NAME")}
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "procedures:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
if NANSEN_ENV == "test":
    # Hashing cost is not what the tests exercise; the production hasher stays Argon2.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "nansen.accounts.passwords.MaximumLengthValidator", "OPTIONS": {"max_length": 1024}},
    {
        # Django's list merged with a list of breached passwords, checked offline
        # (see nansen/accounts/data/README.md).
        "NAME": "django.contrib.auth.password_validation.CommonPasswordValidator",
        "OPTIONS": {"password_list_path": PACKAGE_DIR / "accounts/data/common-passwords.txt.gz"},
    },
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out account or address before any password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# How many reverse proxies stand in front of Nansen, each appending to X-Forwarded-For.
# 0 (the default): the client's address is REMOTE_ADDR and the header, the client's to
# forge, is ignored. See nansen/core/client_ip.py.
TRUSTED_PROXIES = env_int("NANSEN_TRUSTED_PROXIES", 0, minimum=0)

# Sign-in lockout (django-axes): 5 failures lock the account from that source address for
# 15 minutes. Never the account alone: anyone who knows a user name could then keep its
# owner out. The address is the audit log's (nansen.core.client_ip): one rule.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# One row per failure: what the slow-down and the source lock below count
# (nansen/accounts/sign_in_limits.py), in the database so that every process sees them.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Beyond the lock, by account alone: after 5 failures from any sources, each further attempt
# waits an interval that doubles with each failure (1 s, 2 s, 4 s…) up to 15 minutes, counted
# since the last successful sign-in and over a day at most. The right password still signs in
# once the interval has passed: slowed, never locked.
SIGN_IN_SLOWDOWN_AFTER = 5
SIGN_IN_SLOWDOWN_MAX_SECONDS = 15 * 60
SIGN_IN_SLOWDOWN_WINDOW_HOURS = 24
# By source alone, against trying a few passwords on each of many accounts (which neither
# the lock nor the slow-down see): 20 failures within 15 minutes lock the source address.
# High enough that the typing mistakes of an office behind one address do not reach it.
SIGN_IN_SOURCE_FAILURE_LIMIT = 20
AXES_LOCKOUT_CALLABLE = "nansen.accounts.views.lockout"
AXES_USERNAME_CALLABLE = "nansen.accounts.views.lockout_username"
AXES_CLIENT_IP_CALLABLE = "nansen.core.client_ip.client_address"
AXES_DISABLE_ACCESS_LOG = True  # the audit log records every sign-in and sign-out
AXES_VERBOSE = False

# Second factor (django-otp) for every account: an authenticator app (TOTP) and single-use
# recovery codes. Password and second factor again before sensitive actions when the last
# full sign-in is older than this (see nansen/accounts/reauth.py).
OTP_TOTP_ISSUER = env_str("NANSEN_OTP_ISSUER") or "Nansen"
REAUTHENTICATION_SECONDS = 600

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ja", _("Japanese")),
    ("ar", _("Arabic")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "nansen_language"
LANGUAGE_COOKIE_SECURE = IS_PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env_str("NANSEN_TIME_ZONE") or "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static" if NANSEN_ENV != "test" else None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if NANSEN_ENV != "test"
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = NANSEN_ENV == "test"

# Sessions and cookies: secure by default, relaxed only where there is no TLS (demo, test).
SESSION_COOKIE_AGE = env_int("NANSEN_SESSION_SECONDS", 8 * 3600, minimum=300)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = IS_PRODUCTION
if IS_PRODUCTION:
    SESSION_COOKIE_NAME = "__Host-nansen_session"
    CSRF_COOKIE_NAME = "__Host-nansen_csrf"
    SECURE_SSL_REDIRECT = env_bool("NANSEN_SSL_REDIRECT", True)
    # Load balancers probe the health endpoint over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("NANSEN_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
else:
    SESSION_COOKIE_NAME = "nansen_session"
    CSRF_COOKIE_NAME = "nansen_csrf"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if IS_PRODUCTION
    else "django.core.mail.backends.locmem.EmailBackend"
)

API_TOKEN_DAYS = env_int("NANSEN_API_TOKEN_DAYS", 90, minimum=1)

# /healthz names its checks (version, database engine, disk, migrations, keys) only to a
# request from this machine or to a monitor that sends `Authorization: Bearer` with this
# secret; everyone else gets the status alone. Empty: from this machine only.
HEALTH_TOKEN = env_str("NANSEN_HEALTH_TOKEN", "") or ""
if HEALTH_TOKEN and len(HEALTH_TOKEN) < 32:
    raise ConfigurationError("NANSEN_HEALTH_TOKEN must be at least 32 characters long")

# Identity checks each user may run in an hour (an office may set its own: `nansen identity
# check-limit`): each check may announce records of other offices, so checks are counted.
NANSEN_IDENTITY_CHECKS_PER_HOUR = env_int("NANSEN_IDENTITY_CHECKS_PER_HOUR", 60, minimum=1)

# Logs carry no personal data (see nansen/operations/logging.py); NANSEN_LOG_FORMAT=json
# writes one JSON object per line for a log collector.
LOGGING = logging_config(
    log_format=env_choice("NANSEN_LOG_FORMAT", "text", ("text", "json")),
    level=env_str("NANSEN_LOG_LEVEL") or "INFO",
)
