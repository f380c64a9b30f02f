"""`axilla cohort run`: figures against the reference implementation and the staging engine,
streaming equal to in-memory, CSV equal to Parquet, progress only on a terminal."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from axilla.case.staging import staging_case_from_row
from axilla.cohort.chunk import ChunkOptions, compute_chunk
from axilla.cohort.run import run_local
from axilla.cohort.synth import synth_chunk
from axilla.cohort.tables import TableWriter
from axilla.staging import stage
from cohort.helpers import axilla, patient, read_table, write_csv

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "predict" / "v3.2.csv"


def test_predict_figures_match_the_official_r_implementation(tmp_path):
    """v3.2 reference vectors (official R code): the treatments given are the rhctb column
    (each term applies only when given), surgery only is s; tolerance 1e-9 (README)."""
    out = tmp_path / "out.csv"
    done = axilla("cohort", "run", str(REFERENCE), str(out), "--keep", "id", "--version", "3.2")
    assert done.returncode == 0, done.stderr
    got = read_table(out)
    ref = read_table(REFERENCE)
    assert got["id"].tolist() == ref["id"].tolist()  # 333 rows, none lost, in order
    for t in (5, 10, 15):
        for ours, theirs, scale in ((f"os_given_y{t}", f"os_rhctb_y{t}", 1.0),
                                    (f"os_surgery_y{t}", f"os_s_y{t}", 1.0),
                                    (f"bcm_given_y{t}", f"bcm_rhctb_y{t}", 100.0)):
            np.testing.assert_allclose(got[ours].astype(float),
                                       ref[theirs].astype(float) * scale, atol=1e-9, rtol=0)
        np.testing.assert_allclose(got[f"benefit_given_y{t}"].astype(float),
                                   ref[f"os_rhctb_y{t}"].astype(float)
                                   - ref[f"os_s_y{t}"].astype(float), atol=1e-9, rtol=0)


CASES = [  # size mm, positive nodes, of which micrometastases only, grade, er, pr, her2, m
    (25, 2, 0, 2, 1, 1, 0, "cM0"), (8, 0, 0, 1, 1, 1, 0, "cM0"), (1, 1, 1, 3, 0, 0, 1, "cM0"),
    (60, 12, 2, 3, 0, 1, 0, "cM0"), (30, 5, 5, 2, 1, 0, 1, "cM0"), (18, 0, 0, 9, 1, 1, 9, "cM0"),
    (45, 3, 1, 1, 1, 9, 0, "pM1"), (15, 1, 1, 2, 1, 1, 0, "cM0(i+)"), (22, 7, 0, 3, 1, 1, 1, "cM1"),
]


def _staging_row(size, nodes, micro, grade, er, pr, her2, m) -> dict[str, str]:
    word = {1: "pos", 0: "neg", 9: ""}
    deposits = ["1.0"] * micro + ["6.0"] * (nodes - micro) + ["0"] * 10
    return {"tumor_sizes_mm": str(size), "procedure": "alnd",
            "axillary_nodes_mm": ";".join(deposits), "m": m,
            "grade": "" if grade == 9 else str(grade), "er": word[er], "pr": word[pr],
            "her2": word[her2]}


def test_staging_matches_the_single_case_engine(tmp_path):
    rows = [patient(size=s, nodes=n if not (n == 1 and mi == 1) else 0.5, micromet_nodes=mi,
                    grade=g, er=er, pr=pr, her2=h2, m=m)
            for s, n, mi, g, er, pr, h2, m in CASES]
    out = tmp_path / "out.csv"
    done = axilla("cohort", "run", str(write_csv(tmp_path / "in.csv", rows)), str(out))
    assert done.returncode == 0, done.stderr
    got = read_table(out)
    for i, case in enumerate(CASES):
        one = stage(staging_case_from_row(_staging_row(*case)))
        assert got["pT"][i] == one.pT.category
        assert got["pN"][i] == one.pN.category
        assert got["anatomic_stage"][i] == (one.anatomic_stage or "")
        assert got["path_prognostic_stage"][i] == (one.pathological_prognostic_stage or "")


def test_nodes_without_sizes_give_the_parent_category_and_indices_by_hand(tmp_path):
    rows = [patient(size=25, nodes=2, grade=2), patient(size=25, nodes=5, grade=9, er=0)]
    out = tmp_path / "out.csv"
    assert axilla("cohort", "run", str(write_csv(tmp_path / "in.csv", rows)),
                  str(out)).returncode == 0
    got = read_table(out)
    assert got["pN"].tolist() == ["N1", "N2"]  # deposit sizes unknown: no a/mi subcategory
    # NPI = 0.2 x 2.5 cm + node stage 2 (1-3 nodes) + grade 2 = 4.5 (Haybittle 1982)
    assert float(got["npi_score"][0]) == pytest.approx(4.5)
    assert got["npi_score"][1] == "" and got["cts5_score"][1] == ""  # grade unknown
    # CTS5 (Dowsett 2018): 0.438 x nodes category 2 + 0.988 x (0.093 x 25 - 0.001 x 625
    # + 0.375 x 2 + 0.017 x 55)
    expected = 0.438 * 2 + 0.988 * (0.093 * 25 - 0.001 * 625 + 0.375 * 2 + 0.017 * 55)
    assert float(got["cts5_score"][0]) == pytest.approx(expected, abs=1e-9)


def _synthetic(path: Path, n: int, seed: int, chunk: int) -> Path:
    writer = TableWriter(path)
    for start in range(0, n, chunk):
        writer.write(synth_chunk(min(chunk, n - start), seed, start // chunk,
                                 first_id=start + 1))
    writer.close()
    return path


def test_streaming_equals_in_memory_and_csv_equals_parquet(tmp_path):
    src = _synthetic(tmp_path / "in.parquet", 5000, 3, 1000)
    options = ChunkOptions(keep=("id",))
    whole = compute_chunk(read_table(src), 1, options).columns
    for name, chunk_rows in (("a.parquet", 333), ("b.csv", 1024), ("c.parquet", 5000)):
        summary = run_local(src, tmp_path / name, options, chunk_rows=chunk_rows,
                            progress=False)
        assert (summary.rows_in, summary.computed, summary.refused) == (5000, 5000, 0)
        got = read_table(tmp_path / name)
        assert list(got) == list(whole)
        for k, expected in whole.items():
            if expected.dtype == object:
                assert [("" if v is None else v) for v in got[k].tolist()] == [
                    ("" if v is None else v) for v in expected.tolist()], k
            else:
                values = np.asarray([np.nan if v in ("", None) else float(v) for v in got[k]])
                np.testing.assert_array_equal(values, expected.astype(float), err_msg=k)


def test_progress_bar_only_on_request_or_terminal(tmp_path):
    src = write_csv(tmp_path / "in.csv", [patient(id=str(i)) for i in range(50)])
    quiet = axilla("cohort", "run", str(src), str(tmp_path / "q.csv"))
    assert quiet.returncode == 0 and "rows/s" not in quiet.stderr.split("time:")[0]
    shown = axilla("cohort", "run", str(src), str(tmp_path / "p.csv"), "--progress")
    assert shown.returncode == 0 and "rows/s" in shown.stderr and "ETA" in shown.stderr
    assert "50/50" in shown.stderr
    assert set(read_table(tmp_path / "p.csv")) >= {"row", *("os_given_y5", "pN")}


def test_csv_with_byte_order_mark_and_crlf(tmp_path):
    src = tmp_path / "bom.csv"
    src.write_bytes(b"\xef\xbb\xbfage,size,nodes,er,generation,horm,traz,bis,radio,heart_gy,"
                    b"smoker\r\n55,20,1,1,0,1,0,0,1,0,0\r\n")
    out = tmp_path / "out.csv"
    done = axilla("cohort", "run", str(src), str(out))
    assert done.returncode == 0, done.stderr
    got = read_table(out)
    # 20 mm -> T1c; one positive node, sizes unknown -> N1; T1 N1 M0 -> IIA; markers unknown
    assert (got["pT"][0], got["pN"][0], got["anatomic_stage"][0]) == ("T1c", "N1", "IIA")
    assert got["path_prognostic_stage"][0] == ""
