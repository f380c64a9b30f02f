"""Settings of the web service, read from the environment (or given by `axilla serve`).

    AXILLA_DATABASE_URL     SQLAlchemy URL; default SQLite file ./var/axilla.db (WAL mode)
    AXILLA_MAX_BODY_BYTES   largest request body accepted, bytes (default 262144 = 256 KiB)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DATABASE_PATH = Path("var") / "axilla.db"
DEFAULT_MAX_BODY_BYTES = 256 * 1024


def default_database_url() -> str:
    """The SQLite default, relative to the working directory (./var/axilla.db)."""
    return f"sqlite:///{DEFAULT_DATABASE_PATH.as_posix()}"


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name}: {raw!r} is not a whole number of bytes") from None
    if value < 1:
        raise ValueError(f"{name}: {value} must be at least 1")
    return value


@dataclass(frozen=True)
class Settings:
    """Everything the service needs to start; no secrets are held here."""

    database_url: str = field(default_factory=default_database_url)
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from AXILLA_* environment variables; non-None overrides win."""
        values: dict[str, object] = {
            "database_url": os.environ.get("AXILLA_DATABASE_URL", "").strip()
            or default_database_url(),
            "max_body_bytes": _env_int("AXILLA_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
