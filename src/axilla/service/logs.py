"""Log lines that cannot be forged and hold no patient data: control characters escaped, one
record one line, the same set-up in every server process.

OWASP Logging Cheat Sheet (log injection, CWE-117): encode CR, LF and other control characters
of any text that came from a request before it is written.
"""

from __future__ import annotations

import logging
from typing import Any

#: C0 controls, DEL, C1 controls and the Unicode line and paragraph separators.
_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))} | {
    0x2028: "\\u2028", 0x2029: "\\u2029", ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"}
#: Text longer than this is cut in a log line (paths, reasons).
MAX_LOGGED_TEXT = 200

FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def escape(text: object, limit: int = MAX_LOGGED_TEXT) -> str:
    """``text`` with every control character written as an escape, cut to ``limit``."""
    value = str(text)
    if len(value) > limit:
        value = value[:limit] + "..."
    return value.translate(_CONTROL)


class EscapingFormatter(logging.Formatter):
    """A formatter whose every record is one line with control characters escaped
    (tracebacks included: their line breaks become ``\\n``)."""

    def format(self, record: logging.LogRecord) -> str:
        return escape(super().format(record), limit=10_000)


def log_config(level: str) -> dict[str, Any]:
    """A logging.config dictionary for uvicorn (applied in every worker process): axilla's and
    uvicorn's records through the escaping formatter on stderr; uvicorn's own access log off
    (the service writes one structured access line per request)."""
    handler = {"class": "logging.StreamHandler", "formatter": "escaped",
               "stream": "ext://sys.stderr"}
    level = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"escaped": {"()": EscapingFormatter, "format": FORMAT}},
        "handlers": {"stderr": handler},
        "loggers": {
            "axilla": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "sqlalchemy": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        },
    }
