"""`axilla indices` run as a subprocess: batch, one-case forms, bad input."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

CASES = Path(__file__).resolve().parents[1] / "data" / "indices" / "cases.csv"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "axilla", "indices", *args],
        capture_output=True, text=True, timeout=120,
    )


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_batch_reproduces_every_public_case(tmp_path):
    out = tmp_path / "values.csv"
    done = _run("--input", str(CASES), "--output", str(out))
    assert done.returncode == 0, done.stderr
    expected, got = _read(CASES), _read(out)
    assert [(r["case_id"], r["output"]) for r in got] == [
        (r["case_id"], r["output"]) for r in expected
    ]
    for want, row in zip(expected, got, strict=True):
        if want["tolerance"]:
            assert abs(float(row["value"]) - float(want["expected"])) <= float(
                want["tolerance"]
            ) + 1e-12, row
        else:
            assert row["value"] == want["expected"], row
        assert row["provenance"]
    risk = [r for r in got if r["output"] == "risk_5_10y_pct"]
    assert all("RECONSTRUCTED" in r["provenance"] for r in risk)
    assert all("approximate" in r["warnings"] for r in risk)
    assert not (tmp_path / "values.errors.csv").exists()  # no row refused, no errors file


def test_batch_sends_bad_rows_to_the_error_file_and_computes_the_rest(tmp_path):
    source = tmp_path / "mixed.csv"
    source.write_text(
        "case_id,index,inputs,output\n"
        'A,NPI,"{""size_mm"": 15, ""positive_nodes"": 0, ""grade"": 1}",group6\n'
        'B,NPI,"{""size_mm"": 15, ""positive_nodes"": 0, ""grade"": 5}",group6\n'
        'C,CTS5,"{""age_years"": 60, ""size_mm"": 20, ""grade"": 2, ""positive_nodes"": 0}",'
        "score\n"
        "D,NPI,{not json},score\n"
        'E,PREDICT,"{}",score\n'
        'F,VNPI,"{""size_mm"": 20, ""margin_mm"": 5, ""nuclear_grade"": 2, '
        '""comedo_necrosis"": true, ""age_years"": 55}",group\n',
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    done = _run("--input", str(source), "--output", str(out))
    assert done.returncode == 1
    rows = _read(out)
    assert [r["value"] for r in rows] == ["EPG", "", "3.1912", "", "", "intermediate"]
    errors = _read(tmp_path / "out.errors.csv")
    assert list(errors[0]) == ["row", "field", "value", "reason"]
    assert [(e["row"], e["field"], e["value"]) for e in errors] == [
        ("2", "grade", "5"), ("4", "inputs", "{not json}"), ("5", "index", "PREDICT"),
    ]
    assert "one of 1" in errors[0]["reason"]


def test_batch_without_the_needed_columns_is_unusable(tmp_path):
    source = tmp_path / "wrong.csv"
    source.write_text("id,what\n1,2\n", encoding="utf-8")
    done = _run("--input", str(source), "--output", str(tmp_path / "o.csv"))
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert "case_id" in done.stderr


def test_missing_input_file_is_unusable(tmp_path):
    done = _run("--input", str(tmp_path / "absent.csv"), "--output", str(tmp_path / "o.csv"))
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1


def test_neither_form_is_unusable():
    done = _run()
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1


def test_one_case_npi_prints_score_group_and_source():
    done = _run("npi", "--size-mm", "15", "--positive-nodes", "0", "--grade", "1")
    assert done.returncode == 0, done.stderr
    for text in ("2.300", "EPG", "good", "96.22", "Haybittle"):
        assert text in done.stdout


def test_one_case_npi_json():
    done = _run("npi", "--size-mm", "20", "--positive-nodes", "4", "--grade", "3", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["score"] == 6.4
    assert result["group6"] == "PPG" and result["group3"] == "poor"
    assert result["surv10_pct"] == 39.36
    assert result["provenance"]["model"] == "Nottingham Prognostic Index"
    assert "Haybittle" in result["provenance"]["source"]


def test_one_case_cts5_json_labels_risk_approximate():
    done = _run("cts5", "--age-years", "50", "--size-mm", "35", "--grade", "2",
                "--positive-nodes", "5", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert abs(result["score"] - 4.7621) < 5e-4
    assert result["group"] == "high"
    assert result["node_category"] == 3
    assert abs(result["risk_5_10y_pct"] - 22.96) < 0.05
    assert "approximate" in result["risk_5_10y_label"]
    assert result["size_capped"] is True
    assert "Dowsett" in result["provenance"]["source"]


def test_one_case_cts5_without_size_cap():
    done = _run("cts5", "--age-years", "50", "--size-mm", "35", "--grade", "2",
                "--positive-nodes", "5", "--no-cts5-size-cap", "--json")
    result = json.loads(done.stdout)
    assert abs(result["score"] - 4.9004) < 5e-4
    assert "uncapped" in result["provenance"]["variant"]


def test_one_case_vnpi():
    done = _run("vnpi", "--size-mm", "30", "--margin-mm", "0.8", "--nuclear-grade", "3",
                "--comedo-necrosis", "no", "--age-years", "45", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["subscores"] == [2, 3, 3, 2]
    assert result["score"] == 10 and result["group"] == "high"
    text = _run("vnpi", "--size-mm", "30", "--margin-mm", "0.8", "--nuclear-grade", "3",
                "--comedo-necrosis", "no", "--age-years", "45")
    assert "2|3|3|2" in text.stdout and "Silverstein" in text.stdout


def test_bad_one_case_input_exits_2_with_one_line_naming_field_value_range():
    done = _run("npi", "--size-mm", "15", "--positive-nodes", "0", "--grade", "4")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "grade" in lines[0] and "'4'" in lines[0] and "one of 1" in lines[0]
    assert done.stdout == ""


def test_missing_one_case_argument_exits_2_with_one_line():
    done = _run("cts5", "--age-years", "60")
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert "--size-mm" in done.stderr


def test_er_negative_cts5_is_refused():
    done = _run("cts5", "--age-years", "60", "--size-mm", "20", "--grade", "2",
                "--positive-nodes", "0", "--er-negative")
    assert done.returncode == 2
    assert "er_positive" in done.stderr


# --- issue 8: one batch layer --------------------------------------------------------------


def test_batch_writes_newline_endings_and_removes_a_stale_errors_file(tmp_path):
    out = tmp_path / "values.csv"
    stale = tmp_path / "values.errors.csv"
    stale.write_text("row,field,value,reason\n1,size_mm,-1,old run\n")
    done = _run("--input", str(CASES), "--output", str(out))
    assert done.returncode == 0, done.stderr
    assert b"\r\n" not in out.read_bytes()
    assert not stale.exists()


def test_batch_refuses_text_and_booleans_where_numbers_belong(tmp_path):
    source = tmp_path / "strict.csv"
    rows = [("s1", '{"size_mm": "3_0", "positive_nodes": 0, "grade": 2}'),
            ("s2", '{"size_mm": 20, "positive_nodes": true, "grade": 2}'),
            ("s3", '{"size_mm": 20, "positive_nodes": 0, "grade": 2, '
                   '"neoadjuvant_therapy": 1}'),
            ("s4", '{"size_mm": 20, "positive_nodes": 0, "grade": 2}')]
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["case_id", "index", "inputs", "output"])
        writer.writerows((case_id, "NPI", inputs, "score") for case_id, inputs in rows)
    out = tmp_path / "out.csv"
    done = _run("--input", str(source), "--output", str(out))
    assert done.returncode == 1
    values = {r["case_id"]: r["value"] for r in _read(out)}
    assert values == {"s1": "", "s2": "", "s3": "", "s4": "3.400"}  # 0.2 x 2 cm + 1 + 2
    errors = [(e["row"], e["field"]) for e in _read(tmp_path / "out.errors.csv")]
    assert errors == [("1", "size_mm"), ("2", "positive_nodes"), ("3", "neoadjuvant_therapy")]


def test_batch_reads_parquet(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    source = tmp_path / "cases.parquet"
    pq.write_table(pa.table({"case_id": ["q1"], "index": ["NPI"], "output": ["score"],
                             "inputs": ['{"size_mm": 15, "positive_nodes": 0, "grade": 1}']}),
                   source)
    out = tmp_path / "out.parquet"
    done = _run("--input", str(source), "--output", str(out))
    assert done.returncode == 0, done.stderr
    assert pq.read_table(out).to_pydict()["value"] == ["2.300"]


def test_a_size_beyond_the_case_range_is_refused_not_computed_as_infinity() -> None:
    """Issue 11: `--size-mm 1e308` used to print NPI `inf` with exit 0."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "axilla", "indices", "npi", "--size-mm", "1e308",
                          "--grade", "2", "--positive-nodes", "1"],
                         capture_output=True, text=True, timeout=60, check=False)
    assert out.returncode == 2
    assert out.stdout == ""
    assert out.stderr.strip().splitlines() == [
        "axilla: error: size_mm: must be a number greater than 0 and at most 500 mm (got '1e308')"]
