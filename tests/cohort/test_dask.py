"""The Dask engine gives the local engine's results, row for row, on a LocalCluster of two
workers (threads in one process, to fit a small machine)."""

from __future__ import annotations

import numpy as np
import pytest

from axilla.cohort.chunk import ChunkOptions
from axilla.cohort.run import run_local
from axilla.cohort.synth import synth_chunk
from axilla.cohort.tables import TableWriter
from cohort.helpers import read_errors, read_table

pytest.importorskip("dask.distributed", reason="dask (cohort extra) not installed")


def test_dask_equals_local(tmp_path):
    from axilla.cohort.distributed import run_dask

    src = tmp_path / "in.parquet"
    writer = TableWriter(src)
    for k in range(4):  # four row groups -> four partitions
        chunk = synth_chunk(2500, 9, k, first_id=2500 * k + 1)
        if k == 2:
            chunk["age"][10] = 90.0
            chunk["nodes"][20] = 0.7
        writer.write(chunk)
    writer.close()
    options = ChunkOptions(keep=("id",))
    local = run_local(src, tmp_path / "local.parquet", options, chunk_rows=1000,
                      progress=False)
    dist = run_dask(src, tmp_path / "dask_out", options, workers=2, processes=False)
    assert (dist.rows_in, dist.computed, dist.refused) == (local.rows_in, local.computed,
                                                           local.refused) == (10000, 9998, 2)
    a, b = read_table(tmp_path / "local.parquet"), read_table(tmp_path / "dask_out")
    assert list(a) == list(b)
    for k in a:
        if k in ("id", "predict_version", "pT", "pN", "anatomic_stage",
                 "path_prognostic_stage", "npi_group6", "cts5_group"):
            assert a[k].tolist() == b[k].tolist(), k
        else:
            np.testing.assert_array_equal(a[k].astype(float), b[k].astype(float), err_msg=k)
    assert read_errors(tmp_path / "local.errors.csv") == read_errors(
        tmp_path / "dask_out.errors.csv")
    assert [e["row"] for e in read_errors(tmp_path / "local.errors.csv")] == ["5011", "5021"]


def test_dask_reads_a_directory_of_parquet_files_like_local(tmp_path):
    """A dataset split over files (row numbers from counted partitions, not one footer)."""
    from axilla.cohort.distributed import run_dask

    src = tmp_path / "registry"
    src.mkdir()
    for k in range(2):
        writer = TableWriter(src / f"part.{k}.parquet")
        chunk = synth_chunk(1500, 4, k, first_id=1500 * k + 1)
        if k == 1:
            chunk["size"][5] = 0.0
        writer.write(chunk)
        writer.close()
    options = ChunkOptions(keep=("id",))
    local = run_local(src, tmp_path / "local.parquet", options, progress=False)
    dist = run_dask(src, tmp_path / "dask_out", options, workers=2, processes=False)
    assert (dist.rows_in, dist.refused) == (local.rows_in, local.refused) == (3000, 1)
    a, b = read_table(tmp_path / "local.parquet"), read_table(tmp_path / "dask_out")
    assert a["id"].tolist() == b["id"].tolist() and a["row"].tolist() == b["row"].tolist()
    np.testing.assert_array_equal(a["os_given_y10"].astype(float),
                                  b["os_given_y10"].astype(float))
    assert [e["row"] for e in read_errors(tmp_path / "dask_out.errors.csv")] == ["1506"]
