"""Primary tumour (pT) and M (staging spec sections 3-4; AJCC 8th, revised 2018)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from axilla.staging import StagingOptions, stage, t_category_from_size
from axilla.staging.tnm import rounded_size_mm


@pytest.mark.parametrize(("mm", "expected"), [
    (0.1, "T1mi"), (0.8, "T1mi"), (1.0, "T1mi"),            # <= 1.0 never rounded
    (1.01, "T1a"), (1.3, "T1a"), (1.4, "T1a"), (1.8, "T1a"),  # > 1.0 and < 2.0 -> 2 mm
    (4.9, "T1a"), (5.0, "T1a"), (5.4, "T1a"), (5.6, "T1b"),
    (10.0, "T1b"), (10.4, "T1b"), (10.7, "T1c"),
    (20.0, "T1c"), (20.3, "T1c"), (20.8, "T2"),
    (50.0, "T2"), (50.4, "T2"), (50.7, "T3"), (62.0, "T3"),
])
def test_t_boundaries_and_rounding(mm: float, expected: str) -> None:
    assert t_category_from_size([mm])[0] == expected


@pytest.mark.parametrize(("mm", "up", "down"), [
    (5.5, "T1b", "T1a"), (10.5, "T1c", "T1b"), (20.5, "T2", "T1c"), (50.5, "T3", "T2"),
])
def test_half_millimetre_option(mm: float, up: str, down: str) -> None:
    assert t_category_from_size([mm], "up")[0] == up
    assert t_category_from_size([mm], "down")[0] == down


def _expected_by_spec(mm: float) -> str:
    if mm <= 1.0:
        return "T1mi"
    r = 2 if mm < 2.0 else int(Decimal(repr(mm)).quantize(Decimal(1), ROUND_HALF_UP))
    return "T1a" if r <= 5 else "T1b" if r <= 10 else "T1c" if r <= 20 else "T2" if r <= 50 \
        else "T3"


@given(st.floats(min_value=0.01, max_value=500, allow_nan=False))
def test_t_category_matches_the_rounding_rule(mm: float) -> None:
    assert t_category_from_size([mm])[0] == _expected_by_spec(mm)


@given(st.sampled_from([1.0, 5.0, 10.0, 20.0, 50.0]), st.floats(min_value=1e-6, max_value=0.49))
def test_around_each_cut_off(cut: float, delta: float) -> None:
    below, above = t_category_from_size([cut - delta])[0], t_category_from_size([cut + delta])[0]
    assert below == _expected_by_spec(cut - delta)
    assert above == _expected_by_spec(cut + delta)
    assert t_category_from_size([cut])[0] == below  # each cut-off belongs to the lower band


@given(st.lists(st.floats(min_value=0.01, max_value=300), min_size=2, max_size=2))
def test_larger_tumour_never_has_a_lower_t(pair: list[float]) -> None:
    order = ["T1mi", "T1a", "T1b", "T1c", "T2", "T3"]
    lo, hi = sorted(pair)
    cats = t_category_from_size([lo, hi])
    assert order.index(cats[0]) <= order.index(cats[1])


def test_rounded_size_is_nan_for_t1mi() -> None:
    got = rounded_size_mm([0.9, 1.2, 4.49, 4.5])
    assert got[1:].tolist() == [2.0, 4.0, 5.0]
    assert got[0] != got[0]


def test_multiple_tumours_use_the_largest_with_m(make_case) -> None:
    r = stage(make_case(tumour={"invasive_sizes_mm": [14, 9, 12]}))
    assert r.pT.display == "pT1c(m)"
    assert r.pT.multiple
    r = stage(make_case(tumour={"invasive_sizes_mm": [12, 12]}))
    assert r.pT.display == "pT1c(m)"  # not 24 mm: sizes are never added
    r = stage(make_case(tumour={"invasive_sizes_mm": [0.5, 0.8]}))
    assert r.pT.display == "pT1mi(m)"


@pytest.mark.parametrize("ext", ["a", "b", "c", "d"])
def test_t4_overrides_size(make_case, ext: str) -> None:
    r = stage(make_case(tumour={"invasive_sizes_mm": [8], "t4_extension": ext}))
    assert r.pT.display == f"pT4{ext}"


@pytest.mark.parametrize(("primary", "expected"), [
    ("dcis", "pTis(DCIS)"), ("paget", "pTis(Paget)"), ("none", "pT0"),
    ("not_assessed", "pTX"),
])
def test_non_invasive_primaries(make_case, primary: str, expected: str) -> None:
    r = stage(make_case(tumour={"primary": primary, "invasive_sizes_mm": []}))
    assert r.pT.display == expected


def test_paget_with_invasive_carcinoma_is_staged_by_the_carcinoma(make_case) -> None:
    r = stage(make_case(tumour={"paget": True}))
    assert r.pT.display == "pT1c"
    assert any("Paget" in x for x in r.reasons)


def test_yp_prefix(make_case) -> None:
    assert stage(make_case(neoadjuvant=True)).pT.display == "ypT1c"
    r = stage(make_case(neoadjuvant=True, tumour={"primary": "none", "invasive_sizes_mm": []}))
    assert r.pT.display == "ypT0"


@pytest.mark.parametrize(("m", "stage_group"), [
    ("cM0", "IA"), ("cM0(i+)", "IA"), ("cM1", "IV"), ("pM1", "IV"),
])
def test_m(make_case, m: str, stage_group: str) -> None:
    r = stage(make_case([0], m=m))
    assert m == r.M
    assert r.anatomic_stage == stage_group
    assert r.pathological_prognostic_stage == stage_group


def test_options_default_to_the_spec() -> None:
    o = StagingOptions()
    assert (o.ene_in_deposit_size, o.micro_only_four_or_more, o.t_half_mm,
            o.itc_after_neoadjuvant_is_residual, o.oncotype_scope) == (
        True, "pN1mi", "up", True, "ajcc")
