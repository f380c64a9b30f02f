"""The Dask engine: the same chunk function over Parquet partitions, on a local or remote cluster.

``dask.dataframe.read_parquet`` splits the input by row group; ``map_partitions`` runs
:func:`axilla.cohort.chunk.compute_chunk` on each partition (numbered rows from the partition
lengths, so row numbers match the local engine); figures go to a Parquet dataset (a directory,
written by the workers), refusals come back to the client and go to OUT's error file. Running
on several machines: docs/cohort.md.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pandas as pd

from axilla.cohort.chunk import TEXT_OUTPUTS, ChunkOptions, compute_chunk, output_names
from axilla.cohort.run import RunSummary, required_columns
from axilla.cohort.tables import ErrorSink, errors_path, is_parquet
from axilla.errors import FieldProblem, InputError

REFUSALS = "refusals"


def _meta(options: ChunkOptions) -> pd.DataFrame:
    cols: dict[str, pd.Series] = {}
    for name in output_names(options):
        if name == "row":
            dtype: object = "int64"
        elif name in TEXT_OUTPUTS or name in options.keep:
            dtype = object
        else:
            dtype = "float64"
        cols[name] = pd.Series([], dtype=dtype)
    cols[REFUSALS] = pd.Series([], dtype=object)
    return pd.DataFrame(cols)


def _raw(df: pd.DataFrame) -> dict[str, np.ndarray]:
    """A partition as the chunk function's input: numbers as floats, text with None for nulls."""
    out = {}
    for name in df.columns:
        s = df[name]
        if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
            out[name] = s.to_numpy(dtype=float, na_value=np.nan)
        else:
            out[name] = s.to_numpy(dtype=object, na_value=None)
    return out


def partition_figures(df: pd.DataFrame, starts: list[int], options: ChunkOptions,
                      partition_info: dict | None = None) -> pd.DataFrame:
    """Figures of one partition plus its refused rows (figures empty, ``refusals`` as JSON)."""
    number = partition_info["number"] if partition_info else 0
    result = compute_chunk(_raw(df), starts[number], options)
    done = pd.DataFrame({k: pd.Series(v) for k, v in result.columns.items()})
    done[REFUSALS] = ""
    by_row: dict[int, list] = {}
    for row, name, value, reason in result.errors:
        by_row.setdefault(row, []).append([name, value if value is None or isinstance(
            value, int | float | str) else str(value), reason])
    refused = pd.DataFrame({"row": np.asarray(list(by_row), dtype=np.int64),
                            REFUSALS: [json.dumps(v) for v in by_row.values()]})
    out = pd.concat([done, refused], ignore_index=True) if len(refused) else done
    meta = _meta(options)
    return out.reindex(columns=meta.columns).astype(meta.dtypes.to_dict())


def _row_group_lengths(src: Path) -> list[int]:
    """Rows of each row group of a single Parquet file, from its footer (no data read)."""
    import pyarrow.parquet as pq

    if src.is_dir():
        return []
    meta = pq.ParquetFile(src).metadata
    return [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]


def _client(scheduler: str | None, workers: int, processes: bool):
    from dask.distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler), None
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes,
                           dashboard_address=None)
    return Client(cluster), cluster


def run_dask(src: Path, dst: Path, options: ChunkOptions, *, scheduler: str | None = None,
             workers: int = 2, processes: bool = True) -> RunSummary:
    """Run the cohort on Dask; ``dst`` becomes a Parquet dataset directory."""
    import dask
    import dask.dataframe as dd
    import pyarrow.parquet as pq

    src, dst = Path(src), Path(dst)
    if not src.exists():
        raise InputError([FieldProblem("IN", str(src), "no such file")])
    if not is_parquet(src):
        raise InputError([FieldProblem("IN", str(src), "the Dask engine reads Parquet (a file "
                                       "or a directory of files); use --engine local for CSV")])
    header = list(pq.ParquetDataset(src).schema.names)
    required_columns(header, options)
    options = ChunkOptions(options.predict_version, options.keep, options.mapping, threads=1)
    errors_file = errors_path(dst)
    summary = RunSummary(output=dst, errors=errors_file)
    start = time.perf_counter()
    client, cluster = _client(scheduler, workers, processes)
    try:
        ddf = dd.read_parquet(str(src), split_row_groups=True)
        lengths = _row_group_lengths(src)
        if len(lengths) != ddf.npartitions:  # a dataset split otherwise: count the rows
            lengths = ddf.map_partitions(len).compute().tolist()
        starts = [1 + int(s) for s in np.concatenate([[0], np.cumsum(lengths)[:-1]])]
        out = ddf.map_partitions(partition_figures, starts, options, meta=_meta(options))
        ok = out[out[REFUSALS] == ""].drop(columns=[REFUSALS])
        bad = out[out[REFUSALS] != ""][["row", REFUSALS]]
        write = ok.to_parquet(str(dst), write_index=False, compute=False, overwrite=True)
        _, refused = dask.compute(write, bad)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    sink = ErrorSink(errors_file)
    for row, text in zip(refused["row"].tolist(), refused[REFUSALS].tolist(), strict=True):
        sink.add([(int(row), f, v, r) for f, v, r in json.loads(text)])
    sink.close()
    summary.rows_in = int(sum(lengths))
    summary.refused = len(sink.rows)
    summary.computed = summary.rows_in - summary.refused
    summary.refused_by_reason = sink.by_reason
    summary.seconds = time.perf_counter() - start
    return summary
