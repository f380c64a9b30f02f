"""Column mappings: registry names, codes and units to axilla's vocabulary; `cohort check`."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from axilla.cohort.mapping import load_mapping, parse_mapping
from axilla.errors import InputError
from cohort.helpers import axilla, read_errors, read_table, write_csv

MAPPINGS = Path(__file__).resolve().parents[2] / "examples" / "mappings"


def rotterdam_row(**changes: object) -> dict[str, object]:
    row: dict[str, object] = {"pid": 1, "year": 1988, "age": 50, "meno": 0, "size": "20-50",
                              "grade": 3, "nodes": 2, "pgr": 5, "er": 15, "hormon": 0,
                              "chemo": 1, "rtime": 1000, "recur": 1, "dtime": 3652.5,
                              "death": 1}
    row.update(changes)
    return row


@pytest.mark.parametrize("name", ["rotterdam.yaml", "gbsg2.yaml", "registry_example.yaml"])
def test_example_mappings_load(name):
    mapping = load_mapping(MAPPINGS / name)
    assert mapping.description


def test_rotterdam_codes_units_and_thresholds_by_hand():
    mapping = load_mapping(MAPPINGS / "rotterdam.yaml")
    raw = {k: np.asarray(v, dtype=object) for k, v in {
        "size": ["<=20", "20-50", ">50"], "er": [9.9, 10, 300], "pgr": ["", 4, 10],
        "chemo": [0, 1, 1], "hormon": [1, 0, 1], "age": [40, 50, 60], "grade": [2, 3, 3],
        "nodes": [0, 3, 12]}.items()}
    out, problems = mapping.apply(raw)
    assert problems == []
    assert out["size"].tolist() == [15, 30, 60]  # stated imputation inside each category
    assert out["er"].tolist() == [0, 1, 1]  # >= 10 fmol/l positive
    assert np.isnan(out["pr"][0]) and out["pr"][1:].tolist() == [0, 1]
    assert out["generation"].tolist() == [0, 2, 2]
    assert out["traz"].tolist() == [0, 0, 0]  # default


def test_run_with_the_rotterdam_mapping_refuses_unmapped_codes(tmp_path):
    rows = [rotterdam_row(pid=1), rotterdam_row(pid=2, size="50+"),
            rotterdam_row(pid=3, size="<=20", er=3, chemo=0)]
    out = tmp_path / "out.csv"
    done = axilla("cohort", "run", str(write_csv(tmp_path / "rdam.csv", rows)), str(out),
                  "--mapping", str(MAPPINGS / "rotterdam.yaml"))
    assert done.returncode == 1, done.stderr
    got = read_table(out)
    assert got["pid"].tolist() == ["1", "3"]  # keep from the mapping
    assert got["pT"].tolist() == ["T2", "T1c"]
    [error] = read_errors(tmp_path / "out.errors.csv")
    assert (error["row"], error["field"], error["value"]) == ("2", "size", "50+")
    assert "'<=20', '20-50', '>50'" in error["reason"]


def test_check_reports_unused_columns_and_unmapped_codes(tmp_path):
    rows = [rotterdam_row(), rotterdam_row(size="huge"), rotterdam_row(chemo=7),
            rotterdam_row(age="fifty")]
    src = write_csv(tmp_path / "rdam.csv", rows)
    done = axilla("cohort", "check", str(src), "--mapping", str(MAPPINGS / "rotterdam.yaml"))
    assert done.returncode == 1, done.stderr
    text = done.stdout
    assert "4 rows" in text
    assert "unused columns: year, meno, rtime, recur" in text
    assert "unmapped codes in size: 'huge' x 1" in text
    assert "unmapped codes in chemo: '7' x 1" in text
    assert "values that are not numbers in age: 'fifty' x 1" in text
    clean = axilla("cohort", "check", str(write_csv(tmp_path / "ok.csv", [rotterdam_row()])),
                   "--mapping", str(MAPPINGS / "rotterdam.yaml"))
    assert clean.returncode == 0 and "missing required inputs: none" in clean.stdout


def test_registry_texts_and_centimetres(tmp_path):
    row = {"RecordId": "R1", "AgeAtDiagnosis": 61, "TumourSizeCm": 2.4, "Grade": "GX",
           "PositiveNodes": 0, "ER": ">=10 fmol/l", "HER2": "Equivocal", "PR": "P",
           "Chemo": "None", "Endocrine": "Yes", "Trastuzumab": "No", "Radiotherapy": "Yes",
           "M": "M0"}
    out = tmp_path / "out.csv"
    done = axilla("cohort", "run", str(write_csv(tmp_path / "reg.csv", [row])), str(out),
                  "--mapping", str(MAPPINGS / "registry_example.yaml"))
    assert done.returncode == 0, done.stderr
    got = read_table(out)
    assert got["RecordId"].tolist() == ["R1"]
    assert got["pT"].tolist() == ["T2"]  # 2.4 cm = 24 mm
    assert got["npi_score"].tolist() == [""]  # grade GX -> unknown -> no NPI


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ({"colums": {}}, "colums"),
        ({"units": {"size": "inch"}}, "units.size"),
        ({"thresholds": {"er": 10}}, "thresholds.er"),
        ({"codes": {"horm": {True: 1}}}, "codes.horm"),
        ({"codes": {"horm": "yes"}}, "codes.horm"),
        ({"keep": "id"}, "keep"),
    ],
)
def test_bad_mappings_name_the_section(data, where):
    with pytest.raises(InputError) as info:
        parse_mapping(data, "map.yaml")
    assert where in info.value.problems[0].field
