"""Hypothesis strategy: a few patients' valid PREDICT inputs over every code.

The ranges are those PREDICT accepts (axilla.case.predict): ages 25-85, sizes 1-500 mm, nodes
0-50 or 0.5 (micrometastases only), heart dose 0-50 Gy; every marker and treatment code.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

CODES = {
    "grade": [1, 2, 3, 9], "er": [0, 1], "her2": [0, 1, 9], "ki67": [0, 1, 9],
    "pr": [0, 1, 9], "screen": [0, 1, 2], "generation": [0, 1, 2, 3], "horm": [0, 1],
    "traz": [0, 1], "bis": [0, 1], "radio": [0, 1], "smoker": [0, 1],
}


def valid_patients(n_max: int = 3) -> st.SearchStrategy[dict[str, np.ndarray]]:
    """1 to ``n_max`` patients as input columns."""
    row = st.fixed_dictionaries({
        "age": st.floats(25, 85), "size": st.floats(1, 500),
        "nodes": st.one_of(st.integers(0, 50).map(float), st.just(0.5)),
        "heart_gy": st.floats(0, 50),
        **{k: st.sampled_from(v).map(float) for k, v in CODES.items()},
    })
    return st.lists(row, min_size=1, max_size=n_max).map(
        lambda rows: {k: np.array([r[k] for r in rows]) for k in rows[0]})
