"""Shared builders for the staging tests (AJCC 8th edition, revised 2018; docs/staging.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from axilla.case.staging import StagingCase, parse_staging_case


@pytest.fixture
def make_case() -> Callable[..., StagingCase]:
    """A T1c (14 mm) G2 ER+PR+HER2- case after axillary dissection, with the given nodes."""

    def build(nodes_mm: list[float] | None = None, *, procedure: str = "dissection",
              nodes: list[dict[str, Any]] | None = None, **overrides: Any) -> StagingCase:
        tumour = {"invasive_sizes_mm": [14], "grade": 2, "er": "positive", "pr": "positive",
                  "her2": "negative"}
        tumour.update(overrides.pop("tumour", {}))
        found_by = "sentinel" if procedure == "sentinel" else "dissection"
        node_list = [{"found_by": found_by, "deposit_mm": mm} for mm in (nodes_mm or [])]
        node_list += nodes or []
        data = {"tumour": tumour, "nodes": node_list, "procedure": {"kind": procedure}}
        data.update(overrides)
        return parse_staging_case(data)

    return build
