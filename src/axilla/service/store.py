"""Stored cases and API tokens: SQLAlchemy 2 over SQLite (default, WAL) or PostgreSQL.

Each case record keeps the input case, its assessment, the model and rule-set versions that
produced it, the created time and the author (the name of the token used). Tokens are kept as
SHA-256 hashes only. The schema is created and upgraded by the Alembic migrations in
``migrations/`` (``Store.migrate``), never by ``create_all``.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

#: Names the schema; the migrations create exactly these tables.
metadata = sa.MetaData()

cases = sa.Table(
    "cases",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("author", sa.String(100), nullable=False),
    sa.Column("input", sa.JSON, nullable=False),
    sa.Column("assessment", sa.JSON, nullable=False),
    sa.Column("input_hash", sa.String(100), nullable=False),
    sa.Column("model_version", sa.String(50), nullable=False),
    sa.Column("ruleset_version", sa.String(50), nullable=False),
    sa.Column("axilla_version", sa.String(50), nullable=False),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(100), nullable=False, index=True),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
)

TOKEN_PREFIX = "axilla_"
TOKEN_NAME_MAX = 100


@dataclass(frozen=True)
class CaseRecord:
    """One stored case with its assessment and provenance."""

    id: str
    created_at: datetime
    author: str
    input: dict[str, Any]
    assessment: dict[str, Any]
    input_hash: str
    model_version: str
    ruleset_version: str
    axilla_version: str


@dataclass(frozen=True)
class CaseSummary:
    """A stored case without its content (for listings)."""

    id: str
    created_at: datetime
    author: str
    model_version: str
    ruleset_version: str
    axilla_version: str


@dataclass(frozen=True)
class TokenInfo:
    """A token's name and dates; the token itself is never stored."""

    name: str
    created_at: datetime
    revoked_at: datetime | None


def hash_token(token: str) -> str:
    """SHA-256 of a token (tokens are 256-bit random, so an unsalted fast hash suffices)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _utc(value: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes; every stored time is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL journal and synchronous commits: an acknowledged write survives a crash."""
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get their directory created and WAL switched on."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            parsed, connect_args={"check_same_thread": False, "timeout": 10}
        )
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return sa.create_engine(parsed, pool_pre_ping=True)


def migrations_path() -> str:
    """Where the Alembic scripts of this package live."""
    return str(resources.files("axilla.service").joinpath("migrations"))


class Store:
    """Cases and tokens in one database; thread-safe (one engine, a connection per call)."""

    def __init__(self, url: str, *, migrate: bool = True):
        self.url = url
        self.engine = make_engine(url)
        if migrate:
            self.migrate()

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision."""
        logging.getLogger("alembic").setLevel(logging.WARNING)  # no per-plugin start-up lines
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", migrations_path())
        with self.engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")

    def schema_revision(self) -> str | None:
        """The Alembic revision the database is at."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.text("SELECT version_num FROM alembic_version")).first()
        return row[0] if row else None

    def ping(self) -> bool:
        """True when the database answers."""
        try:
            with self.engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
            return True
        except sa.exc.SQLAlchemyError:
            return False

    def close(self) -> None:
        self.engine.dispose()

    # --- cases -------------------------------------------------------------------------------

    def save_case(
        self,
        *,
        case: Mapping[str, Any],
        assessment: Mapping[str, Any],
        author: str,
        input_hash: str,
        model_version: str,
        ruleset_version: str,
        axilla_version: str,
    ) -> CaseRecord:
        """Store a case and its assessment; returns only after the commit is durable."""
        record = CaseRecord(
            id=uuid.uuid4().hex,
            created_at=datetime.now(UTC),
            author=author,
            input=dict(case),
            assessment=dict(assessment),
            input_hash=input_hash,
            model_version=model_version,
            ruleset_version=ruleset_version,
            axilla_version=axilla_version,
        )
        with self.engine.begin() as conn:
            conn.execute(cases.insert().values(**record.__dict__))
        return record

    def get_case(self, case_id: str) -> CaseRecord | None:
        """One stored case, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(cases.select().where(cases.c.id == case_id)).mappings().first()
        if row is None:
            return None
        values = dict(row)
        values["created_at"] = _utc(values["created_at"])
        return CaseRecord(**values)

    def list_cases(self, *, limit: int = 50, offset: int = 0) -> tuple[list[CaseSummary], int]:
        """A page of stored cases, newest first, and the total count."""
        columns = [cases.c[name] for name in CaseSummary.__dataclass_fields__]
        query = (sa.select(*columns).order_by(cases.c.created_at.desc(), cases.c.id)
                 .limit(limit).offset(offset))
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
            total = conn.execute(sa.select(sa.func.count()).select_from(cases)).scalar_one()
        return [CaseSummary(**{**r, "created_at": _utc(r["created_at"])}) for r in rows], total

    # --- tokens ------------------------------------------------------------------------------

    def create_token(self, name: str) -> str:
        """A new bearer token for ``name``; only its hash is stored, the token is returned."""
        name = name.strip()
        if not name or len(name) > TOKEN_NAME_MAX or not name.isprintable():
            from axilla.errors import FieldProblem, InputError

            raise InputError([FieldProblem("name", name, f"must be 1 to {TOKEN_NAME_MAX} "
                                           "printable characters")])
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            conn.execute(api_tokens.insert().values(
                name=name, token_hash=hash_token(token), created_at=datetime.now(UTC)))
        return token

    def author_of(self, token: str) -> str | None:
        """The name of a valid (not revoked) token, or None."""
        query = sa.select(api_tokens.c.name).where(
            api_tokens.c.token_hash == hash_token(token), api_tokens.c.revoked_at.is_(None))
        with self.engine.connect() as conn:
            return conn.execute(query).scalar_one_or_none()

    def revoke_tokens(self, name: str) -> int:
        """Revoke every token of ``name``; returns how many were revoked."""
        with self.engine.begin() as conn:
            result = conn.execute(
                api_tokens.update()
                .where(api_tokens.c.name == name, api_tokens.c.revoked_at.is_(None))
                .values(revoked_at=datetime.now(UTC)))
        return result.rowcount

    def list_tokens(self) -> list[TokenInfo]:
        """Every token's name and dates, oldest first."""
        query = sa.select(api_tokens.c.name, api_tokens.c.created_at,
                          api_tokens.c.revoked_at).order_by(api_tokens.c.id)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [TokenInfo(n, _utc(c), _utc(r)) for n, c, r in rows]  # type: ignore[arg-type]
