"""Ranges of the PREDICT 2.x benefits against the equations computed by hand, and the data-file
check.

Oracle: the PREDICT 2.x web tool, WintonCentre/predict-v21-main commit 27db8a7,
src/cljs/predict/models/predict.cljs: the prognostic index (lines 63-95), other-cause index
(line 100), baselines (lines 102-118, 240-242) and treatment triplets (lines 171-208), typed
here from that file; the benefit is OS with the bound minus OS of the step before, every
treatment before it at its central value (lines 210-219).
"""

from __future__ import annotations

import math
import tomllib
from importlib import resources

import pytest

from axilla.errors import DataFileError
from axilla.models.predict import load_version
from axilla.models.predict.results import predict_one
from axilla.models.predict.versions import version_from_data

# One patient: 50 years, 20 mm, 2 nodes, grade 2, ER+, HER2-, Ki-67 unknown, symptomatic;
# endocrine therapy and third-generation chemotherapy chosen.
PATIENT = {"age": 50, "size": 20, "nodes": 2, "grade": 2, "er": 1, "her2": 0, "ki67": 9,
           "screen": 0, "generation": 3, "horm": 1, "traz": 0, "bis": 0}


def _os_by_hand(t: float, term: float) -> float:
    """Overall survival (fraction) at t years with breast-cancer log hazard ratio ``term``."""
    a10 = 50 / 10
    pi = (-0.0762  # HER2 negative; Ki-67 unknown adds 0
          + 34.53642 * (a10 ** -2 - 0.0287449295)
          - 34.20342 * (a10 ** -2 * math.log(a10) - 0.0510121013)
          + 0.7530729 * (math.log(20 / 100) + 1.545233938)
          + 0.7060723 * (math.log(3 / 10) + 1.387566896)
          + 0.746655 * 2
          - 0.22763366 * 0)
    mi = 0.0698252 * (a10 ** 2 - 34.23391957)
    h_br = math.exp(0.7424402 - 7.527762 / math.sqrt(t) - 1.812513 * math.log(t) / math.sqrt(t))
    h_oth = math.exp(-6.052919 + 1.079863 * math.log(t) + 0.3255321 * math.sqrt(t))
    return math.exp(-math.exp(pi + term) * h_br) * math.exp(-math.exp(mi) * h_oth)


@pytest.mark.parametrize("t", [5, 10, 15])
def test_endocrine_and_chemotherapy_ranges_match_the_equations(t):
    r = predict_one(PATIENT, "2.1", years=(5, 10, 15))
    h, c = r.benefits[0], r.benefits[1]
    assert (h.letter, c.letter) == ("h", "c") and h.chosen and c.chosen
    surg = _os_by_hand(t, 0.0)
    # endocrine: [-0.502, -0.3857, -0.212], nothing before it
    assert h.benefit_high_pp[t] == pytest.approx(100 * (_os_by_hand(t, -0.502) - surg), abs=1e-9)
    assert h.benefit_pp[t] == pytest.approx(100 * (_os_by_hand(t, -0.3857) - surg), abs=1e-9)
    assert h.benefit_low_pp[t] == pytest.approx(100 * (_os_by_hand(t, -0.212) - surg), abs=1e-9)
    # third-generation chemotherapy [-0.579, -0.446, -0.313] with endocrine at -0.3857
    before = _os_by_hand(t, -0.3857)
    assert c.benefit_high_pp[t] == pytest.approx(
        100 * (_os_by_hand(t, -0.3857 - 0.579) - before), abs=1e-9)
    assert c.benefit_low_pp[t] == pytest.approx(
        100 * (_os_by_hand(t, -0.3857 - 0.313) - before), abs=1e-9)
    # trastuzumab and bisphosphonates not chosen: no range; the total has none
    assert all(b.benefit_low_pp is None and b.benefit_high_pp is None for b in r.benefits[2:])
    assert r.total_benefit.benefit_low_pp is None


def test_ten_year_endocrine_range_moves_both_terms_together():
    """2.2: after year 10 the tool adds [-0.178, -0.26, 0.2] to [-0.502, -0.3857, -0.212]."""
    r = predict_one(PATIENT, "2.2", years=(10, 15))
    h10 = r.extended_benefits[0]
    assert h10.letter == "h10"
    # up to year 10 the 10-year column is the 5-year one
    assert h10.benefit_high_pp[10] == pytest.approx(
        100 * (_os_by_hand(10, -0.502) - _os_by_hand(10, 0.0)), abs=1e-9)
    # at 15 years the hazard is the 10-year part with h plus 5 years with h + extra
    a10 = 50 / 10

    def os15(h: float, extra: float) -> float:
        pi = (-0.0762 + 34.53642 * (a10 ** -2 - 0.0287449295)
              - 34.20342 * (a10 ** -2 * math.log(a10) - 0.0510121013)
              + 0.7530729 * (math.log(0.2) + 1.545233938)
              + 0.7060723 * (math.log(0.3) + 1.387566896) + 0.746655 * 2)

        def base(t: int) -> float:
            return math.exp(0.7424402 - 7.527762 / math.sqrt(t)
                            - 1.812513 * math.log(t) / math.sqrt(t))
        h_br = math.exp(pi + h) * base(10) + math.exp(pi + h + extra) * (base(15) - base(10))
        mi = 0.0698252 * (a10 ** 2 - 34.23391957)
        h_oth = math.exp(-6.052919 + 1.079863 * math.log(15) + 0.3255321 * math.sqrt(15))
        return math.exp(-h_br) * math.exp(-math.exp(mi) * h_oth)

    surg = os15(0.0, 0.0)
    assert h10.benefit_pp[15] == pytest.approx(100 * (os15(-0.3857, -0.26) - surg), abs=1e-9)
    assert h10.benefit_high_pp[15] == pytest.approx(100 * (os15(-0.502, -0.178) - surg), abs=1e-9)
    assert h10.benefit_low_pp[15] == pytest.approx(100 * (os15(-0.212, 0.2) - surg), abs=1e-9)


def _data(version: str) -> dict:
    folder = resources.files("axilla.models.predict") / "versions"
    return tomllib.loads((folder / f"v{version}.toml").read_text(encoding="utf-8"))


def test_the_shipped_ranges_load_for_2_1_and_2_2_only():
    assert set(load_version("2.1").ranges) == {"h", "c", "t", "b"}
    assert set(load_version("2.2").ranges) == {"h", "c", "t", "b", "h10"}
    for other in ("2.2_dfs", "2.2_h10", "3.0", "3.0_only", "3.1", "3.2"):
        assert load_version(other).ranges == {}, other
    assert load_version("2.1").ranges["c"]["chemotherapy_third_generation"] == (
        -0.579, -0.446, -0.313)


def test_a_central_value_other_than_the_coefficient_is_refused():
    data = _data("2.1")
    data["ranges"]["c"]["chemotherapy_second_generation"] = [-0.360, -0.25, -0.136]
    with pytest.raises(DataFileError, match=r"ranges\.c\.chemotherapy_second_generation: "
                       r"central value -0\.25 differs .* -0\.248"):
        version_from_data("2.1", data)


@pytest.mark.parametrize(("letter", "value", "message"), [
    ("r", {"radiotherapy": [-0.288, -0.198, -0.105]}, "no coefficient treatment.radiotherapy"),
    ("h", {"endocrine": [-0.502, -0.3857]}, "expected three numbers"),
    ("h", {"endocrine": [-0.502, -0.3857, True]}, "expected three numbers"),
    ("x", {"endocrine": [-0.502, -0.3857, -0.212]}, "must be a table of coefficients"),
    ("h10", {"endocrine": [-0.5, -0.3857, -0.212]}, "one coefficient, one range"),
])
def test_other_malformed_ranges_are_refused(letter, value, message):
    data = _data("2.1")
    data["ranges"][letter] = value
    with pytest.raises(DataFileError, match=message):
        version_from_data("2.1", data)


def test_the_unchanged_file_passes_the_check():
    assert version_from_data("2.1", _data("2.1")).ranges == load_version("2.1").ranges
