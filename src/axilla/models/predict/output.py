"""What the PREDICT engine returns: cumulative mortality by patient, treatment column and year.

Source: WintonCentre/predict-v30-r, commit 42223bc (the quantities of its ``benefits*``
functions); docs/models/predict.md.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from axilla.models.predict.versions import PredictVersion


@dataclass(frozen=True)
class PredictOutput:
    """Cumulative mortality by treatment column and year for a batch of patients.

    Arrays are [patient, column, year] for the ``years`` kept. ``all_cause`` is the source's
    m.cum.all = 1 - S_oth * S_br; it equals pred.cum.all (= pred.cum.br + pred.cum.oth) up to
    floating-point rounding (spec sec. 1.3), so overall survival never depends on whether the
    breast/other split was asked for. ``breast`` and ``other`` are pred.cum.br and pred.cum.oth
    (None when computed with ``split=False``). Version-specific extras are None where the
    version does not define them.
    """

    version: PredictVersion
    columns: tuple[str, ...]
    years: tuple[int, ...]
    pi: np.ndarray  # [patient, year]: breast-cancer prognostic index
    mi: np.ndarray  # [patient]: other-cause prognostic index
    all_cause: np.ndarray
    breast: np.ndarray | None = None
    other: np.ndarray | None = None
    conditional_columns: tuple[str, ...] = ()
    conditional_years: tuple[int, ...] = ()
    conditional_all: np.ndarray | None = None  # [patient, column, year 6..15], alive at 5 y
    relapse_or_death: np.ndarray | None = None  # v2.2 DFS: cumulative relapse-or-death risk
    extended_benefit_from_diagnosis: np.ndarray | None = None  # v2.2 h10, delay 0, pp
    extended_benefit_from_year5: np.ndarray | None = None  # v2.2 h10, delay 5, pp, years 6..15
    warnings: Mapping[str, np.ndarray] = field(default_factory=dict)  # message -> rows
    inputs: Mapping[str, np.ndarray] = field(default_factory=dict)  # as coded, before substitution

    @property
    def n(self) -> int:
        return int(self.mi.shape[0])

    def col(self, name: str) -> int:
        return self.columns.index(name)

    def year(self, t: int) -> int:
        return self.years.index(t)

    def overall_survival(self, column: str) -> np.ndarray:
        """Overall survival, percent, [patient, year]."""
        return 100.0 * (1.0 - self.all_cause[:, self.col(column), :])

    def benefit_vs(self, column: str, baseline: str) -> np.ndarray:
        """Cumulative survival benefit of ``column`` over ``baseline``, percentage points."""
        d = self.all_cause
        return 100.0 * (d[:, self.col(baseline), :] - d[:, self.col(column), :])


_OUTPUT_DEFAULTS = {f.name: None if f.default is dataclasses.MISSING else f.default
                    for f in dataclasses.fields(PredictOutput)}


def output(**fields: object) -> PredictOutput:
    """A :class:`PredictOutput` of ``fields`` (those not given at their defaults), its fields
    set at once: the frozen dataclass's ``__init__`` sets each of its 17 fields through
    ``object.__setattr__``, which costs more than the arithmetic of one patient. The same
    object as ``PredictOutput(**fields)`` (fields, equality, immutability)."""
    obj = object.__new__(PredictOutput)
    obj.__dict__.update(_OUTPUT_DEFAULTS, warnings={}, inputs={})
    obj.__dict__.update(fields)
    return obj


def required(a: np.ndarray | None, what: str) -> np.ndarray:
    """An optional output array that this version and request must have produced."""
    if a is None:
        raise AssertionError(f"PREDICT output {what!r} was not computed for this request")
    return a
