"""Stored cases, API tokens and the access log: SQLAlchemy 2 over SQLite (default, WAL) or
PostgreSQL.

Each case record keeps the input case, its assessment, the model and rule-set versions that
produced it, the created time, the author (the name of the token used) and the team that owns
it. Tokens are kept as SHA-256 hashes only; each belongs to a team and carries scopes (read,
write). Every read, list and write of a stored case is recorded in ``access_log`` (token id,
time, action, case id, status; never patient data). The schema is created and upgraded by the
Alembic migrations in ``migrations/`` (``Store.migrate``), never by ``create_all``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

from axilla.service.schema import (
    ACTIONS,
    CASE_ID_PATTERN,
    DEFAULT_TEAM,
    SCOPES,
    TOKEN_NAME_MAX,
    TOKEN_PREFIX,
    AccessEntry,
    CaseRecord,
    CaseSummary,
    Principal,
    TokenInfo,
    access_log,
    api_tokens,
    cases,
    metadata,
)

__all__ = ["ACTIONS", "CASE_ID_PATTERN", "DEFAULT_TEAM", "SCOPES", "AccessEntry", "CaseRecord",
           "CaseSummary", "Principal", "Store", "TokenInfo", "access_log", "api_tokens", "cases",
           "metadata"]


def hash_token(token: str) -> str:
    """SHA-256 of a token (tokens are 256-bit random, so an unsalted fast hash suffices)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _utc(value: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes; every stored time is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL journal and synchronous commits: an acknowledged write survives a crash. The busy
    timeout comes first, so two processes opening a new file wait for each other."""
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL (None for other databases and in-memory ones)."""
    parsed = make_url(url)
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:" \
            or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def create_private_file(path: Path) -> None:
    """Create ``path`` readable by its owner only (0600), its directory 0700 when new; an
    existing file is left as it is. SQLite gives its -wal and -shm files the same mode."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files are created 0600 with WAL switched on. SQL
    parameters (which hold case content) are never put in error messages or logs."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_file(url)
        if path is not None:
            create_private_file(path)
        engine = sa.create_engine(
            parsed, connect_args={"check_same_thread": False, "timeout": 10},
            hide_parameters=True,
        )
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return sa.create_engine(parsed, pool_pre_ping=True, hide_parameters=True)


#: Key of the PostgreSQL advisory lock held while migrating (any constant shared by servers).
_MIGRATION_LOCK_KEY = 0x61786C6C


@contextmanager
def _migration_lock(url: str) -> Iterator[None]:
    """One migrating process at a time on a SQLite file (an flock on a 0600 side file), so two
    servers started together on a new file both come up."""
    path = sqlite_file(url)
    if path is None:
        yield
        return
    import fcntl

    lock_path = path.with_name(path.name + ".migrate-lock")
    create_private_file(lock_path)
    with lock_path.open("r+b") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


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
        with _migration_lock(self.url), self.engine.begin() as connection:
            if self.backend == "postgresql":
                connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"),
                                   {"key": _MIGRATION_LOCK_KEY})
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
        team: str = DEFAULT_TEAM,
        token_id: int | None = None,
    ) -> CaseRecord:
        """Store a case and its assessment (and, with ``token_id``, its access-log line in the
        same transaction); returns only after the commit is durable."""
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
            team=team,
        )
        with self.engine.begin() as conn:
            conn.execute(cases.insert().values(**record.__dict__))
            if token_id is not None:
                conn.execute(self._access_row(token_id, "create", record.id, 201))
        return record

    def get_case(self, case_id: str, *, team: str | None = None) -> CaseRecord | None:
        """One stored case (of ``team`` when given), or None."""
        query = cases.select().where(cases.c.id == case_id)
        if team is not None:
            query = query.where(cases.c.team == team)
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        if row is None:
            return None
        values = dict(row)
        values["created_at"] = _utc(values["created_at"])
        return CaseRecord(**values)

    def list_cases(self, *, limit: int = 50, offset: int = 0, team: str | None = None
                   ) -> tuple[list[CaseSummary], int]:
        """A page of stored cases (of ``team`` when given), newest first, and the total."""
        columns = [cases.c[name] for name in CaseSummary.__dataclass_fields__]
        where = [] if team is None else [cases.c.team == team]
        query = (sa.select(*columns).where(*where)
                 .order_by(cases.c.created_at.desc(), cases.c.id).limit(limit).offset(offset))
        count = sa.select(sa.func.count()).select_from(cases).where(*where)
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
            total = conn.execute(count).scalar_one()
        return [CaseSummary(**{**r, "created_at": _utc(r["created_at"])}) for r in rows], total

    # --- access log --------------------------------------------------------------------------

    @staticmethod
    def _access_row(token_id: int, action: str, case_id: str | None, status: int) -> sa.Insert:
        if action not in ACTIONS:
            raise ValueError(f"access log action {action!r}: must be one of {ACTIONS}")
        return access_log.insert().values(at=datetime.now(UTC), token_id=token_id,
                                          action=action, case_id=case_id, status=status)

    def record_access(self, token_id: int, action: str, case_id: str | None,
                      status: int) -> None:
        """Add a line to the access log (committed before the data is sent)."""
        with self.engine.begin() as conn:
            conn.execute(self._access_row(token_id, action, case_id, status))

    def access_entries(self, *, since: datetime | None = None, case_id: str | None = None,
                       token_name: str | None = None, limit: int = 1000) -> list[AccessEntry]:
        """Access-log lines, oldest first, with the token's name and team."""
        query = (sa.select(access_log.c.at, access_log.c.token_id, api_tokens.c.name,
                           api_tokens.c.team, access_log.c.action, access_log.c.case_id,
                           access_log.c.status)
                 .join(api_tokens, api_tokens.c.id == access_log.c.token_id)
                 .order_by(access_log.c.id).limit(limit))
        if since is not None:
            query = query.where(access_log.c.at >= since)
        if case_id is not None:
            query = query.where(access_log.c.case_id == case_id)
        if token_name is not None:
            query = query.where(api_tokens.c.name == token_name)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [AccessEntry(_utc(at), tid, name, team, action, cid, status)  # type: ignore[arg-type]
                for at, tid, name, team, action, cid, status in rows]

    # --- tokens ------------------------------------------------------------------------------

    def create_token(self, name: str, *, team: str = DEFAULT_TEAM,
                     scopes: tuple[str, ...] = SCOPES) -> str:
        """A new bearer token for ``name`` in ``team`` with ``scopes``; only its hash is
        stored, the token is returned."""
        from axilla.errors import FieldProblem, InputError

        name, team = name.strip(), team.strip()
        problems = [FieldProblem(field, value, f"must be 1 to {TOKEN_NAME_MAX} printable "
                                 "characters") for field, value in (("name", name), ("team", team))
                    if not value or len(value) > TOKEN_NAME_MAX or not value.isprintable()]
        wrong = [s for s in scopes if s not in SCOPES]
        if wrong or not scopes:
            problems.append(FieldProblem("scopes", ",".join(scopes),
                                         f"choose one or more of {', '.join(SCOPES)}"))
        if problems:
            raise InputError(problems)
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        kept = " ".join(s for s in SCOPES if s in scopes)
        with self.engine.begin() as conn:
            conn.execute(api_tokens.insert().values(
                name=name, token_hash=hash_token(token), created_at=datetime.now(UTC),
                team=team, scopes=kept))
        return token

    def principal_of(self, token: str) -> Principal | None:
        """Who a valid (not revoked) token speaks for, or None."""
        query = sa.select(api_tokens.c.id, api_tokens.c.name, api_tokens.c.team,
                          api_tokens.c.scopes).where(
            api_tokens.c.token_hash == hash_token(token), api_tokens.c.revoked_at.is_(None))
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        return Principal(row.id, row.name, row.team, frozenset(row.scopes.split()))

    def author_of(self, token: str) -> str | None:
        """The name of a valid (not revoked) token, or None."""
        principal = self.principal_of(token)
        return principal.name if principal else None

    def revoke_tokens(self, name: str) -> int:
        """Revoke every token of ``name``; returns how many were revoked."""
        with self.engine.begin() as conn:
            result = conn.execute(
                api_tokens.update()
                .where(api_tokens.c.name == name, api_tokens.c.revoked_at.is_(None))
                .values(revoked_at=datetime.now(UTC)))
        return result.rowcount

    def list_tokens(self) -> list[TokenInfo]:
        """Every token's id, name, team, scopes and dates, oldest first."""
        t = api_tokens.c
        query = sa.select(t.id, t.name, t.team, t.scopes, t.created_at, t.revoked_at
                          ).order_by(t.id)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [TokenInfo(i, n, team, tuple(sc.split()), _utc(c), _utc(r))  # type: ignore[arg-type]
                for i, n, team, sc, c, r in rows]
