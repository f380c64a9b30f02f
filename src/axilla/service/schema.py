"""The schema of the case store: tables, the records read from them, and the vocabulary of
tokens (scopes, teams) and of the access log (actions). Created by the Alembic migrations in
``migrations/``; the tables here name exactly what they create.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from axilla.service.vocabulary import (  # noqa: F401 (re-exported)
    ACTIONS,
    CASE_ID_PATTERN,
    DEFAULT_TEAM,
    SCOPES,
    TOKEN_NAME_MAX,
    TOKEN_PREFIX,
)

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
    sa.Column("team", sa.String(100), nullable=False, server_default=DEFAULT_TEAM),
    sa.Index("ix_cases_team_created_at", "team", "created_at"),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(100), nullable=False, index=True),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("team", sa.String(100), nullable=False, server_default=DEFAULT_TEAM),
    sa.Column("scopes", sa.String(50), nullable=False, server_default=" ".join(SCOPES)),
)

access_log = sa.Table(
    "access_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("token_id", sa.Integer, sa.ForeignKey("api_tokens.id"), nullable=False),
    sa.Column("action", sa.String(20), nullable=False),
    sa.Column("case_id", sa.String(64), nullable=True),
    sa.Column("status", sa.Integer, nullable=False),
)



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
    team: str = DEFAULT_TEAM


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
    """A token's id, name, team, scopes and dates; the token itself is never stored."""

    id: int
    name: str
    team: str
    scopes: tuple[str, ...]
    created_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True)
class Principal:
    """Who a valid token speaks for: its id (for the access log), name, team and scopes."""

    token_id: int
    name: str
    team: str
    scopes: frozenset[str]


@dataclass(frozen=True)
class AccessEntry:
    """One line of the access log: no patient data, only who did what to which case."""

    at: datetime
    token_id: int
    token_name: str
    team: str
    action: str
    case_id: str | None
    status: int
