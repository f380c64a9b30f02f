"""The one-value check of each index input rule (``value_ok``) equals the rule's column check
(``rule.ok``) on every value, bounds, non-whole numbers, NaN and infinities included; and CTS5's
age applicability, which uses it, refuses exactly the ages the column check refuses."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from axilla.case.index_rules import INDEX_INPUTS, value_ok
from axilla.models.cts5 import cts5_applicability

RULES = [(index, name, f.rule) for index, spec in INDEX_INPUTS.items()
         for name, f in spec.items()]
VALUE = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 200).map(float),
                  st.sampled_from([0.0, -0.0, 1.0, 2.0, 3.0, 17.999, 18.0, 120.0, 120.5, 121.0,
                                   0.5, 500.0, 500.1, math.nan, math.inf, -math.inf]))


@given(rule=st.sampled_from(RULES), x=VALUE)
def test_value_ok_equals_column_ok(rule, x):
    _, _, r = rule
    assert value_ok(r)(x) == bool(r.ok(np.array([x]))[0])


@given(ages=st.lists(VALUE, min_size=1, max_size=6))
def test_cts5_age_reason_follows_the_column_rule(ages):
    n = len(ages)
    age = np.array(ages, dtype=float)
    reasons = cts5_applicability(np.ones(n, bool), np.ones(n), age, np.full(n, 20.0),
                                 np.full(n, 2.0))
    rule = INDEX_INPUTS["CTS5"]["age_years"].rule
    for i, why in enumerate(reasons):
        refused = any(r.startswith("CTS5 was derived for ages") for r in why)
        assert refused == (not rule.ok(age[i:i + 1])[0])
        if refused:
            assert why == (f"CTS5 was derived for ages {rule.lo:g} to {rule.hi:g} years; the age "
                           f"given is {age[i]:g}",)
