"""Node categories, positive count and pN (staging spec sections 1-2; AJCC 8th, revised 2018)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from axilla.case.staging import NodeFinding
from axilla.staging import StagingOptions, classify_deposits, predict_nodes, stage
from axilla.staging.nodes import (
    CATEGORY_NAMES,
    ITC,
    MACRO,
    MICRO,
    NEGATIVE,
    POSITIVE_SIZE_UNKNOWN,
    predict_nodes_from_counts,
)

# ---------------------------------------------------------------- section 1: one node


@pytest.mark.parametrize(("mm", "expected"), [
    (0.0, "neg"), (0.05, "itc"), (0.2, "itc"), (0.20, "itc"), (0.2001, "micro"),
    (0.21, "micro"), (1.4, "micro"), (2.0, "micro"), (2.001, "macro"), (2.1, "macro"),
    (25.0, "macro"),
])
def test_deposit_boundaries_are_literal(mm: float, expected: str) -> None:
    assert CATEGORY_NAMES[classify_deposits([mm])[0]] == expected


@pytest.mark.parametrize(("mm", "cells", "expected"), [
    (0.15, 250, "micro"), (0.15, 150, "itc"), (0.15, 200, "itc"), (0.15, 201, "micro"),
    (0.2, 201, "micro"), (2.5, 10, "macro"), (1.0, 10, "micro"),
])
def test_two_hundred_cell_rule(mm: float, cells: int, expected: str) -> None:
    assert CATEGORY_NAMES[classify_deposits([mm], [cells])[0]] == expected


def test_columnar_classification_with_unknown_sizes() -> None:
    d = np.array([0, 0.1, 0.2, 0.3, 2.0, 2.5, np.nan, np.nan])
    c = np.array([np.nan, np.nan, 300, np.nan, np.nan, np.nan, np.nan, np.nan])
    involved = np.array([False, True, True, True, True, True, True, False])
    got = classify_deposits(d, c, involved)
    assert got.tolist() == [NEGATIVE, ITC, MICRO, MICRO, MICRO, MACRO, POSITIVE_SIZE_UNKNOWN,
                            NEGATIVE]


@given(st.floats(min_value=1e-6, max_value=0.2), st.integers(0, 200))
def test_small_deposit_with_few_cells_is_itc(mm: float, cells: int) -> None:
    assert classify_deposits([mm], [cells])[0] == ITC


@given(st.floats(min_value=0.2, max_value=2.0, exclude_min=True))
def test_deposit_above_itc_up_to_2mm_is_micro(mm: float) -> None:
    assert classify_deposits([mm])[0] == MICRO


@given(st.floats(min_value=2.0, max_value=200, exclude_min=True), st.integers(0, 10**6))
def test_deposit_above_2mm_is_macro_whatever_the_cells(mm: float, cells: int) -> None:
    assert classify_deposits([mm], [cells])[0] == MACRO


@given(st.floats(min_value=1e-6, max_value=2.0), st.integers(201, 10**6))
def test_more_than_200_cells_is_at_least_micro(mm: float, cells: int) -> None:
    assert classify_deposits([mm], [cells])[0] == MICRO


@given(st.lists(st.floats(min_value=0, max_value=50), min_size=2, max_size=2))
def test_larger_deposit_never_gives_a_lower_category(pair: list[float]) -> None:
    lo, hi = sorted(pair)
    codes = classify_deposits([lo, hi])
    assert codes[0] <= codes[1]


def test_ene_deposit_option(make_case) -> None:
    node = {"found_by": "dissection", "deposit_mm": 2.5, "extranodal_extension": True,
            "intranodal_deposit_mm": 1.8}
    case = make_case(nodes=[node])
    assert stage(case).node_categories == ("macro",)  # default: whole deposit
    assert stage(case, StagingOptions(ene_in_deposit_size=False)).node_categories == ("micro",)


def test_ene_excluded_without_intranodal_size_uses_whole_deposit(make_case) -> None:
    case = make_case(nodes=[{"deposit_mm": 2.5, "extranodal_extension": True}])
    r = stage(case, StagingOptions(ene_in_deposit_size=False))
    assert r.node_categories == ("macro",)
    assert "intranodal size not given" in r.nodes[0].reason


def test_positive_node_without_size_counts_as_positive(make_case) -> None:
    r = stage(make_case(nodes=[{"tumour_present": True}, {"deposit_mm": 0}]))
    assert r.node_categories == ("pos", "neg")
    assert r.positive_nodes == 1
    assert r.pN.category == "N1"  # subcategory unknown without a size


def test_intramammary_node_counts_as_axillary(make_case) -> None:
    r = stage(make_case([3.0], nodes=[{"site": "intramammary", "deposit_mm": 2.5}]))
    assert r.positive_nodes == 2
    assert r.pN.display == "pN1a"


# ---------------------------------------------------------------- positive count and pN


def test_itc_nodes_are_examined_but_not_positive(make_case) -> None:
    r = stage(make_case([3.0, 0.1, 0.15, 0, 0, 0]))
    assert r.positive_nodes == 1
    assert r.itc_nodes == 2
    assert r.nodes_examined == 6


@pytest.mark.parametrize(("n_macro", "expected"), [
    (1, "pN1a"), (3, "pN1a"), (4, "pN2a"), (9, "pN2a"), (10, "pN3a"), (15, "pN3a"),
])
def test_macro_count_bands(make_case, n_macro: int, expected: str) -> None:
    assert stage(make_case([3.0] * n_macro + [0.0] * 2)).pN.display == expected


@pytest.mark.parametrize(("nodes", "expected"), [
    ([3.0, 3.0, 3.0, 0.5], "pN2a"),   # 3 macro + 1 micro = 4 positive
    ([3.0, 3.0, 0.5, 0.1], "pN1a"),   # the ITC node is not counted: 3 positive
    ([3.0] * 5 + [1.0] * 4 + [0.1], "pN2a"),  # 9 positive, 1 ITC
    ([3.0] * 5 + [1.0] * 5, "pN3a"),  # 10 positive
])
def test_micro_nodes_count_toward_the_band_when_a_macro_is_present(make_case, nodes,
                                                                    expected) -> None:
    assert stage(make_case(nodes)).pN.display == expected


@given(st.integers(1, 30), st.integers(0, 30), st.integers(0, 10))
def test_pn_band_follows_the_positive_count(n_macro: int, n_micro: int, n_itc: int) -> None:
    from axilla.case.staging import parse_staging_case

    nodes = [3.0] * n_macro + [1.0] * n_micro + [0.1] * n_itc
    case = parse_staging_case({
        "tumour": {"invasive_sizes_mm": [14]}, "procedure": {"kind": "dissection"},
        "nodes": [{"deposit_mm": mm} for mm in nodes],
    })
    r = stage(case)
    p = n_macro + n_micro
    assert r.positive_nodes == p
    assert r.pN.category == ("N1a" if p <= 3 else "N2a" if p <= 9 else "N3a")


@pytest.mark.parametrize(("nodes", "expected"), [
    ([0.5], "pN1mi"), ([0.5, 1.9, 2.0], "pN1mi"), ([0.1], "pN0(i+)"), ([0.0], "pN0"),
])
def test_micrometastases_only(make_case, nodes, expected) -> None:
    assert stage(make_case(nodes)).pN.display == expected


def test_four_or_more_micro_only_nodes_default_and_option(make_case) -> None:
    case = make_case([1.0] * 4)
    assert stage(case).pN.display == "pN1mi"  # spec default (uncertain point)
    by_count = StagingOptions(micro_only_four_or_more="by_count")
    assert stage(case, by_count).pN.display == "pN2a"
    assert stage(make_case([1.0] * 10), by_count).pN.display == "pN3a"
    assert stage(make_case([1.0] * 3), by_count).pN.display == "pN1mi"


def test_molecular_only(make_case) -> None:
    r = stage(make_case([0, 0], procedure="sentinel",
                        nodes=[{"found_by": "sentinel", "method": "rtpcr",
                                "tumour_present": True}]))
    assert r.pN.display == "pN0(mol+)(sn)"
    r = stage(make_case([0.1], nodes=[{"method": "rtpcr", "tumour_present": True}]))
    assert r.pN.display == "pN0(i+)"  # ITC seen: (i+) takes precedence


IM_SLN = {"site": "internal_mammary", "found_by": "sentinel", "deposit_mm": 1.0}
IM_CLINICAL = {"site": "internal_mammary", "found_by": "imaging", "clinically_detected": True,
               "tumour_present": True}


@pytest.mark.parametrize(("axillary", "im", "expected"), [
    ([0, 0], IM_SLN, "pN1b"),
    ([3.0, 0], IM_SLN, "pN1c"),
    ([0.5, 0], IM_SLN, "pN1c"),          # micro-only axilla + IM sentinel: pN1c (spec default)
    ([3.0] * 3, IM_SLN, "pN1c"),
    ([3.0] * 4, IM_SLN, "pN3b"),
    ([0, 0], IM_CLINICAL, "pN2b"),
    ([3.0], IM_CLINICAL, "pN3b"),
    ([0, 0], {**IM_SLN, "deposit_mm": 0.1}, "pN0(i+)"),  # IM ITC is excluded
])
def test_internal_mammary(make_case, axillary, im, expected) -> None:
    assert stage(make_case(axillary, nodes=[im])).pN.display == expected


def test_supraclavicular_then_infraclavicular_take_precedence(make_case) -> None:
    supra = {"site": "supraclavicular", "deposit_mm": 4.0}
    infra = {"site": "infraclavicular", "deposit_mm": 4.0}
    assert stage(make_case([0], nodes=[infra, supra, IM_CLINICAL])).pN.display == "pN3c"
    assert stage(make_case([0], nodes=[infra, IM_CLINICAL])).pN.display == "pN3a"
    assert stage(make_case([0], nodes=[{**infra, "deposit_mm": 0.1}])).pN.display == "pN0(i+)"


# ---------------------------------------------------------------- suffixes and prefixes


@pytest.mark.parametrize(("n_nodes", "suffix"), [(1, "(sn)"), (5, "(sn)"), (6, ""), (8, "")])
def test_sn_suffix_needs_fewer_than_six_nodes(make_case, n_nodes: int, suffix: str) -> None:
    r = stage(make_case([0.0] * n_nodes, procedure="sentinel"))
    assert r.pN.suffix == suffix


def test_sn_suffix_counts_nodes_removed_when_given(make_case) -> None:
    from axilla.case.staging import parse_staging_case

    assert stage(make_case([0.5], procedure="dissection")).pN.suffix == ""

    case = parse_staging_case({
        "tumour": {"invasive_sizes_mm": [14]},
        "nodes": [{"found_by": "sentinel", "deposit_mm": 0.5}],
        "procedure": {"kind": "sentinel", "nodes_removed": 7},
    })
    assert stage(case).pN.display == "pN1mi"


def test_needle_biopsy_only_is_staged_clinically_with_f(make_case) -> None:
    r = stage(make_case(procedure="none",
                        nodes=[{"found_by": "needle_biopsy", "deposit_mm": 5.0}]))
    assert r.pN.display == "cN1(f)"
    assert r.pathological_prognostic_stage is None


def test_no_nodes_removed_is_pnx(make_case) -> None:
    r = stage(make_case(procedure="none"))
    assert r.pN.display == "pNX"
    assert r.anatomic_stage is None


def test_neoadjuvant_prefix(make_case) -> None:
    r = stage(make_case([0.5, 0], procedure="sentinel", neoadjuvant=True))
    assert r.pN.display == "ypN1mi(sn)"
    assert r.pT.display == "ypT1c"


def test_reason_names_the_deciding_facts(make_case) -> None:
    r = stage(make_case([1.4, 0], procedure="sentinel"))
    text = " | ".join(r.reasons)
    assert "1.4 mm" in text and "micrometastasis" in text
    assert "pN1mi" in text and "0 macro" in text


# ---------------------------------------------------------------- PREDICT node input


@pytest.mark.parametrize(("nodes", "expected"), [
    ([0, 0], 0.0), ([0.1, 0], 0.0), ([0.5], 0.5), ([0.5, 0.1], 0.5), ([3.0], 1.0),
    ([0.5, 0.5], 2.0), ([3.0, 0.5], 2.0), ([3.0] * 4 + [0.1] * 3, 4.0),
])
def test_predict_nodes_convention(make_case, nodes, expected) -> None:
    case = make_case(nodes)
    assert predict_nodes(case.nodes) == expected
    assert predict_nodes(stage(case)) == expected


def test_predict_nodes_counts_only_axillary_nodes() -> None:
    nodes = [NodeFinding(deposit_mm=3.0),
             NodeFinding(site="internal_mammary", found_by="sentinel", deposit_mm=3.0),
             NodeFinding(site="infraclavicular", deposit_mm=3.0)]
    assert predict_nodes(nodes) == 2.0


@given(st.integers(0, 40), st.integers(0, 40))
def test_predict_nodes_from_counts(micro: int, macro: int) -> None:
    got = float(predict_nodes_from_counts([micro], [macro])[0])
    assert got == (0.5 if (micro, macro) == (1, 0) else micro + macro)


@given(st.lists(st.tuples(st.integers(0, 100), st.integers(0, 100)), max_size=20))
def test_predict_nodes_from_counts_any_batch_size(pairs) -> None:
    """A few cases read value by value and a batch read as arrays follow the same rule."""
    micro = np.array([m for m, _ in pairs], dtype=np.int64)
    macro = np.array([m for _, m in pairs], dtype=np.int64)
    got = predict_nodes_from_counts(micro, macro)
    assert got.dtype == np.float64 and got.shape == (len(pairs),)
    assert got.tolist() == [0.5 if (m, a) == (1, 0) else float(m + a) for m, a in pairs]
