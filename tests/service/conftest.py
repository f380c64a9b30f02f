"""Fixtures of the service tests: stores on SQLite and PostgreSQL, an app with a test client,
tokens, and `axilla serve` as a real subprocess on a free loopback port."""

from __future__ import annotations

import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

warnings.filterwarnings("ignore", message=".*httpx2.*")

from fastapi.testclient import TestClient  # noqa: E402

from axilla.service.app import create_app  # noqa: E402
from axilla.service.settings import Settings  # noqa: E402
from axilla.service.store import Store  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
ARTIFACTS = ROOT / "test-artifacts"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def missing_program(what: str, hint: str) -> None:
    """Skip when the program is absent and we cannot install it; fail when we could have."""
    if IS_ROOT:
        pytest.fail(f"{what} is not installed; `make test` installs it ({hint})")
    pytest.skip(f"{what} is not installed and tests are not running as root ({hint})")


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """test-artifacts/ (git-ignored): screenshots and other outputs to look at after a run."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's chromium (installed by make test as root; never downloaded)."""
    found = shutil.which("chromium")
    if found is None:
        missing_program("chromium", "Debian package chromium")
    return str(found)


@pytest.fixture
def example_a() -> dict[str, Any]:
    """Example (a): 54, WLE + sentinel biopsy, 18 mm G2 ER+ PR+ HER2-, 1.2 mm micrometastasis
    in 1 of 2 sentinel nodes, post-menopausal."""
    return json.loads((EXAMPLES / "a_micrometastasis_sentinel.json").read_text("utf-8"))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'axilla.db'}"


# --- PostgreSQL ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bin() -> str | None:
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return str(Path(found).parent)
    for d in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.access(f"{d}/initdb", os.X_OK):
            return d
    return None


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """AXILLA_TEST_POSTGRES_URL, or a throwaway cluster started here (as make test does)."""
    url = os.environ.get("AXILLA_TEST_POSTGRES_URL", "").strip()
    if url:
        yield url
        return
    bindir = _pg_bin()
    if bindir is None:
        missing_program("PostgreSQL", "Debian package postgresql")
    workdir = tempfile.mkdtemp(prefix="axilla-pg-")
    run_as: list[str] = []
    if IS_ROOT:
        import pwd

        try:
            user = pwd.getpwnam("postgres").pw_name
        except KeyError:
            user = "nobody"
        shutil.chown(workdir, user)
        run_as = ["runuser", "-u", user, "--"]
    port = _free_port()
    data = f"{workdir}/data"
    subprocess.run([*run_as, f"{bindir}/initdb", "-D", data, "-U", "axilla", "--auth=trust",
                    "-E", "UTF8"], cwd=workdir, check=True, capture_output=True)
    subprocess.run([*run_as, f"{bindir}/pg_ctl", "-D", data, "-l", f"{workdir}/log", "-w", "-o",
                    f"-c listen_addresses=127.0.0.1 -p {port} -k {workdir}", "start"],
                   cwd=workdir, check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://axilla@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*run_as, f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "stop"],
                       cwd=workdir, capture_output=True)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh, empty database on the test PostgreSQL server, dropped afterwards."""
    import psycopg
    from sqlalchemy.engine import make_url

    base = make_url(postgres_server)
    name = f"axilla_test_{uuid.uuid4().hex[:12]}"
    admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each store test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'axilla.db'}"
    return request.getfixturevalue("postgres_url")


# --- the app in-process ----------------------------------------------------------------------


@pytest.fixture
def store(sqlite_url: str) -> Iterator[Store]:
    s = Store(sqlite_url)
    yield s
    s.close()


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=store.url, max_body_bytes=64 * 1024), store=store)
    with TestClient(app) as c:
        yield c


@pytest.fixture
def token(store: Store) -> str:
    return store.create_token("breast care nurse")


@pytest.fixture
def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# --- `axilla serve` as a subprocess ----------------------------------------------------------


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    database_url: str
    log: Path

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def start_server(database_url: str, workdir: Path, *extra: str) -> Server:
    """`axilla serve` on a free loopback port; returns once /healthz answers."""
    port = _free_port()
    log = workdir / f"server-{port}.log"
    with log.open("wb") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "axilla", "serve", "--host", "127.0.0.1", "--port", str(port),
             "--database-url", database_url, "--log-level", "warning", *extra],
            cwd=workdir, stdout=fh, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text(errors='replace')}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return Server(url, proc, database_url, log)
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"server did not start: {log.read_text(errors='replace')}")


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    started: list[Server] = []

    def run(database_url: str | None = None, *extra: str) -> Server:
        server = start_server(database_url or f"sqlite:///{tmp_path / 'axilla.db'}", tmp_path,
                              *extra)
        started.append(server)
        return server

    yield run
    for s in started:
        s.stop()
