"""Every public staging reference case, every expected column (tests/data/staging/cases.csv).

Expected values come from the reference file, generated from the staging specification.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from axilla.case.staging import staging_case_from_row
from axilla.staging import stage

CASES_CSV = Path(__file__).resolve().parents[1] / "data" / "staging" / "cases.csv"
with CASES_CSV.open(newline="", encoding="utf-8") as _fh:
    ROWS = list(csv.DictReader(_fh))


def test_reference_file_has_all_cases() -> None:
    assert len(ROWS) == 73


@pytest.mark.parametrize("row", ROWS, ids=[r["case_id"] for r in ROWS])
def test_reference_case(row: dict[str, str]) -> None:
    r = stage(staging_case_from_row(row))
    got = {
        "node_classes": ";".join(r.axillary_node_categories),
        "positive_nodes": str(r.positive_nodes),
        "pT": r.pT.display,
        "pN": r.pN.without_suffix,
        "pN_suffix": r.pN.suffix,
        "anatomic_stage": r.anatomic_stage or "NA",
        "path_prognostic_stage": r.pathological_prognostic_stage or "NA",
    }
    expected = {k: row[f"expected_{k}"] for k in got}
    assert got == expected, row["notes"]
    assert r.pN.display == row["expected_pN"] + row["expected_pN_suffix"]
    assert r.reasons, "every result carries its reasons"
