"""Every public worked case of the indices case file (spec section 7), via the library."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from axilla.case.indices import validate_index_columns
from axilla.models.cts5 import compute_cts5
from axilla.models.npi import compute_npi
from axilla.models.vnpi import compute_vnpi

CASES = Path(__file__).resolve().parents[1] / "data" / "indices" / "cases.csv"


def _rows() -> list[dict[str, str]]:
    with CASES.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


ROWS = _rows()


def _value(index: str, output: str, inputs: dict) -> str | float:
    rules = {"NPI": "NPI", "NPI_SURV10": "NPI", "CTS5": "CTS5", "VNPI": "VNPI"}[index]
    checked = validate_index_columns(rules, {k: [v] for k, v in inputs.items()})
    assert checked.valid.all(), checked.problems
    c = checked.columns
    if rules == "NPI":
        out = compute_npi(c["size_mm"], c["positive_nodes"], c["grade"])
        return {
            "node_stage": str(out.node_stage[0]),
            "score": float(out.score[0]),
            "npi": float(out.score[0]),
            "group6": str(out.group6[0]),
            "group3": str(out.group3[0]),
            "surv10_pct": float(out.surv10_pct[0]),
        }[output]
    if rules == "CTS5":
        out = compute_cts5(c["age_years"], c["size_mm"], c["grade"], c["positive_nodes"])
        return {
            "node_category": str(out.node_category[0]),
            "score": float(out.score[0]),
            "group": str(out.group[0]),
            "risk_5_10y_pct": float(out.risk_5_10y_pct[0]),
        }[output]
    out = compute_vnpi(
        c["size_mm"], c["margin_mm"], c["nuclear_grade"], c["comedo_necrosis"], c["age_years"]
    )
    parts = (out.size_score[0], out.margin_score[0], out.pathology_score[0], out.age_score[0])
    return {
        "subscores": "|".join(str(int(p)) for p in parts),
        "score": str(int(out.score[0])),
        "group": str(out.group[0]),
    }[output]


def test_the_case_file_has_every_public_row():
    assert len(ROWS) == 164
    assert {r["index"] for r in ROWS} == {"NPI", "NPI_SURV10", "CTS5", "VNPI"}


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['case_id']}-{r['output']}" for r in ROWS])
def test_public_case(row):
    got = _value(row["index"], row["output"], json.loads(row["inputs"]))
    if row["tolerance"]:
        assert not np.isnan(got)
        assert abs(float(got) - float(row["expected"])) <= float(row["tolerance"]) + 1e-12
    else:
        assert got == row["expected"]
