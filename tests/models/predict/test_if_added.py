"""``if_added_pp``: what adding a treatment to the chosen plan would give, in percentage points.

Oracle: the official R implementation's reference vectors (tests/data/predict/README.md). In a
row where every treatment is switched on (third-generation chemotherapy, endocrine therapy,
trastuzumab, bisphosphonates, ER- and HER2-positive), each column of the source is the survival
with that column's treatments; so for a plan of endocrine therapy alone the gain of adding
chemotherapy is ``os_hc - os_h`` of that row (3.2: percent; 2.1: ``b21_hc - b21_h``, benefits
over surgery alone in pp), read by hand from the CSV here, not from the engine.
"""

from __future__ import annotations

import numpy as np
import pytest

from axilla.models.predict import compute, load_version
from axilla.models.predict.results import every_treatment_on, results
from support.predict_reference import load_reference

ALL_ON = {"er": 1, "her2": 1, "generation": 3, "horm": 1, "traz": 1, "bis": 1}
YEARS = (5, 10, 15)


def _rows_all_on(version: str) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    ref = load_reference(version)
    keep = np.ones(len(ref.ids), dtype=bool)
    for k, want in (ALL_ON | ({"radio": 1} if "radio" in ref.inputs else {})).items():
        keep &= ref.inputs[k] == want
    assert keep.sum() >= 3, "the reference holds rows with every treatment on"
    return ({k: v[keep] for k, v in ref.inputs.items()},
            {k: v[keep] for k, v in ref.outputs.items()})


def _typed(version: str, x: dict[str, np.ndarray]):
    v = load_version(version)
    ladder = sorted({c for lad in v.ladders.values() for c in lad}, key=v.columns.index)
    out = compute(x, version, columns=ladder)
    x_on, cols = every_treatment_on(v, x)
    return results(out, YEARS, compute(x_on, version, columns=cols))


@pytest.mark.parametrize(("version", "plan", "col"), [
    ("3.2", "rh", lambda o, c, t: o[f"os_{c}_y{t}"]),
    ("2.1", "h", lambda o, c, t: o[f"b21_{c}_y{t}"]),
])
def test_gain_of_adding_each_treatment_to_endocrine_therapy_matches_the_source(
        version, plan, col) -> None:
    x, o = _rows_all_on(version)
    x = dict(x, generation=np.zeros_like(x["generation"]), traz=np.zeros_like(x["traz"]),
             bis=np.zeros_like(x["bis"]))
    for i, r in enumerate(_typed(version, x)):
        by = {b.letter: b for b in r.benefits}
        assert by["h"].if_added_pp is None  # already chosen
        for letter, added in (("c", "c"), ("t", "t"), ("b", "b")):
            target = "".join(sorted(plan + added, key="rhctb".index))
            for t in YEARS:
                expected = col(o, target, t)[i] - col(o, plan, t)[i]
                assert by[letter].if_added_pp[t] == pytest.approx(expected, abs=1e-9)


def test_not_applicable_treatments_are_null() -> None:
    x, _ = _rows_all_on("3.2")
    x = dict(x, her2=np.zeros_like(x["her2"]), traz=np.zeros_like(x["traz"]),
             er=np.zeros_like(x["er"]), horm=np.zeros_like(x["horm"]))
    for r in _typed("3.2", x):
        by = {b.letter: b for b in r.benefits}
        assert by["t"].if_added_pp is None  # HER2 not positive
        assert by["h"].if_added_pp is None  # ER-negative
        assert by["c"].if_added_pp is None  # already chosen (third generation)


@pytest.mark.parametrize("version", ["2.1", "2.2", "3.1", "3.2"])
def test_the_chosen_plan_reads_the_same_in_the_run_with_every_treatment_on(version) -> None:
    """The switch-on run changes only the columns that name the added treatment."""
    ref = load_reference(version)
    x = {k: v[:60] for k, v in ref.inputs.items()}
    v = load_version(version)
    ladder = sorted({c for lad in v.ladders.values() for c in lad}, key=v.columns.index)
    out = compute(x, version, columns=ladder)
    x_on, cols = every_treatment_on(v, x)
    on = compute(x_on, version, columns=cols)
    last = v.ladders["standard"][-1]
    for i, r in enumerate(results(out, YEARS, on)):
        assert r.benefits[-1].if_added_pp is None or r.benefits[-1].letter != "r"
        plan_cols = [c for c in cols if r.steps[-1].overall_survival_pct[10] == pytest.approx(
            on.overall_survival(c)[i, on.year(10)], abs=1e-9)]
        assert plan_cols, f"row {i}: the plan's survival is found in the switch-on run"
    assert last in v.columns
