"""Rebuild common-passwords.txt.gz (see README.md in this folder).

Usage, from the repository root, after `npm pack @zxcvbn-ts/language-common` in /tmp and
unpacking it (`tar xzf zxcvbn-ts-language-common-*.tgz -C /tmp/zxcvbn`):

    .venv/bin/python nansen/accounts/data/build_common_passwords.py \
        /tmp/zxcvbn/package/src/passwords.json
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import django

HERE = Path(__file__).resolve().parent
DJANGO_LIST = Path(django.__file__).parent / "contrib/auth/common-passwords.txt.gz"


def build(zxcvbn_passwords: Path) -> int:
    # Django's CommonPasswordValidator compares password.lower().strip() with each line.
    with gzip.open(DJANGO_LIST, "rt", encoding="utf-8") as handle:
        words = {line.strip().lower() for line in handle}
    words |= {p.strip().lower() for p in json.loads(zxcvbn_passwords.read_text("utf-8"))}
    words.discard("")
    # mtime=0: the same lists always give the same bytes.
    with (
        open(HERE / "common-passwords.txt.gz", "wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as handle,
    ):
        handle.write("".join(f"{word}\n" for word in sorted(words)).encode())
    return len(words)


if __name__ == "__main__":
    print(f"{build(Path(sys.argv[1]))} passwords")
