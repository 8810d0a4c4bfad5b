"""Encryption of the most sensitive fields: AES-256-GCM under keys kept outside the database.

Keys come from ``settings.FIELD_ENCRYPTION_KEYS`` (the NANSEN_FIELD_KEYS variable, or the file
named by NANSEN_FIELD_KEYS_FILE), never from SECRET_KEY::

    NANSEN_FIELD_KEYS="k20260301:<32 random bytes in base64>,k20250101:<…>"

Entries are separated by commas (or white space, so a key file may hold one per line). Each
is ``id:key``: the id is 1 to 16 letters, digits, ``_`` or ``-``; the key is base64 (standard
or URL-safe alphabet, padding optional) of exactly 32 random bytes. The FIRST key encrypts
every new value; all listed keys decrypt. ``nansen keys generate`` makes a key line,
``nansen keys rotate`` moves every stored value to the first key, after which the others can
be removed.

A stored value is a text token ``v1.<key id>.<base64url(12-byte nonce + ciphertext + tag)>``.
Its associated data binds it to its place (table, column and the row's ``uid``): a token
copied to another row or column does not decrypt. Every failure to decrypt raises
:class:`DecryptionError`; nothing ever hands back the token, "" or None instead.

The model field built on this module is :class:`nansen.core.fields.EncryptedTextField`.
Importing this module registers the system check :func:`check_field_keys`.
"""

from __future__ import annotations

import base64
import binascii
import functools
import os
import re
import secrets
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core import checks
from django.utils import timezone

from nansen.env import ConfigurationError

SETTING_NAME = "NANSEN_FIELD_KEYS"
FORMAT_VERSION = "v1"
KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,16}")
_KEY_MATERIAL_PATTERN = re.compile(r"[A-Za-z0-9+/_-]+={0,2}")
_TOKEN_PATTERN = re.compile(r"v1\.([A-Za-z0-9_-]{1,16})\.([A-Za-z0-9_-]+)")
_SEPARATORS = re.compile(r"[,\s]+")
# The fixed key settings.py falls back to in demo and test installations: public, so never
# acceptable in production.
_PUBLIC_DEMO_KEY = b"demo-only key, never real data!!"


class DecryptionError(Exception):
    """A stored value cannot be decrypted: unknown key, altered or moved value, bad token.

    The message names the table, column and row identifier, never the value.
    """


@dataclass(frozen=True)
class KeyRing:
    """The parsed key configuration. Its repr shows key ids only, never key material."""

    active_id: str
    ids: tuple[str, ...]
    _ciphers: dict[str, AESGCM] = field(repr=False)
    public_demo_ids: frozenset[str] = frozenset()

    def cipher(self, key_id: str) -> AESGCM | None:
        return self._ciphers.get(key_id)


def parse_keys(value: object) -> KeyRing:
    """Parse a NANSEN_FIELD_KEYS string; raise ConfigurationError (without key material)."""
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError(
            f"{SETTING_NAME} is empty: set it to id:base64key[,id:base64key…]; "
            "`nansen keys generate` prints a new key line"
        )
    ciphers: dict[str, AESGCM] = {}
    ids: list[str] = []
    lowered: set[str] = set()
    demo_ids: set[str] = set()
    for position, entry in enumerate(_SEPARATORS.split(value.strip()), start=1):
        key_id, colon, material = entry.partition(":")
        # The entry is never echoed: a malformed one may be a key without its id.
        if not colon:
            raise ConfigurationError(
                f"{SETTING_NAME} entry {position} is not of the form id:base64key"
            )
        if not KEY_ID_PATTERN.fullmatch(key_id):
            raise ConfigurationError(
                f"{SETTING_NAME} entry {position} has an invalid key id: use 1 to 16 letters, "
                "digits, '_' or '-'"
            )
        if key_id.lower() in lowered:
            raise ConfigurationError(
                f"{SETTING_NAME} lists key id {key_id!r} twice (key ids are compared ignoring case)"
            )
        raw = _decode_key(material)
        if raw is None:
            raise ConfigurationError(
                f"{SETTING_NAME} key {key_id!r} is not base64 of exactly {KEY_BYTES} bytes; "
                "`nansen keys generate` prints a valid key line"
            )
        lowered.add(key_id.lower())
        ids.append(key_id)
        ciphers[key_id] = AESGCM(raw)
        if secrets.compare_digest(raw, _PUBLIC_DEMO_KEY):
            demo_ids.add(key_id)
    return KeyRing(
        active_id=ids[0],
        ids=tuple(ids),
        _ciphers=ciphers,
        public_demo_ids=frozenset(demo_ids),
    )


def _decode_key(material: str) -> bytes | None:
    if not _KEY_MATERIAL_PATTERN.fullmatch(material):
        return None
    unpadded = material.rstrip("=").replace("-", "+").replace("_", "/")
    try:
        raw = base64.b64decode(unpadded + "=" * (-len(unpadded) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == KEY_BYTES else None


@functools.lru_cache(maxsize=4)
def _keyring_for(value: str) -> KeyRing:
    return parse_keys(value)


def get_keyring() -> KeyRing:
    """The key ring for the current settings, parsed once per distinct setting value.

    Being keyed on the setting's value, it follows ``override_settings`` on its own.
    """
    value = getattr(settings, "FIELD_ENCRYPTION_KEYS", None)
    if not isinstance(value, str):
        return parse_keys(value)  # raises with the message naming NANSEN_FIELD_KEYS
    return _keyring_for(value)


def reset_keys() -> None:
    """Forget parsed keys (tests, or after changing the settings object in place)."""
    _keyring_for.cache_clear()


def associated_data(table: str, column: str, row: str) -> bytes:
    """The place a value belongs to; authenticated with it but not stored in the token."""
    return "\x1f".join(("nansen-field", FORMAT_VERSION, table, column, row)).encode("utf-8")


def encrypt(plaintext: str, *, table: str, column: str, row: str) -> str:
    """Encrypt under the active key with a fresh random nonce; return the token."""
    ring = get_keyring()
    nonce = os.urandom(NONCE_BYTES)
    sealed = ring.cipher(ring.active_id).encrypt(
        nonce, plaintext.encode("utf-8"), associated_data(table, column, row)
    )
    body = base64.urlsafe_b64encode(nonce + sealed).rstrip(b"=").decode("ascii")
    return f"{FORMAT_VERSION}.{ring.active_id}.{body}"


def decrypt(token: str, *, table: str, column: str, row: str) -> str:
    """Decrypt a token stored at (table, column, row), or raise DecryptionError."""
    place = f"{table}.{column} (row {row})"
    match = _TOKEN_PATTERN.fullmatch(token) if isinstance(token, str) else None
    if match is None:
        raise DecryptionError(f"Cannot decrypt {place}: the stored value is not a v1 token")
    key_id, body = match.groups()
    cipher = get_keyring().cipher(key_id)
    if cipher is None:
        raise DecryptionError(f"Cannot decrypt {place}: key id {key_id!r} is not in {SETTING_NAME}")
    try:
        blob = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raise DecryptionError(
            f"Cannot decrypt {place}: the stored token is not valid base64"
        ) from None
    if len(blob) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError(f"Cannot decrypt {place}: the stored token is truncated")
    try:
        plain = cipher.decrypt(
            blob[:NONCE_BYTES], blob[NONCE_BYTES:], associated_data(table, column, row)
        )
    except InvalidTag:
        raise DecryptionError(
            f"Cannot decrypt {place}: authentication failed (the value was altered, or "
            f"copied from another row or column, or key {key_id!r} is not the one it was "
            "encrypted with)"
        ) from None
    try:
        return plain.decode("utf-8")
    except UnicodeDecodeError:
        raise DecryptionError(f"Cannot decrypt {place}: the plaintext is not UTF-8") from None


def token_key_id(token: object) -> str | None:
    """The key id a stored token names, or None if it is not a well-formed v1 token."""
    if not isinstance(token, str):
        return None
    match = _TOKEN_PATTERN.fullmatch(token)
    return match.group(1) if match else None


def generate_key_line(key_id: str | None = None) -> str:
    """A new configuration entry ``k<yyyymmdd>:<base64 of 32 random bytes>``."""
    key_id = key_id or timezone.now().strftime("k%Y%m%d")
    if not KEY_ID_PATTERN.fullmatch(key_id):
        raise ValueError("a key id is 1 to 16 letters, digits, '_' or '-'")
    material = base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")
    return f"{key_id}:{material}"


@checks.register(checks.Tags.security)
def check_field_keys(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """System check: NANSEN_FIELD_KEYS parses, and production does not use the demo key."""
    try:
        ring = get_keyring()
    except ConfigurationError as exc:
        return [
            checks.Error(
                str(exc),
                hint="Generate a key with `nansen keys generate`.",
                id="nansen.E110",
            )
        ]
    if ring.public_demo_ids and getattr(settings, "NANSEN_ENV", "production") == "production":
        return [
            checks.Error(
                f"{SETTING_NAME} uses the public demo key (id "
                f"{', '.join(sorted(ring.public_demo_ids))}) in production",
                hint="Generate a key with `nansen keys generate`, put it first and run "
                "`nansen keys rotate`.",
                id="nansen.E111",
            )
        ]
    return []
