"""The PREDICT benefit table for a cohort: each treatment's incremental benefit, rounded.

The same kernel and tables as :func:`axilla.models.predict.compute`, asked only for what the
table needs: the ladder columns at the years asked, all-cause mortality without the
breast/other-cause split or conditional survival, written straight into one output array and
rounded in place (R's rule, spec sec. 1.5). Memory is the inputs, the output and one chunk of
working arrays a thread. Source: the ``benefits`` table of WintonCentre/predict-v30-r
(commit 42223bc, R/benefits32.R); docs/models/predict.md.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence

import numpy as np

from axilla.errors import FieldProblem, InputError
from axilla.models.predict import kernel as k
from axilla.models.predict.engine import (
    DEFAULT_CHUNK,
    chunk_for,
    prepare_inputs,
    run_chunks,
)
from axilla.models.predict.tables import ladder_steps, r_round
from axilla.models.predict.versions import CURRENT_VERSION, load_version

TABLE_YEARS = (5, 10, 15)


def benefit_table(
    inputs: Mapping[str, object],
    version: str = CURRENT_VERSION,
    *,
    years: Sequence[int] = TABLE_YEARS,
    rounded: bool = True,
    validate: bool = True,
    chunk_size: int = DEFAULT_CHUNK,
    threads: int | None = None,
) -> dict[str, np.ndarray]:
    """{benefit name: percentage points [patient, year]} for every step of every ladder.

    Names and steps are the version's ``benefits`` table (for 3.2: r_benefit ... b_benefit,
    total_benefit, and the same with 10 years of endocrine therapy); years in ascending order.
    ``rounded`` gives them as the source displays them, to 0.1 pp with R's rule. Values equal
    ``incremental_benefits(compute(...))`` within 1e-12 pp (rounded: identical), at a fraction
    of the time and memory. Inputs are validated as by ``compute`` unless ``validate=False``.
    """
    v = load_version(version)
    if not v.ladders or v.logic["output"] not in ("benefit_matrix", "survival"):
        raise InputError([FieldProblem(
            "version", v.id, "has no benefit table; use compute() and flat_columns()")])
    kept = tuple(sorted({int(t) for t in years}))
    if not kept or any(t < 1 or t > k.eq.N_YEARS for t in kept):
        raise InputError([FieldProblem("years", kept, "must be whole years from 1 to 15")])
    x, _, _ = prepare_inputs(v, inputs, validate)
    steps = [s for ladder in v.ladders for s in ladder_steps(v, ladder)]
    columns = tuple(sorted({c for _, a, b in steps for c in (a, b)}, key=v.columns.index))
    plan = k.plan_for(v.id, columns)
    pairs = [(columns.index(a), columns.index(b)) for _, a, b in steps]
    rows = tuple(t - 1 for t in kept)
    base = plan.other_base[list(rows)]
    n = x["age"].shape[0]
    out = np.empty((len(steps), len(rows), n))

    local = threading.local()

    def run(sl: slice) -> None:
        ws = getattr(local, "ws", None) or k.Workspace()
        local.ws = ws
        m = sl.stop - sl.start
        cells = (len(rows), len(columns), m)
        p = k.patients(plan, {name: col[sl] for name, col in x.items()})
        s_br = k.breast_survival(plan, p, rows, out=ws.get("s_br", cells),
                                 work=ws.get("work", (int(np.prod(cells)),)))
        s_all = k.overall_survival_in_place(plan, k.other_survival(base, p), s_br)
        shape = (len(pairs), len(rows), m)
        ben = ws.get("benefits", shape)  # contiguous: the output's rows are far apart
        for i, (a, b) in enumerate(pairs):  # benefit of b over a: S_b - S_a (= F_a - F_b)
            np.subtract(s_all[:, b], s_all[:, a], out=ben[i])
        if rounded:  # 100 (S_b - S_a) rounded to 0.1 pp, the product formed near ties
            r_round(ben, 1, out=out[:, :, sl], scratch=(ws.get("y", shape), ws.get("k", shape)),
                    times=100.0)
        else:
            np.multiply(ben, 100.0, out=out[:, :, sl])

    run_chunks(n, chunk_for(len(rows) * len(columns), chunk_size), threads, run)
    return {name: out[i].T for i, (name, _, _) in enumerate(steps)}
