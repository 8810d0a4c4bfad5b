"""Structured logs: one JSON object per line when NANSEN_LOG_FORMAT=json.

Logs never carry personal data. Nansen's own code logs ids, not names; what could still
carry some is cut out here: query strings (a search for a name is a query string), the
text of exceptions (a database error can quote the row it refused) and any ``extra`` value
not on the short list of safe fields.
"""

from __future__ import annotations

import json
import logging
import re
import traceback
from datetime import UTC, datetime

_QUERY_STRING = re.compile(r"\?[^\s\"']*")
SAFE_EXTRA = ("status_code", "method", "duration_ms", "user_id", "office_id", "job", "count")


def redact(text: str) -> str:
    return _QUERY_STRING.sub("?…", text)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
            "process": record.process,
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            entry["method"] = request.method
            entry["path"] = request.path
        for name in SAFE_EXTRA:
            if name in record.__dict__:
                entry[name] = record.__dict__[name]
        if record.exc_info and record.exc_info[0] is not None:
            kind, _value, tb = record.exc_info
            # The exception's type and where it was raised; its text may quote data.
            entry["exception"] = kind.__name__
            entry["stack"] = [
                f"{frame.filename}:{frame.lineno} {frame.name}"
                for frame in traceback.extract_tb(tb)
            ][-15:]
        return json.dumps(entry, ensure_ascii=False)


class RedactingFormatter(logging.Formatter):
    """The plain-text format, with the same cuts as the JSON one."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))

    def formatException(self, ei) -> str:
        kind, _value, tb = ei
        lines = traceback.format_list(traceback.extract_tb(tb))
        return "Traceback (most recent call last):\n" + "".join(lines) + f"{kind.__name__}"


def logging_config(*, log_format: str, level: str) -> dict:
    """The LOGGING setting for ``text`` or ``json``."""
    formatter = (
        {"()": "nansen.operations.logging.JsonFormatter"}
        if log_format == "json"
        else {
            "()": "nansen.operations.logging.RedactingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"nansen": formatter},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "nansen"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "INFO"},
            "axes": {"level": "WARNING"},
        },
    }
