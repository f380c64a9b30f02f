"""Every quantity a PREDICT version defines, as flat named columns.

The names are those of the source's own outputs as the reference vectors spell them
(``<quantity>_<treatment column>_y<year>``; see docs/models/predict.md), so that a file of
inputs gives the same columns the official R functions give.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping

import numpy as np

from axilla.models.predict.engine import PredictOutput, compute, prepare_inputs, required
from axilla.models.predict.versions import PredictVersion, load_version

#: Scaled values further than this from the nearest whole number are within 1e-6 of a tie:
#: only there can R's rule and rounding to nearest disagree (spec sec. 1.5).
NEAR_TIE = 0.5 - 1e-6
_MAX, _MIN = np.maximum.reduce, np.minimum.reduce  # what ndarray.max/min call, without a frame


def nearest_with_ties(y: np.ndarray, k: np.ndarray) -> np.ndarray | None:
    """Round y to the nearest whole number into ``k``, leaving y - k in ``y``; return which
    cells lie within 1e-6 of a tie (where R's rule must decide), or None if none do."""
    np.rint(y, out=k)
    np.subtract(y, k, out=y)
    if y.size and not (_MAX(y, axis=None) <= NEAR_TIE
                       and _MIN(y, axis=None) >= -NEAR_TIE):  # (NaN: look closer)
        return np.abs(y) > NEAR_TIE
    return None


def r_round(
    x: np.ndarray, digits: int = 1, out: np.ndarray | None = None,
    scratch: tuple[np.ndarray, np.ndarray] | None = None, times: float = 1.0,
) -> np.ndarray:
    """Round like R >= 4.0.0's ``round(x, digits)`` (spec sec. 1.5), elementwise.

    Python's and NumPy's rounding disagree with R next to ties (R gives 99.6 for 99.55). Away
    from a tie both pick the nearer multiple; R's rule is applied exactly to the values whose
    scaled form is within 1e-6 of a tie. ``out`` may be ``x`` itself (rounded in place);
    ``scratch`` is room for two arrays of x's shape. With ``times`` the value rounded is
    ``times * x`` (as a double): values away from a tie round the same either way, and near a
    tie the product is formed first, so the result equals ``r_round(times * x)``.
    """
    x = np.asarray(x, dtype=float)
    p = 10.0**digits
    y = np.multiply(x, p * times, out=scratch[0] if scratch else None)
    k = scratch[1] if scratch else np.empty_like(y)
    near = nearest_with_ties(y, k)
    near_x = None
    if near is not None:
        near_x = x[near] * times if times != 1.0 else x[near]
    out = np.divide(k, p, out=out)
    if near is not None and near_x is not None:
        out[near] = r_round_exact(near_x, p)
    return out


def r_round_exact(x: np.ndarray, p: float) -> np.ndarray:
    """R's round(x, log10(p)) for values near a tie: the nearer of the two neighbouring
    multiples of 1/p as doubles, the even one when both are as near (R >= 4.0.0)."""
    a = np.abs(x)
    ya = a * p
    lo, hi = np.floor(ya) / p, np.ceil(ya) / p
    d_hi, d_lo = hi - a, a - lo
    odd = np.mod(np.floor(ya), 2.0) == 1.0
    exact = np.where((d_hi < d_lo) | ((d_hi == d_lo) & odd), hi, lo)
    exact = np.where(a >= 1e14, a, exact)
    return np.where(x < 0, -exact, exact)


def ladder_steps(v: PredictVersion, ladder: str) -> list[tuple[str, str, str]]:
    """(benefit name, from column, to column) of each step of a ladder and its total, named as
    the source's ``benefits`` table where the version has one, else ``<column>_increment``."""
    steps = v.ladders[ladder]
    names = v.tables.get("benefits", {}).get(ladder)
    if names is None:
        names = [f"{c}_increment" for c in steps[1:]] + [f"total_{ladder}"]
    pairs = [*itertools.pairwise(steps), (steps[0], steps[-1])]
    return [(name, a, b) for name, (a, b) in zip(names, pairs, strict=True)]


def incremental_benefits(out: PredictOutput, ladder: str) -> dict[str, np.ndarray]:
    """Unrounded incremental benefits along a ladder, pp, [patient, year] (see ladder_steps)."""
    return {name: out.benefit_vs(b, a) for name, a, b in ladder_steps(out.version, ladder)}


def _by_year(prefix: str, values: np.ndarray, years: tuple[int, ...]) -> dict[str, np.ndarray]:
    return {f"{prefix}_y{t}": values[:, i] for i, t in enumerate(years)}


def flat_columns(out: PredictOutput) -> dict[str, np.ndarray]:
    """All quantities of ``out`` as {reference column name: values per patient}."""
    v = out.version
    kind = v.logic["output"]
    cols: dict[str, np.ndarray] = {}
    if kind == "extended_endocrine_benefit":
        cols.update(_by_year("h10_d0", required(out.extended_benefit_from_diagnosis, "h10_d0"),
                             tuple(range(1, 16))))
        cols.update(_by_year("h10_d5", required(out.extended_benefit_from_year5, "h10_d5"),
                             tuple(range(6, 16))))
        return cols
    if kind == "dfs_benefit":
        rel = required(out.relapse_or_death, "relapse_or_death")
        base = out.columns.index(v.columns[0])
        for j, c in enumerate(out.columns):
            cols.update(_by_year(f"dfs_{c}", 100.0 * (rel[:, base, :] - rel[:, j, :]), out.years))
        return cols
    if kind == "benefit_matrix":
        surg = v.columns[0]
        if v.uses_v3_inputs and v.logic["conditional"] != "none":  # benefits30: index values too
            cols["pi"] = out.pi[:, 0]
            cols["mi"] = out.mi
        for c in out.columns:
            values = out.overall_survival(c) if c == surg else out.benefit_vs(c, surg)
            cols.update(_by_year(f"{v.reference_prefix}_{c}", values, out.years))
        if "pi" in cols:
            breast = required(out.breast, "breast")
            for j, c in enumerate(out.columns):
                cols.update(_by_year(f"bcm_{c}", breast[:, j, :], out.years))
    else:  # survival (3.1, 3.2)
        cols.update(_by_year("pi", out.pi, out.years))
        cols["mi"] = out.mi
        for c in out.columns:
            cols.update(_by_year(f"os_{c}", out.overall_survival(c), out.years))
        breast = required(out.breast, "breast")
        for j, c in enumerate(out.columns):
            cols.update(_by_year(f"bcm_{c}", breast[:, j, :], out.years))
        if all(c in out.columns for ladder in v.ladders.values() for c in ladder):
            for ladder in v.ladders:
                for name, values in incremental_benefits(out, ladder).items():
                    cols.update(_by_year(f"ben_{name}", r_round(values, 1), out.years))
    if out.conditional_all is not None:
        for j, c in enumerate(out.conditional_columns):
            cols.update(
                _by_year(f"cos_{c}", 100.0 * (1.0 - out.conditional_all[:, j, :]),
                         out.conditional_years)
            )
    return cols


FULL_EXPORT_BLOCK = 2_048  # patients a block: 47 columns x 15 years x 5 quantities ~ 60 MB


def flat_column_blocks(
    inputs: Mapping[str, object], version: str, *, block_size: int = FULL_EXPORT_BLOCK,
    validate: bool = True, threads: int | None = None,
) -> Iterator[tuple[slice, dict[str, np.ndarray]]]:
    """:func:`flat_columns` of consecutive blocks of patients, for writing as they come.

    Yields (rows of the block, its columns); the working memory is bounded by the block, not
    the batch. Every row is validated before the first block is computed (unless
    ``validate=False``), so a bad row stops the export before anything is written."""
    _, coded, _ = prepare_inputs(load_version(version), inputs, validate)
    n = coded["age"].shape[0]
    for start in range(0, n, max(1, block_size)):
        sl = slice(start, min(n, start + block_size))
        block = {k: c[sl] for k, c in coded.items()}
        yield sl, flat_columns(compute(block, version, validate=False, threads=threads))
