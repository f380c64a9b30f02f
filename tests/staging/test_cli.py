"""`axilla stage` run as a subprocess: one case, --case JSON, and the CSV batch form."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

CASES_CSV = Path(__file__).resolve().parents[1] / "data" / "staging" / "cases.csv"
OUTPUT = ("case_id", "node_classes", "positive_nodes", "pT", "pN", "pN_suffix",
          "anatomic_stage", "path_prognostic_stage")


def axilla(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "axilla", "stage", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=120)


def test_one_case_by_flags_prints_categories_and_reasons() -> None:
    p = axilla("--procedure", "sln", "--axillary-nodes-mm", "1.4;0", "--tumor-sizes-mm", "14",
               "--grade", "2", "--er", "pos", "--pr", "pos", "--her2", "neg")
    assert p.returncode == 0, p.stderr
    for text in ("pT1c", "pN1mi(sn)", "micrometastasis", "1.4 mm", "IB", "cM0"):
        assert text in p.stdout


def test_one_case_as_json(tmp_path: Path) -> None:
    case = {"case_id": "J1", "tumour": {"invasive_sizes_mm": [24], "grade": 3, "er": "negative",
                                        "pr": "negative", "her2": "negative"},
            "nodes": [{"found_by": "sentinel", "deposit_mm": 0.15, "cells_per_section": 250}],
            "procedure": {"kind": "sentinel"}}
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case))
    p = axilla("--case", str(path), "--json")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["node_categories"] == ["micro"]
    assert out["pN"]["display"] == "pN1mi(sn)"
    assert out["anatomic_stage"] == "IIB"  # T2 with N1mi is staged as N1 (spec 5)
    assert out["pathological_prognostic_stage"] == "IIIA"  # B3 G3 HER2- ER-PR- (spec 7.3)
    assert out["predict_nodes"] == 0.5
    assert out["reasons"]


def test_batch_reproduces_the_reference_columns(tmp_path: Path) -> None:
    out = tmp_path / "staged.csv"
    p = axilla("--input", str(CASES_CSV), "--output", str(out))
    assert p.returncode == 0, p.stderr
    assert not (tmp_path / "staged.errors.csv").exists()
    with CASES_CSV.open(newline="") as fh:
        expected = list(csv.DictReader(fh))
    with out.open(newline="") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames or ()) == OUTPUT
        got = list(reader)
    assert len(got) == len(expected) == 73
    for g, e in zip(got, expected, strict=True):
        want = {"case_id": e["case_id"]} | {k: e[f"expected_{k}"] for k in OUTPUT[1:]}
        assert g == want


def test_batch_bad_rows_go_to_the_error_file(tmp_path: Path) -> None:
    with CASES_CSV.open(newline="") as fh:
        rows = list(csv.DictReader(fh))[:3]
    rows[1]["grade"] = "7"
    rows[1]["axillary_nodes_mm"] = "0;x"
    src = tmp_path / "in.csv"
    with src.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / "out.csv"
    p = axilla("--input", str(src), "--output", str(out))
    assert p.returncode == 1
    with out.open(newline="") as fh:
        assert [r["case_id"] for r in csv.DictReader(fh)] == ["A001", "A003"]
    with (tmp_path / "out.errors.csv").open(newline="") as fh:
        errors = list(csv.DictReader(fh))
    assert {(e["row"], e["field"], e["value"]) for e in errors} == {
        ("2", "grade", "7"), ("2", "axillary_nodes_mm", "0;x")}
    assert all(e["reason"] for e in errors)


def test_unusable_arguments_exit_2_with_one_line(tmp_path: Path) -> None:
    for args in (
        ("--input", str(CASES_CSV)),
        ("--procedure", "sln"),
        ("--procedure", "bogus", "--axillary-nodes-mm", "0"),
        ("--case", str(tmp_path / "missing.json")),
        ("--procedure", "sln", "--axillary-nodes-mm", "0", "--tumor-sizes-mm", "700"),
    ):
        p = axilla(*args)
        assert p.returncode == 2, args
        assert len(p.stderr.strip().splitlines()) == 1, p.stderr
        assert p.stdout == ""


def test_batch_missing_required_column_exits_2(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("case_id,grade\nZ1,2\n")
    p = axilla("--input", str(src), "--output", str(tmp_path / "out.csv"))
    assert p.returncode == 2
    assert "axillary_nodes_mm" in p.stderr


def test_option_flag_changes_the_uncertain_point(tmp_path: Path) -> None:
    common = ("--procedure", "alnd", "--axillary-nodes-mm", "1;1;1;1;0;0", "--tumor-sizes-mm",
              "14", "--json")
    default = json.loads(axilla(*common).stdout)
    by_count = json.loads(axilla(*common, "--micro-only-nodes", "by_count").stdout)
    assert default["pN"]["display"] == "pN1mi"
    assert by_count["pN"]["display"] == "pN2a"


# --- issue 8: one vocabulary, the full case file, one batch layer --------------------------

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_the_full_case_file_is_accepted_by_case() -> None:
    done = axilla("--case", str(EXAMPLES / "a_micrometastasis_sentinel.json"), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["pN"]["category"] == "N1mi"
    assert result["predict_nodes"] == 0.5


def test_a_refused_full_case_names_the_dotted_path(tmp_path: Path) -> None:
    case = json.loads((EXAMPLES / "a_micrometastasis_sentinel.json").read_text())
    case["nodes"][0]["deposit_mm"] = True
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(case))
    done = axilla("--case", str(path))
    assert done.returncode == 2
    (line,) = done.stderr.strip().splitlines()
    assert "nodes.0.deposit_mm" in line and "True" in line


def test_flags_speak_the_case_vocabulary_and_keep_old_spellings() -> None:
    new = axilla("--procedure", "sentinel", "--axillary-nodes-mm", "1.4;0", "--tumour-sizes-mm",
                 "14", "--er", "positive", "--json")
    old = axilla("--procedure", "sln", "--axillary-nodes-mm", "1.4;0", "--tumor-sizes-mm",
                 "14", "--er", "pos", "--json")
    assert new.returncode == old.returncode == 0, new.stderr + old.stderr
    assert json.loads(new.stdout) == json.loads(old.stdout)


def test_batch_keeps_case_id_when_the_file_starts_with_a_bom(tmp_path: Path) -> None:
    src = tmp_path / "bom.csv"
    src.write_bytes(b"\xef\xbb\xbfcase_id,procedure,axillary_nodes_mm,tumor_sizes_mm\r\n"
                    b"B1,sln,1.2;0,18\r\n")
    out = tmp_path / "out.csv"
    done = axilla("--input", str(src), "--output", str(out))
    assert done.returncode == 0, done.stderr
    with out.open(newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["case_id"] == "B1"
    assert row["pN"] == "pN1mi"


def test_batch_reads_parquet_and_refuses_unreadable_cells_row_by_row(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    src = tmp_path / "cases.parquet"
    pq.write_table(pa.table({"case_id": ["P1", "P2"], "procedure": ["sentinel", "sln"],
                             "axillary_nodes_mm": ["3;0", "3_0"],
                             "tumour_sizes_mm": ["20", "20"], "grade": ["2", "III"]}), src)
    out = tmp_path / "out.csv"
    done = axilla("--input", str(src), "--output", str(out))
    assert done.returncode == 1
    with out.open(newline="") as fh:
        assert [r["case_id"] for r in csv.DictReader(fh)] == ["P1"]
    with (tmp_path / "out.errors.csv").open(newline="") as fh:
        errors = [(e["row"], e["field"], e["value"]) for e in csv.DictReader(fh)]
    assert errors == [("2", "axillary_nodes_mm", "3_0"), ("2", "grade", "III")]
    assert "1 of 2 row(s) computed" in done.stderr


def test_help_quotes_the_ranges_of_the_case_vocabulary() -> None:
    from axilla.case.ranges import RANGES

    done = axilla("--help")
    text = " ".join(done.stdout.split())
    assert RANGES["nodes.deposit_mm"].describe() in text
    assert RANGES["nodes.cells_per_section"].describe() in text
