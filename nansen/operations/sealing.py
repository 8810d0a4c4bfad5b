"""Sealing a backup file with AES-256-GCM under NANSEN_BACKUP_KEY (32 random bytes, base64;
`nansen keys generate` prints one, the part after the colon).

The file is cut into 1 MiB chunks, each sealed with its own nonce; each chunk's associated
data names its position and whether it is the last, so chunks cannot be dropped, reordered
or the file cut short without opening failing. The key is read from the environment (or
NANSEN_BACKUP_KEY_FILE) and never stored beside the backup.
"""

from __future__ import annotations

import base64
import binascii
import os
import struct
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from nansen.env import env_str

MAGIC = b"NANSEN-SEALED-BACKUP-1\n"
CHUNK = 1 << 20
KEY_NAME = "NANSEN_BACKUP_KEY"


class SealingError(Exception):
    pass


def backup_key() -> bytes:
    value = env_str(KEY_NAME)
    if not value:
        raise SealingError(
            f"{KEY_NAME} (or {KEY_NAME}_FILE) must hold 32 random bytes in base64 to encrypt "
            "or open a backup"
        )
    try:
        key = base64.b64decode(value.strip() + "=" * (-len(value.strip()) % 4), validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise SealingError(f"{KEY_NAME} is not base64 of exactly 32 bytes")
    return key


def is_sealed(path: Path) -> bool:
    with Path(path).open("rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


def _associated(index: int, last: bool) -> bytes:
    return MAGIC + struct.pack(">Q?", index, last)


def seal_file(source: Path, target: Path) -> None:
    cipher = AESGCM(backup_key())
    size = source.stat().st_size
    with source.open("rb") as reader, target.open("wb") as writer:
        writer.write(MAGIC)
        index, done = 0, 0
        while True:
            chunk = reader.read(CHUNK)
            done += len(chunk)
            last = done >= size
            nonce = os.urandom(12)
            sealed = cipher.encrypt(nonce, chunk, _associated(index, last))
            writer.write(struct.pack(">I", len(sealed)) + nonce + sealed)
            index += 1
            if last:
                break


def open_file(source: Path, target: Path) -> None:
    cipher = AESGCM(backup_key())
    with source.open("rb") as reader, target.open("wb") as writer:
        if reader.read(len(MAGIC)) != MAGIC:
            raise SealingError("not a sealed Nansen backup")
        index = 0
        while True:
            header = reader.read(4)
            if len(header) < 4:
                raise SealingError("the sealed backup is cut short")
            (length,) = struct.unpack(">I", header)
            nonce, sealed = reader.read(12), reader.read(length)
            if len(sealed) != length:
                raise SealingError("the sealed backup is cut short")
            last = reader.peek(1)[:1] == b"" if hasattr(reader, "peek") else False
            try:
                chunk = cipher.decrypt(nonce, sealed, _associated(index, last))
            except InvalidTag:
                raise SealingError(
                    "the backup cannot be opened: wrong NANSEN_BACKUP_KEY, or the file was "
                    "altered or cut"
                ) from None
            writer.write(chunk)
            index += 1
            if last:
                return
