"""The house rules of the design that a test can check: small modules."""

from __future__ import annotations

from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "axilla"
MAX_LINES = 400


def test_no_module_is_over_400_lines() -> None:
    """DESIGN.md: modules under 400 lines, each with one reason to change."""
    long = {str(p.relative_to(SRC)): n for p in SRC.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, long
