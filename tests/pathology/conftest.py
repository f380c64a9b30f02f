"""The real CAMELYON reference folder beside the repository (skipped, named, when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CAMELYON = REPO.parent / "shared" / "reference" / "pathology" / "camelyon"


@pytest.fixture(scope="session")
def camelyon() -> Path:
    """The real CAMELYON data folder beside the repository; skip when absent."""
    if not CAMELYON.is_dir():
        pytest.skip(f"reference folder {CAMELYON} is absent")
    return CAMELYON
