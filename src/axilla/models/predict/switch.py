"""PREDICT inputs with each treatment that applies switched on: the run whose columns give a
treatment's gain "if added" (PREDICT's treatment terms apply only where the treatment applies:
endocrine therapy to ER-positive, trastuzumab to HER2-positive patients)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

#: Each treatment switched on where it applies: (input, the input that says whether it
#: applies, the code that does, the value it is given); chemotherapy not chosen is given as
#: third generation, bisphosphonates to every patient.
_SWITCH_ON = (("generation", "generation", 0.0, 3.0), ("horm", "er", 1.0, 1.0),
              ("traz", "her2", 1.0, 1.0), ("bis", None, None, 1.0))
_SWITCHED = tuple(name for name, *_ in _SWITCH_ON)
_FEW_SWITCHED = 8  # patients up to which each value is switched on by itself


def switch_on(x: Mapping[str, np.ndarray]) -> None:
    """Switch on, in place, each treatment that applies (``_SWITCH_ON``: the ``_SWITCHED``
    inputs of ``x`` are overwritten). Up to _FEW_SWITCHED patients the values are read as
    plain numbers and only those to switch are written (fewer calls than whole-array ones)."""
    n = x["bis"].shape[0]
    for name, when, code, value in _SWITCH_ON:
        target = x[name]
        if when is None:
            target[...] = value
        elif n > _FEW_SWITCHED:
            np.copyto(target, value, where=x[when] == code)
        else:
            for i, found in enumerate(x[when].tolist()):
                if found == code:
                    target[i] = value


def switched_on(x: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """``x`` (float arrays) with each treatment that applies switched on, in new arrays."""
    on = {**x, **{k: x[k].copy() for k in _SWITCHED}}
    switch_on(on)
    return on
