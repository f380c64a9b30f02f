"""Fixtures of the page tests: the service fixtures (app client, `axilla serve`, chromium,
test-artifacts/) and, for the browser tests, one Chromium and axe-core (AXILLA_AXE_JS, installed
from the npm registry by scripts/test-services.sh)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from service.conftest import (  # noqa: F401  (fixtures shared with the service tests)
    artifacts_dir,
    chromium_path,
    client,
    serve,
    sqlite_url,
    store,
)

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[Any]:  # noqa: F811
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def axe_js() -> str:
    """The text of axe.min.js; skip (naming the variable) when the set-up did not install it."""
    path = os.environ.get("AXILLA_AXE_JS", "")
    if not path or not Path(path).is_file():
        pytest.skip("AXILLA_AXE_JS not set: scripts/test-services.sh installs axe-core from npm")
    return Path(path).read_text("utf-8")
