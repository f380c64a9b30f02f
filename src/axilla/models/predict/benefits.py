"""The PREDICT benefit table for a cohort: each treatment's incremental benefit, rounded.

The same kernel and tables as :func:`axilla.models.predict.compute`, asked only for what the
table needs: the ladder columns at the years asked, all-cause mortality without the
breast/other-cause split or conditional survival, written straight into one output array and
rounded in place (R's rule, spec sec. 1.5). Memory is the inputs, the output and one chunk of
working arrays a thread. The glue after the covariates (look-up, exp, differences, rounding,
writing) runs as compiled loops when the optional extension is built (``compiled.py``), else
as NumPy calls; both give the same rounded table. Source: the ``benefits`` table of
WintonCentre/predict-v30-r (commit 42223bc, R/benefits32.R); docs/models/predict.md.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence

import numpy as np

from axilla.errors import FieldProblem, InputError
from axilla.models.predict import compiled, tables
from axilla.models.predict import kernel as k
from axilla.models.predict.engine import (
    DEFAULT_CHUNK,
    chunk_for,
    prepare_inputs,
    run_chunks,
)
from axilla.models.predict.tables import ladder_steps
from axilla.models.predict.versions import CURRENT_VERSION, PredictVersion, load_version

TABLE_YEARS = (5, 10, 15)
PERCENT = 100.0  # survival difference -> percentage points
TENTHS = 10.0  # percentage points -> tenths, the whole units the source rounds to


def benefit_table(
    inputs: Mapping[str, object],
    version: str | PredictVersion = CURRENT_VERSION,
    *,
    years: Sequence[int] = TABLE_YEARS,
    rounded: bool = True,
    validate: bool = True,
    chunk_size: int = DEFAULT_CHUNK,
    threads: int | None = None,
    use_compiled: bool = True,
) -> dict[str, np.ndarray]:
    """{benefit name: percentage points [patient, year]} for every step of every ladder.

    Names and steps are the version's ``benefits`` table (for 3.2: r_benefit ... b_benefit,
    total_benefit, and the same with 10 years of endocrine therapy); years in ascending order.
    ``rounded`` gives them as the source displays them, to 0.1 pp with R's rule. Values equal
    ``incremental_benefits(compute(...))`` within 1e-12 pp (rounded: identical), at a fraction
    of the time and memory. Inputs are validated as by ``compute`` unless ``validate=False``.
    The glue loops run compiled when the extension is built (``use_compiled=False``: the
    NumPy path, the reference; the two give identical rounded cells).
    """
    v = version if isinstance(version, PredictVersion) else load_version(version)
    if not v.ladders or v.logic["output"] not in ("benefit_matrix", "survival"):
        raise InputError([FieldProblem(
            "version", v.id, "has no benefit table; use compute() and flat_columns()")])
    kept = tuple(sorted({int(t) for t in years}))
    if not kept or any(t < 1 or t > k.eq.N_YEARS for t in kept):
        raise InputError([FieldProblem("years", kept, "must be whole years from 1 to 15")])
    x, _, _ = prepare_inputs(v, inputs, validate)
    steps = [s for ladder in v.ladders for s in ladder_steps(v, ladder)]
    columns = tuple(sorted({c for _, a, b in steps for c in (a, b)}, key=v.columns.index))
    pairs = tuple((columns.index(a), columns.index(b)) for _, a, b in steps)
    rows = tuple(t - 1 for t in kept)
    tp = k.table_plan(v, columns, rows, pairs)
    n = x["age"].shape[0]
    out = np.empty((len(steps), len(rows), n))
    times = TENTHS * PERCENT if rounded else 1.0
    loops = compiled.table_loops(
        tp, pairs, rounded=rounded, times=times, times_after=PERCENT, divide_by=TENTHS,
        near_tie=tables.NEAR_TIE) if use_compiled else None
    local = threading.local()
    part_size = chunk_for(len(rows) * len(columns), chunk_size)

    def run(sl: slice) -> None:
        cov = k.table_covariates(tp, {name: col[sl] for name, col in x.items()})
        if loops is not None:
            at_ties(cov, loops(cov, out, sl.start), sl.start)
            return
        ws = getattr(local, "ws", None) or k.Workspace()
        local.ws = ws
        for start in range(sl.start, sl.stop, part_size):
            part = slice(start, min(sl.stop, start + part_size))
            write(cov.take(slice(part.start - sl.start, part.stop - sl.start)), part, ws)

    def write(cov: k.TableCovariates, part: slice, ws: k.Workspace) -> None:
        shape = (len(rows), len(steps), part.stop - part.start)
        dest = out[:, :, part].transpose(1, 0, 2)  # [row, benefit, patient], as computed
        if not rounded:
            np.multiply(k.table_chunk(tp, cov, ws, ws.get("ben", shape), 1.0), PERCENT,
                        out=dest)
            return
        # 10 x 100 (S_b - S_a): tenths of a percentage point, rounded to whole tenths
        y = k.table_chunk(tp, cov, ws, ws.get("ben", shape), times)
        tenths = ws.get("tenths", shape)
        near = tables.nearest_with_ties(y, tenths)
        np.divide(tenths, TENTHS, out=dest)
        if near is not None:
            at_ties(cov, np.flatnonzero(near.any(axis=(0, 1))), part.start)

    def at_ties(cov: k.TableCovariates, who: np.ndarray, start: int) -> None:
        """The patients with a cell within 1e-6 of a tie again, unscaled, by R's rule."""
        if who.size:
            exact = k.table_chunk(tp, cov.take(who), k.Workspace(),
                                  np.empty((len(rows), len(steps), who.size)), 1.0)
            out[:, :, start + who] = tables.r_round(exact, 1, times=PERCENT).transpose(1, 0, 2)

    run_chunks(n, max(1, chunk_size), threads, run)
    return {name: out[i].T for i, (name, _, _) in enumerate(steps)}
