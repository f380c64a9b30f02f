"""Batch tables over pyarrow: BOM-safe CSV, one line style, Parquet, chunks, the error sink,
the summary line and the exit codes (issue 8, item 4)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from axilla.errors import FieldProblem
from axilla.io import (
    Chunk,
    ErrorSink,
    TableReader,
    TableWriter,
    UnusableInputError,
    errors_path,
    run_batch,
    tables,
)


def write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_a_bom_is_not_part_of_the_first_column_name(tmp_path: Path) -> None:
    src = write_bytes(tmp_path / "in.csv", b"\xef\xbb\xbfcase_id,a\r\nx1,1\r\nx2,\r\n")
    reader = TableReader(src, required=["case_id"])
    assert reader.columns == ["case_id", "a"]
    (chunk,) = list(reader)
    assert chunk.columns == {"case_id": ["x1", "x2"], "a": ["1", None]}
    assert chunk.first_row == 1


def test_every_cell_is_text_so_a_number_is_never_guessed(tmp_path: Path) -> None:
    src = write_bytes(tmp_path / "in.csv", b"a,b\n007,3_0\ntrue,1e2\n")
    (chunk,) = list(TableReader(src))
    assert chunk.columns == {"a": ["007", "true"], "b": ["3_0", "1e2"]}


def test_parquet_cells_arrive_as_text_too(tmp_path: Path) -> None:
    path = tmp_path / "in.parquet"
    pq.write_table(pa.table({"case_id": ["p1", None], "size": [14.5, 20.0],
                             "flag": [True, False]}), path)
    (chunk,) = list(TableReader(path))
    assert chunk.columns == {"case_id": ["p1", None], "size": ["14.5", "20"],
                             "flag": ["true", "false"]}


def test_chunks_number_their_rows_from_one(tmp_path: Path) -> None:
    lines = "n\n" + "".join(f"{i}\n" for i in range(1, 11))
    src = write_bytes(tmp_path / "in.csv", lines.encode())
    chunks = list(TableReader(src, chunk_rows=4))
    assert [c.first_row for c in chunks] == [1, 5, 9]
    assert [int(v) for c in chunks for v in c.column("n")] == list(range(1, 11))
    assert [len(c) for c in chunks] == [4, 4, 2]


@pytest.mark.parametrize(("name", "data", "words"), [
    ("x.csv", b"a,b\n1,2\n", "missing column(s) case_id"),
    ("x.csv", b"", "empty file"),
    ("x.csv", b"case_id,case_id\n1,2\n", "more than once"),
    ("x.txt", b"case_id\n1\n", "unknown table format"),
    ("x.parquet", b"not parquet", "not a readable Parquet file"),
])
def test_unusable_inputs_are_refused_before_any_row(tmp_path, name, data, words) -> None:
    src = write_bytes(tmp_path / name, data)
    with pytest.raises(UnusableInputError, match=words.replace("(", r"\(").replace(")", r"\)")):
        TableReader(src, required=["case_id"])


def test_a_missing_file_is_unusable(tmp_path: Path) -> None:
    with pytest.raises(UnusableInputError, match="no such file"):
        TableReader(tmp_path / "absent.csv")


def test_csv_is_written_with_newline_endings_and_exact_floats(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    with TableWriter(out, ["id", "x"]) as w:
        w.write({"id": ["a", "b"], "x": [0.1 + 0.2, float("nan")]})
    data = out.read_bytes()
    assert b"\r" not in data and not data.startswith(b"\xef\xbb\xbf")
    assert data.decode() == "id,x\na,0.30000000000000004\nb,\n"


def test_parquet_round_trip(tmp_path: Path) -> None:
    out = tmp_path / "out.parquet"
    with TableWriter(out, ["id", "x"]) as w:
        w.write({"id": ["a"], "x": [1.5]})
        w.write({"id": ["b"], "x": [2.5]})
    assert pq.read_table(out).to_pydict() == {"id": ["a", "b"], "x": [1.5, 2.5]}


def test_the_error_sink_removes_a_stale_file_and_writes_sorted_rows(tmp_path: Path) -> None:
    out = tmp_path / "result.csv"
    stale = errors_path(out)
    assert stale == tmp_path / "result.errors.csv"
    stale.write_text("row,field,value,reason\n9,old,1,stale\n")
    sink = ErrorSink(out)
    assert not stale.exists()
    sink.add(3, FieldProblem("grade", "III", "must be 1, 2, 3"))
    sink.add(1, FieldProblem("her2", None, "required"))
    sink.close()
    with stale.open(newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows == [["row", "field", "value", "reason"], ["1", "her2", "", "required"],
                    ["3", "grade", "III", "must be 1, 2, 3"]]
    assert b"\r" not in stale.read_bytes()


def _double(chunk: Chunk, sink: ErrorSink) -> dict[str, list[object]]:
    rows, doubled = [], []
    for number, cell in enumerate(chunk.column("x"), start=chunk.first_row):
        try:
            doubled.append(2 * float(cell or ""))
            rows.append(number)
        except ValueError:
            sink.add(number, FieldProblem("x", cell, "must be a number"))
    return {"row": rows, "x2": doubled}


def test_run_batch_exit_codes_and_summary_line(tmp_path: Path, capsys) -> None:
    src = write_bytes(tmp_path / "in.csv", b"x\n1\nabc\n3\n")
    out = tmp_path / "out.csv"
    code = run_batch("double", src, out, _double, lambda _: ["row", "x2"], ["x"], chunk_rows=2)
    assert code == 1
    assert out.read_text() == "row,x2\n1,2.0\n3,6.0\n"
    assert (tmp_path / "out.errors.csv").read_text() == (
        "row,field,value,reason\n2,x,abc,must be a number\n")
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"axilla double: 2 of 3 row(s) computed -> {out}; 1 refused -> "
                   f"{tmp_path / 'out.errors.csv'}"]
    src.write_text("x\n1\n")
    assert run_batch("double", src, out, _double, lambda _: ["row", "x2"], ["x"]) == 0
    assert not (tmp_path / "out.errors.csv").exists()


def test_run_batch_leaves_no_output_for_an_unusable_input(tmp_path: Path) -> None:
    src = write_bytes(tmp_path / "in.csv", b"x\n1\n2,3,4\n")
    out = tmp_path / "out.csv"
    with pytest.raises(UnusableInputError, match="unreadable"):
        run_batch("double", src, out, _double, lambda _: ["row", "x2"], ["x"])
    assert not out.exists()
    with pytest.raises(UnusableInputError, match="overwrite the input"):
        run_batch("double", src, src, _double, lambda _: ["row", "x2"], ["x"])


def test_small_parquet_blocks_are_gathered_into_one_row_group(tmp_path: Path) -> None:
    out = tmp_path / "out.parquet"
    with TableWriter(out, ["id", "x"]) as w:
        for i in range(50):
            w.write({"id": [f"r{i}a", f"r{i}b"], "x": [i + 0.25, float("nan")]})
    f = pq.ParquetFile(out)
    assert f.metadata.num_row_groups == 1
    got = f.read().to_pydict()
    assert got["id"] == [f"r{i}{s}" for i in range(50) for s in "ab"]
    assert got["x"] == [v for i in range(50) for v in (i + 0.25, None)]


def test_a_wide_table_writes_a_row_group_per_cell_budget(tmp_path: Path, monkeypatch) -> None:
    # 10 columns, blocks of 3 rows, a budget of 100 cells: a row group is written once 10 or
    # more rows are gathered, i.e. every 4 blocks (12 rows); the last 2 blocks at close
    monkeypatch.setattr(tables, "ROW_GROUP_CELLS", 100)
    names = [f"c{j}" for j in range(10)]
    out = tmp_path / "wide.parquet"
    with TableWriter(out, names) as w:
        for b in range(10):
            w.write({n: np.arange(3, dtype=float) + 100 * b + j for j, n in enumerate(names)})
    meta = pq.ParquetFile(out).metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [12, 12, 6]
    got = pq.read_table(out).to_pydict()
    assert got["c7"] == [100.0 * b + 7 + r for b in range(10) for r in range(3)]


def test_a_narrow_table_caps_its_row_groups_by_rows(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(tables, "ROW_GROUP_ROWS", 5)
    out = tmp_path / "narrow.parquet"
    with TableWriter(out, ["x"]) as w:
        for b in range(4):
            w.write({"x": np.full(3, float(b))})
    meta = pq.ParquetFile(out).metadata
    # gathered to 6 rows (>= 5), written as row groups of at most 5 rows; then 6 again
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [5, 1, 5, 1]
    assert pq.read_table(out).column("x").to_pylist() == [float(b) for b in range(4) for _ in "123"]
