"""The case store on SQLite and PostgreSQL (each test runs on both): migrations, round trips,
paging, token hashing; SQLite's WAL and synchronous settings; settings from the environment."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from axilla.errors import InputError
from axilla.service.settings import DEFAULT_MAX_BODY_BYTES, Settings
from axilla.service.store import Store, api_tokens, cases

ASSESSMENT = {"schema_version": "1.0", "staging": {"pN": {"display": "pN1mi(sn)"}},
              "predict": {"os": [89.7, 93.8], "none": None}, "text": "Ünïcode – ok"}
CASE = {"patient": {"age_years": 54.0}, "nodes": [{"deposit_mm": 1.2}, {"deposit_mm": 0.0}]}


def save(store: Store, author: str = "mdt", **extra: str):
    return store.save_case(case=CASE, assessment=ASSESSMENT, author=author, input_hash="a" * 64,
                           model_version=extra.get("model_version", "3.2"),
                           ruleset_version="ng101-2025.1", axilla_version="0.1.0")


@pytest.fixture
def any_store(store_url: str):
    s = Store(store_url)
    yield s
    s.close()


def test_migrations_reach_head_and_are_idempotent(any_store: Store) -> None:
    assert any_store.schema_revision() == "0002"
    any_store.migrate()
    assert any_store.schema_revision() == "0002"
    names = set(sa.inspect(any_store.engine).get_table_names())
    assert {"cases", "api_tokens", "access_log", "alembic_version"} <= names


def test_case_round_trip(any_store: Store) -> None:
    before = datetime.now(UTC) - timedelta(seconds=1)
    saved = save(any_store)
    got = any_store.get_case(saved.id)
    assert got is not None
    assert got.input == CASE and got.assessment == ASSESSMENT
    assert got.author == "mdt" and got.model_version == "3.2"
    assert got.ruleset_version == "ng101-2025.1" and got.axilla_version == "0.1.0"
    assert got.created_at.tzinfo is not None
    assert before <= got.created_at <= datetime.now(UTC) + timedelta(seconds=1)
    assert any_store.get_case("f" * 32) is None


def test_listing_pages_newest_first(any_store: Store) -> None:
    ids = [save(any_store, author=f"a{i}").id for i in range(7)]
    page1, total = any_store.list_cases(limit=3, offset=0)
    page2, _ = any_store.list_cases(limit=3, offset=3)
    page3, _ = any_store.list_cases(limit=3, offset=6)
    assert total == 7
    assert [c.id for c in page1 + page2 + page3] == ids[::-1]
    assert any_store.list_cases(limit=3, offset=9) == ([], 7)


def test_tokens_are_stored_as_hashes_only(any_store: Store) -> None:
    token = any_store.create_token("breast care nurse")
    assert any_store.author_of(token) == "breast care nurse"
    assert any_store.author_of(token + "x") is None
    with any_store.engine.connect() as conn:
        rows = conn.execute(sa.select(api_tokens)).mappings().all()
    assert len(rows) == 1
    assert rows[0]["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert all(token not in str(v) for v in rows[0].values())


def test_tokens_are_unique_and_revocable(any_store: Store) -> None:
    t1, t2 = any_store.create_token("a"), any_store.create_token("a")
    other = any_store.create_token("b")
    assert t1 != t2
    assert any_store.revoke_tokens("a") == 2
    assert any_store.author_of(t1) is None and any_store.author_of(t2) is None
    assert any_store.author_of(other) == "b"
    assert [t.name for t in any_store.list_tokens() if t.revoked_at] == ["a", "a"]


@pytest.mark.parametrize("name", ["", "   ", "x" * 101, "tab\there"])
def test_token_names_are_checked(any_store: Store, name: str) -> None:
    with pytest.raises(InputError) as err:
        any_store.create_token(name)
    assert err.value.problems[0].field == "name"


def test_records_survive_reopening(store_url: str) -> None:
    first = Store(store_url)
    saved = save(first)
    first.close()
    again = Store(store_url)
    try:
        assert again.get_case(saved.id).assessment == ASSESSMENT
    finally:
        again.close()


def test_sqlite_uses_wal_and_full_sync(sqlite_url: str) -> None:
    s = Store(sqlite_url)
    try:
        with s.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    finally:
        s.close()


def test_sqlite_directory_is_created(tmp_path) -> None:
    s = Store(f"sqlite:///{tmp_path / 'var' / 'deep' / 'axilla.db'}")
    s.close()
    assert (tmp_path / "var" / "deep" / "axilla.db").exists()


def test_postgres_url_without_driver_uses_psycopg(postgres_url: str) -> None:
    plain = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    s = Store(plain)
    try:
        assert s.backend == "postgresql" and s.engine.dialect.driver == "psycopg"
        assert s.ping()
    finally:
        s.close()


def test_settings_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AXILLA_DATABASE_URL", raising=False)
    monkeypatch.delenv("AXILLA_MAX_BODY_BYTES", raising=False)
    default = Settings.from_env()
    assert default.database_url == "sqlite:///var/axilla.db"
    assert default.max_body_bytes == DEFAULT_MAX_BODY_BYTES == 256 * 1024
    monkeypatch.setenv("AXILLA_DATABASE_URL", "postgresql://u@h/db")
    monkeypatch.setenv("AXILLA_MAX_BODY_BYTES", "1000")
    env = Settings.from_env()
    assert env.database_url == "postgresql://u@h/db" and env.max_body_bytes == 1000
    assert Settings.from_env(database_url="sqlite:///x.db").database_url == "sqlite:///x.db"
    monkeypatch.setenv("AXILLA_MAX_BODY_BYTES", "lots")
    with pytest.raises(ValueError, match="AXILLA_MAX_BODY_BYTES"):
        Settings.from_env()


def test_case_table_keeps_provenance_columns() -> None:
    assert {"input", "assessment", "model_version", "ruleset_version", "axilla_version",
            "created_at", "author", "input_hash"} <= set(cases.c.keys())
