"""The cohort benefit table against the official R benefits (reference vectors), and the
typed results against the same batch.

Oracles: tests/data/predict/v3.1.csv and v3.2.csv hold `ben_<name>_y1..y15`, the source's own
rounded benefits, and `os_<column>_y<T>`, whose differences are the unrounded benefits
(tests/data/predict/README.md); tolerance 1e-9 pp unrounded, exact when rounded.
"""

from __future__ import annotations

import numpy as np
import pytest

from axilla.errors import InputError
from axilla.models.predict import benefit_table, compute, load_version
from axilla.models.predict.results import results
from axilla.models.predict.tables import (
    flat_column_blocks,
    flat_columns,
    ladder_steps,
)
from support.predict_reference import load_reference

ALL_YEARS = tuple(range(1, 16))


@pytest.mark.parametrize("version", ["3.1", "3.2"])
def test_rounded_benefits_equal_the_sources_cell_for_cell(version):
    ref = load_reference(version)
    table = benefit_table(ref.inputs, version, years=ALL_YEARS)
    v = load_version(version)
    names = [name for ladder in v.ladders for name, _, _ in ladder_steps(v, ladder)]
    assert list(table) == names and len(names) == 12
    for name in names:
        expected = np.stack([ref.outputs[f"ben_{name}_y{t}"] for t in ALL_YEARS], axis=1)
        assert table[name].shape == (333, 15)
        np.testing.assert_array_equal(table[name], expected, err_msg=name)


@pytest.mark.parametrize("version", ["3.1", "3.2"])
def test_unrounded_benefits_are_differences_of_the_sources_survival(version):
    ref = load_reference(version)
    table = benefit_table(ref.inputs, version, years=(5, 10, 15), rounded=False)
    v = load_version(version)
    for ladder in v.ladders:
        for name, a, b in ladder_steps(v, ladder):
            for k, t in enumerate((5, 10, 15)):
                expected = ref.outputs[f"os_{b}_y{t}"] - ref.outputs[f"os_{a}_y{t}"]
                assert np.max(np.abs(table[name][:, k] - expected)) <= 1e-9, (name, t)


def test_v22_table_has_the_ladder_increments_under_their_own_names():
    ref = load_reference("2.2")
    table = benefit_table(ref.inputs, "2.2", years=(10,), rounded=False)
    assert list(table) == ["h_increment", "hc_increment", "hct_increment", "hctb_increment",
                           "total_standard", "h10_increment", "h10c_increment",
                           "h10ct_increment", "h10ctb_increment", "total_extended"]
    # b22_<column> is the cumulative benefit against surgery only (README): differences of it
    expected = ref.outputs["b22_hc_y10"] - ref.outputs["b22_h_y10"]
    assert np.max(np.abs(table["hc_increment"][:, 0] - expected)) <= 1e-9
    np.testing.assert_allclose(table["total_standard"][:, 0], ref.outputs["b22_hctb_y10"],
                               rtol=0, atol=1e-9)


def test_the_table_is_the_same_for_any_chunking_and_threads():
    ref = load_reference("3.2")
    whole = benefit_table(ref.inputs, "3.2", rounded=False, threads=1)
    split = benefit_table(ref.inputs, "3.2", rounded=False, chunk_size=7, threads=2)
    for name in whole:
        np.testing.assert_array_equal(whole[name], split[name])
    one = benefit_table({k: c[41:42] for k, c in ref.inputs.items()}, "3.2", rounded=False)
    for name in whole:
        np.testing.assert_array_equal(one[name][0], whole[name][41])


def test_versions_without_a_survival_table_and_bad_years_are_refused():
    ref = load_reference("3.2")
    with pytest.raises(InputError, match="has no benefit table"):
        benefit_table(load_reference("2.2_h10").inputs, "2.2_h10")
    with pytest.raises(InputError, match="years"):
        benefit_table(ref.inputs, "3.2", years=(0, 5))
    bad = dict(ref.inputs, age=np.where(np.arange(333) == 3, 99.0, ref.inputs["age"]))
    with pytest.raises(InputError, match="row 3: age"):
        benefit_table(bad, "3.2")


def test_typed_results_carry_each_patients_own_reference_figures():
    ref = load_reference("3.2")
    v = load_version("3.2")
    columns = sorted({c for lad in v.ladders.values() for c in lad}, key=v.columns.index)
    typed = results(compute(ref.inputs, "3.2", columns=columns), ALL_YEARS)
    assert len(typed) == 333
    for i in (0, 150, 332):
        r = typed[i]
        assert r.inputs["age"] == ref.inputs["age"][i]
        for t in (1, 5, 15):
            os_s = r.surgery_only.overall_survival_pct[t]
            assert abs(os_s - ref.outputs[f"os_s_y{t}"][i]) <= 1e-9
            assert r.total_benefit.displayed_pp[t] == ref.outputs[f"ben_total_benefit_y{t}"][i]
            assert r.extended_total_benefit.displayed_pp[t] == \
                ref.outputs[f"ben_total10_benefit_y{t}"][i]
            for b in r.benefits:
                assert b.displayed_pp[t] == ref.outputs[f"ben_{b.letter}_benefit_y{t}"][i]
        assert r.steps[-1].column == "rhctb"
        assert abs(r.steps[-1].breast_cancer_mortality_pct[15]
                   - 100 * ref.outputs["bcm_rhctb_y15"][i]) <= 1e-9


def test_typed_results_validate_to_themselves_and_serialise_like_validated_ones():
    ref = load_reference("3.2")
    out = compute({k: c[:20] for k, c in ref.inputs.items()}, "3.2")
    for r in results(out, ALL_YEARS):
        again = type(r).model_validate(r.model_dump())
        assert again == r
        assert again.model_dump_json() == r.model_dump_json()


def test_the_full_export_in_blocks_equals_the_whole_and_refuses_before_writing():
    ref = load_reference("3.2")
    whole = flat_columns(compute(ref.inputs, "3.2"))
    seen = 0
    for rows, cols in flat_column_blocks(ref.inputs, "3.2", block_size=100):
        assert rows.start == seen and list(cols) == list(whole)
        for name, values in cols.items():
            np.testing.assert_array_equal(values, whole[name][rows], err_msg=name)
        seen = rows.stop
    assert seen == 333
    bad = dict(ref.inputs, size=np.where(np.arange(333) == 250, 0.0, ref.inputs["size"]))
    blocks = flat_column_blocks(bad, "3.2", block_size=100)
    with pytest.raises(InputError, match="row 250: size"):
        next(blocks)
