"""How typed PREDICT results are put together: the per-year dicts and the models built
without re-validation hold exactly what the general constructors would.

Oracles: ``dict(zip(years, values))``; pydantic's own validation of the same values.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from axilla.models.predict import compute, load_version
from axilla.models.predict.results import _layout, results
from axilla.models.predict.typed import PredictResult, per_year_dict
from support.predict_reference import load_reference


@given(years=st.lists(st.integers(1, 15), min_size=1, max_size=15, unique=True).map(sorted),
       data=st.data())
def test_a_per_year_dict_is_dict_of_zip(years, data):
    values = data.draw(st.lists(st.floats(allow_nan=False), min_size=len(years),
                                max_size=len(years)))
    built = per_year_dict(tuple(years))(*values)
    assert built == dict(zip(years, values, strict=True))
    assert list(built) == years and all(type(k) is int for k in built)


def test_years_given_as_numpy_integers_are_keyed_by_python_integers():
    built = per_year_dict(tuple(np.arange(1, 4)))(0.5, 1.5, 2.5)
    assert built == {1: 0.5, 2: 1.5, 3: 2.5} and all(type(k) is int for k in built)


@pytest.mark.parametrize("version", ["2.1", "3.0", "3.2"])
def test_every_typed_result_revalidates_to_itself(version):
    v = load_version(version)
    x = {k: c[:12] for k, c in load_reference(version).inputs.items()}
    out = compute(x, v, columns=list(_layout(v).columns), conditional=False)
    for r in results(out, range(1, 16)):
        again = PredictResult.model_validate(r.model_dump())
        assert again == r
        assert again.model_dump_json() == r.model_dump_json()
        steps = [(b.from_column, b.to_column) for b in [*r.benefits, r.total_benefit]]
        ladder = v.ladders["standard"]
        assert steps == [*itertools.pairwise(ladder), (ladder[0], ladder[-1])]
