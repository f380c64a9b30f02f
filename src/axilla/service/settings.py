"""Settings of the web service, read from the environment (or given by `axilla serve`), checked
when they are made: a server never starts on nonsense.

    AXILLA_DATABASE_URL       SQLAlchemy URL; default SQLite file ./var/axilla.db (WAL mode)
    AXILLA_MAX_BODY_BYTES     largest request body accepted, bytes (default 262144 = 256 KiB)
    AXILLA_BODY_TIMEOUT_S     seconds to receive a whole request body (default 10)
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DATABASE_PATH = Path("var") / "axilla.db"
DEFAULT_MAX_BODY_BYTES = 256 * 1024
#: The largest body limit that may be set: 16 MiB (a case is a few KiB).
MAX_BODY_BYTES_LIMIT = 16 * 1024 * 1024
DEFAULT_BODY_TIMEOUT_S = 10.0
#: Body read timeouts that may be set, seconds.
BODY_TIMEOUT_RANGE_S = (0.1, 300.0)


def default_database_url() -> str:
    """The SQLite default, relative to the working directory (./var/axilla.db)."""
    return f"sqlite:///{DEFAULT_DATABASE_PATH.as_posix()}"


def _env_number(name: str, default: float, kind: type) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return kind(raw)
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise ValueError(f"{name}: {raw!r} is not {what}") from None


@dataclass(frozen=True)
class Settings:
    """Everything the service needs to start; no secrets are held here."""

    database_url: str = field(default_factory=default_database_url)
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    body_timeout_s: float = DEFAULT_BODY_TIMEOUT_S

    def __post_init__(self) -> None:
        if not isinstance(self.database_url, str) or not self.database_url.strip():
            raise ValueError("database_url: must not be empty")
        if isinstance(self.max_body_bytes, bool) or not isinstance(self.max_body_bytes, int) \
                or not 1 <= self.max_body_bytes <= MAX_BODY_BYTES_LIMIT:
            raise ValueError(f"max_body_bytes: {self.max_body_bytes!r} must be a whole number "
                             f"from 1 to {MAX_BODY_BYTES_LIMIT}")
        lo, hi = BODY_TIMEOUT_RANGE_S
        timeout = self.body_timeout_s
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) \
                or not math.isfinite(timeout) or not lo <= timeout <= hi:
            raise ValueError(f"body_timeout_s: {timeout!r} must be from {lo:g} to {hi:g} "
                             "seconds")

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from AXILLA_* environment variables; non-None overrides win."""
        values: dict[str, object] = {
            "database_url": os.environ.get("AXILLA_DATABASE_URL", "").strip()
            or default_database_url(),
            "max_body_bytes": _env_number("AXILLA_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES, int),
            "body_timeout_s": _env_number("AXILLA_BODY_TIMEOUT_S", DEFAULT_BODY_TIMEOUT_S,
                                          float),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    def environment(self) -> dict[str, str]:
        """These settings as AXILLA_* variables (handed to worker processes)."""
        return {"AXILLA_DATABASE_URL": self.database_url,
                "AXILLA_MAX_BODY_BYTES": str(self.max_body_bytes),
                "AXILLA_BODY_TIMEOUT_S": repr(float(self.body_timeout_s))}
