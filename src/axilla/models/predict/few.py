"""PREDICT Breast covariates of a few patients, value by value (versions 3.1 and 3.2).

The same equations, terms and order as :mod:`axilla.models.predict.covariates` (Grootes 2022;
WintonCentre/predict-v30-r, commit 42223bc; docs/models/predict.md), on plain numbers: the
sums and products are the same IEEE operations NumPy does element by element, square roots
are correctly rounded either way, and every log and exp is taken by NumPy over one array of
all the arguments (so each value comes from the same routine as in a cohort). For one
assessment this replaces some eighty NumPy calls on arrays of two values by five.
tests/models/predict/test_few_patients.py: equal to the array path bit for bit.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from axilla.models.predict.covariates import coefficients
from axilla.models.predict.versions import PredictVersion

#: Patients up to which the covariates are read value by value.
FEW_PATIENTS = 8
_INPUTS = ("age", "size", "nodes", "grade", "screen", "er", "her2", "ki67", "pr", "generation",
           "horm", "traz", "bis", "radio", "heart_gy", "smoker")


@dataclass(frozen=True)
class _Plain:
    """A version's covariate coefficients as Python floats."""

    pos: tuple[float, ...]
    neg: tuple[float, ...]
    age_origin: float
    year_pos: float
    year_neg: float
    ki67: tuple[float, ...]
    pr: tuple[float, ...]
    radio_base: tuple[float, float]
    other_age: tuple[float, float]
    other_year: float
    other_base: float
    smoker: tuple[float, float]
    chemotherapy_harm: float
    heart_harm_per_gy: float


@functools.lru_cache(maxsize=64)
def plain(v: PredictVersion) -> _Plain | None:
    """The coefficients as floats, or None for a version this path does not take (its
    covariates have other terms: 2.x, 3.0)."""
    logic = v.logic
    if (logic["prognostic_index"], logic["other_cause_index"], logic["treatment_harms"]) != (
            "v3", "v3.1", "by_column") or logic["heart_harm_requires_radiotherapy"]:
        return None
    c = coefficients(v)
    assert c.pr is not None and c.radio_base is not None and c.other_base is not None
    ag1, ag2 = (float(a) for a in c.other_age)
    return _Plain(
        pos=tuple(float(a) for a in c.pos), neg=tuple(float(a) for a in c.neg),
        age_origin=float(c.age_origin), year_pos=float(c.year_pos),
        year_neg=float(c.year_neg), ki67=tuple(c.ki67.tolist()), pr=tuple(c.pr.tolist()),
        radio_base=(float(c.radio_base[0]), float(c.radio_base[1])), other_age=(ag1, ag2),
        other_year=float(c.other_year), other_base=float(c.other_base),
        smoker=(float(c.smoker[0]), float(c.smoker[1])),
        chemotherapy_harm=float(c.chemotherapy_harm),
        heart_harm_per_gy=float(c.heart_harm_per_gy))


def _marker(code: float) -> int:
    """:func:`covariates.marker_code` of one value: 0, 1, else 2 (unknown)."""
    return 0 if code == 0 else 1 if code == 1 else 2


Covariates = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray,
                   tuple[np.ndarray, np.ndarray], np.ndarray]


def covariates(c: _Plain, x: Mapping[str, np.ndarray], keys: Sequence[tuple[bool, bool]]
               ) -> Covariates:
    """(pi_fixed, exp(pi_fixed), group, treatment state, mi, harms, exp(other-cause log
    hazard) [key, patient]) of a few patients: what :func:`kernel.patients` holds."""
    n = x["age"].shape[0]
    rows = np.array([x[k] for k in _INPUTS], dtype=float).reshape(len(_INPUTS), n).T.tolist()
    A = [(r[0] - c.age_origin) / 100.0 for r in rows]
    er_pos = [r[5] == 1.0 for r in rows]
    neg = [i for i in range(n) if not er_pos[i]]
    pos = [i for i in range(n) if er_pos[i]]
    # every log and exp of the inputs, one NumPy call each: ln A, ln(nodes + 1), ln size (ER-)
    logs = np.log(np.array([*A, *(r[2] + 1.0 for r in rows),
                            *(rows[i][1] for i in neg)])).tolist()
    exps = dict(zip(pos, np.exp(np.array([rows[i][1] / -20.0 for i in pos])).tolist(),
                    strict=True))
    ln_size = dict(zip(neg, logs[2 * n:], strict=True))
    any_pos = bool(pos)
    pi, mi, c_oth, r_oth, group, state = [], [], [], [], [], []
    for i, (_, _, _, grade, screen, _, her2, ki67, pr, gen, horm, traz, bis, radio, heart,
            smoker) in enumerate(rows):
        a, ln_nodes, e = A[i], logs[n + i], er_pos[i]
        if e:  # the index by ER status (Grootes 2022), then Ki-67, PR, radiotherapy offset
            ag1, ag2, sz1, nd1, gr1, sc1 = c.pos
            root = math.sqrt(a) if a >= 0 else math.nan  # NumPy's square root of a < 0
            p = (ag1 / root + ag2 * (a * a) + sz1 * (1.0 - exps[i]) + nd1 * ln_nodes
                 + gr1 * grade + sc1 * screen + c.year_pos)
        else:
            ag1, ag2, sz1, nd1, gr1, sc1 = c.neg
            p = (ag1 * a + ag2 * (a * logs[i]) + sz1 * ln_size[i] + nd1 * ln_nodes
                 + gr1 * grade + sc1 * screen + c.year_neg)
        if any_pos:  # the Ki-67 term (0 for ER-negative) is added when a patient has it
            p = p + c.ki67[3 * e + _marker(ki67)]
        p = p + c.pr[3 * e + _marker(pr)]
        pi.append(p + c.radio_base[e if any_pos else 0])
        a3 = a * a * a
        o1, o2 = c.other_age
        mi.append(o1 * a3 + o2 * (a3 * logs[i]) + c.other_year + c.other_base
                  + c.smoker[smoker != 0])
        c_oth.append((gen != 0) * c.chemotherapy_harm)
        r_oth.append(c.heart_harm_per_gy * heart)
        group.append(_marker(her2) + 3 * e)
        s = 0 if gen == 0 else 1 if gen == 2 else 2
        for on in (horm == 1 and e, traz == 1 and her2 == 1, bis == 1, radio == 1):
            s = (s + s) | on
        state.append(s)
    lp = [[m + r + co if radio_harm and chemo else m + (r if radio_harm else co)
           if radio_harm or chemo else m for m, r, co in zip(mi, r_oth, c_oth, strict=True)]
          for radio_harm, chemo in keys]
    table = np.array([pi, mi, c_oth, r_oth, pi, *lp])  # one array; rows 4- become exps
    np.exp(table[4:], out=table[4:])
    codes = np.array([group, state], dtype=np.intp)
    return table[0], table[4], codes[0], codes[1], table[1], (table[2], table[3]), table[5:]
