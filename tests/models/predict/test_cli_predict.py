"""`axilla predict` as a user runs it: a subprocess, one patient or a CSV file."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from support.predict_reference import DATA, FILES, load_reference


def axilla(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "axilla", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=120)


EXAMPLE = ["--age", "50", "--size-mm", "20", "--grade", "2", "--nodes", "2", "--er", "pos",
           "--her2", "neg", "--ki67", "pos", "--pr", "pos", "--screen", "symptomatic",
           "--generation", "3", "--horm", "--traz", "--bis", "--radio", "--heart-gy", "4",
           "--smoker"]


@pytest.mark.parametrize("version", FILES)
def test_full_output_reproduces_each_reference_file(version, tmp_path):
    out = tmp_path / "out.csv"
    done = axilla("predict", "--version", version, "--input", str(DATA / f"v{version}.csv"),
                  "--output", str(out), "--full")
    assert done.returncode == 0, done.stderr
    with out.open() as fh:
        rows = list(csv.DictReader(fh))
    ref = load_reference(version)
    assert [int(r["id"]) for r in rows] == ref.ids
    for name, expected in ref.outputs.items():
        got = np.array([float(r[name]) for r in rows])
        if name.startswith("ben_"):
            np.testing.assert_array_equal(got, expected, err_msg=name)
        else:
            np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9, err_msg=name)
    assert not (tmp_path / "out.errors.csv").exists()


def test_one_patient_json_matches_the_spec_worked_example():
    done = axilla("predict", *EXAMPLE, "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["model"]["version"] == "3.2" and result["model"]["current"] is True
    os_surgery = result["surgery_only"]["overall_survival_pct"]
    # spec/predict.md sec. 7: benefits32 defaults
    assert abs(os_surgery["10"] - 83.143121217010588) <= 1e-9
    assert abs(result["steps"][-1]["overall_survival_pct"]["10"] - 92.535980788713104) <= 1e-9
    assert result["total_benefit"]["displayed_pp"]["10"] == 9.4
    assert result["extended_total_benefit"]["displayed_pp"]["15"] == 14.3


def test_one_patient_table_names_the_version_and_its_source():
    done = axilla("predict", *EXAMPLE)
    assert done.returncode == 0, done.stderr
    assert "PREDICT Breast 3.2 (current official version)" in done.stdout
    assert "Surgery only" in done.stdout and "83.1" in done.stdout
    assert "WintonCentre/predict-v30-r" in done.stdout


def test_older_version_is_chosen_by_flag():
    done = axilla("predict", *EXAMPLE, "--version", "3.1", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["model"]["version"] == "3.1"
    # spec sec. 7: v3.1 OS surgery only at 10 y for the same patient
    assert abs(result["surgery_only"]["overall_survival_pct"]["10"] - 89.081940245286361) <= 1e-9


@pytest.mark.parametrize(
    ("flags", "words"),
    [
        (["--age", "90"], ["--age", "90", "25 to 85"]),
        (["--size-mm", "0"], ["--size-mm", "1 to 500"]),
        (["--nodes", "1.3"], ["--nodes", "1.3", "0 to 50"]),
        (["--heart-gy", "-1"], ["--heart-gy", "0 to 50"]),
    ],
)
def test_out_of_range_flag_is_refused_with_one_line(flags, words):
    args = dict(zip(EXAMPLE[::2], EXAMPLE[1::2], strict=False))
    base = [a for a in EXAMPLE]
    i = base.index(flags[0])
    base[i + 1] = flags[1]
    done = axilla("predict", *base)
    assert done.returncode == 2
    line = done.stderr.strip()
    assert "\n" not in line, line
    for w in words:
        assert w in line
    assert args  # the example was well-formed


def test_bad_code_and_unknown_version_exit_2():
    done = axilla("predict", *EXAMPLE[:-1], "--er", "maybe")
    assert done.returncode == 2 and "er" in done.stderr
    done = axilla("predict", *EXAMPLE, "--version", "4.0")
    assert done.returncode == 2 and "4.0" in done.stderr and "3.2" in done.stderr
    done = axilla("predict", "--age", "50")
    assert done.returncode == 2 and "--size-mm" in done.stderr


def test_batch_with_bad_rows_writes_an_error_file_and_still_computes(tmp_path):
    src = tmp_path / "cohort.csv"
    header = ["id", "age", "screen", "size", "grade", "nodes", "er", "her2", "ki67", "pr",
              "generation", "horm", "traz", "bis", "radio", "heart_gy", "smoker"]
    good = ["a", 50, 0, 20, 2, 2, 1, 0, 1, 1, 3, 1, 1, 1, 1, 4, 1]
    too_old = ["b", 86, 0, 20, 2, 2, 1, 0, 1, 1, 3, 1, 1, 1, 1, 4, 1]
    bad_grade = ["c", 50, 0, 20, 4, 2, 1, 0, 1, 1, 3, 1, 1, 1, 1, 4, 1]
    missing_markers = ["d", 60, "", 30, "", 1, 0, "", "", "", 2, 0, 0, 0, 1, 0, 0]
    with src.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerows([header, good, too_old, bad_grade, missing_markers])
    out = tmp_path / "result.csv"
    done = axilla("predict", "--input", str(src), "--output", str(out))
    assert done.returncode == 1, done.stderr
    with out.open() as fh:
        rows = list(csv.DictReader(fh))
    assert [r["id"] for r in rows] == ["a", "d"]
    assert [r["row"] for r in rows] == ["1", "4"]
    assert abs(float(rows[0]["os_s_y10"]) - 83.143121217010588) <= 1e-9
    with (tmp_path / "result.errors.csv").open() as fh:
        errors = list(csv.DictReader(fh))
    assert [(e["row"], e["field"]) for e in errors] == [("2", "age"), ("3", "grade")]
    assert "25 to 85" in errors[0]["reason"] and errors[0]["value"] == "86"


def test_batch_with_missing_column_is_unusable(tmp_path):
    src = tmp_path / "x.csv"
    src.write_text("age,size\n50,20\n")
    done = axilla("predict", "--input", str(src), "--output", str(tmp_path / "o.csv"))
    assert done.returncode == 2 and "nodes" in done.stderr
    done = axilla("predict", "--input", str(tmp_path / "absent.csv"),
                  "--output", str(tmp_path / "o.csv"))
    assert done.returncode == 2 and "absent.csv" in done.stderr


# --- issue 8: unreadable codes are row errors, never "unknown" -----------------------------

HEADER = ["id", "age", "screen", "size", "grade", "nodes", "er", "her2", "ki67", "pr",
          "generation", "horm", "traz", "bis", "radio", "heart_gy", "smoker"]


def _batch(tmp_path: Path, rows: list[list[object]]) -> tuple[subprocess.CompletedProcess,
                                                              list[dict], list[dict]]:
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    with src.open("w", newline="") as fh:
        csv.writer(fh).writerows([HEADER, *rows])
    done = axilla("predict", "--input", str(src), "--output", str(out))
    with out.open(newline="") as fh:
        written = list(csv.DictReader(fh))
    errors_file = tmp_path / "out.errors.csv"
    errors = list(csv.DictReader(errors_file.open(newline=""))) if errors_file.exists() else []
    return done, written, errors


def test_roman_grade_is_a_row_error_not_unknown(tmp_path):
    row = ["r", 50, 0, 20, "III", 2, 1, 0, 1, 1, 3, 1, 1, 1, 1, 4, 1]
    unknown = ["u", 50, 0, 20, "", 2, 1, 0, 1, 1, 3, 1, 1, 1, 1, 4, 1]
    done, written, errors = _batch(tmp_path, [row, unknown])
    assert done.returncode == 1
    assert [r["id"] for r in written] == ["u"]
    assert [(e["row"], e["field"], e["value"]) for e in errors] == [("1", "grade", "III")]
    assert "3 (grade 3)" in errors[0]["reason"]


def test_her2_written_as_a_word_is_read_as_that_code_not_unknown(tmp_path):
    words = ["w", 50, "symptomatic", 20, 2, 2, "positive", "positive", "negative", "pos",
             "third", 1, 1, 1, 1, 4, 1]
    codes = ["c", 50, 0, 20, 2, 2, 1, 1, 0, 1, 3, 1, 1, 1, 1, 4, 1]
    done, written, errors = _batch(tmp_path, [words, codes])
    assert done.returncode == 0, done.stderr
    assert errors == []
    by_id = {r["id"]: r for r in written}
    outputs = [k for k in by_id["c"] if k.startswith(("os_", "benefit_"))]
    assert outputs and all(by_id["w"][k] == by_id["c"][k] for k in outputs)


@pytest.mark.parametrize(("column", "value"), [("her2", "maybe"), ("age", "5_0"),
                                               ("horm", "true"), ("size", "nan")])
def test_unreadable_cells_are_row_errors(tmp_path, column, value):
    row = ["x", 50, 0, 20, 2, 2, 1, 0, 1, 1, 3, 1, 1, 1, 1, 4, 1]
    row[HEADER.index(column)] = value
    done, written, errors = _batch(tmp_path, [row])
    assert done.returncode == 1
    assert written == []
    assert [(e["row"], e["field"], e["value"]) for e in errors] == [("1", column, value)]


def test_stale_errors_file_is_removed_and_the_summary_is_one_line(tmp_path):
    (tmp_path / "out.errors.csv").write_text("row,field,value,reason\n1,age,86,old\n")
    row = ["x", 50, 0, 20, 2, 2, 1, 0, 1, 1, 3, 1, 1, 1, 1, 4, 1]
    done, _, errors = _batch(tmp_path, [row])
    assert done.returncode == 0 and errors == []
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("axilla predict: 1 of 1 row(s) computed")


def test_help_quotes_the_ranges_of_the_inputs():
    from axilla.case.predict import PREDICT_INPUT_RULES

    text = " ".join(axilla("predict", "--help").stdout.split())
    for name in ("age", "size", "nodes", "heart_gy"):
        assert PREDICT_INPUT_RULES[name].describe() in text, name
