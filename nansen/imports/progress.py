"""Where a running import stands, readable by any process of the server.

The import writes in one transaction; on SQLite that transaction holds the only write lock,
so progress cannot be written to the database while it runs. It goes to a small JSON file
per import under NANSEN_VAR_DIR/imports/ instead, which the page polls; the file holds
counts only.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from django.conf import settings


def progress_path(uid) -> Path:
    return Path(settings.VAR_DIR) / "imports" / f"{uid}.progress.json"


class FileProgress:
    """Records (phase, done, total) at most twice a second."""

    def __init__(self, uid, *, interval: float = 0.5):
        self.path = progress_path(uid)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.interval = interval
        self.last = 0.0

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        if now - self.last < self.interval and done != total:
            return
        self.last = now
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"phase": phase, "done": done, "total": total}))
        os.replace(temporary, self.path)

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)


def read_progress(uid) -> dict | None:
    try:
        return json.loads(progress_path(uid).read_text())
    except (OSError, ValueError):
        return None


class TerminalProgress:
    """The same reports, as one line rewritten on a terminal (stderr)."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.last = 0.0

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        if now - self.last < 0.5 and done != total:
            return
        self.last = now
        of = f"/{total:,}" if total else ""
        self.stream.write(f"\r{phase}: {done:,}{of} persons ")
        self.stream.flush()
        if total is not None and done == total:
            self.stream.write("\n")
