"""Low and high benefit of each treatment: the PREDICT 2.x web tool's uncertainty ranges.

Source: WintonCentre/predict-v21-main, commit 27db8a7, src/cljs/predict/models/predict.cljs
(``types-rx``, lines 171-234). The tool gives each treatment's breast-cancer log hazard ratio a
[high-benefit, central, low-benefit] triplet and varies ONE treatment at a time: the column that
adds a treatment takes that treatment's bound while the treatments added before it keep their
central values (hrc-low = h + r + c-low). The triplets live in the version's data file
(``[ranges]``, checked at load); here each (treatment, bound) is one vectorised run of the same
engine and equations on a copy of the version with only that treatment's coefficients swapped,
for only the columns that add the treatment. Benefit = OS(step with the bound) - OS(step
before), in percentage points, unrounded.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from axilla.models.predict.engine import PredictOutput, compute
from axilla.models.predict.versions import RANGE_BOUNDS, PredictVersion, load_version

#: Where the web tool gives a treatment no effect, hence no range, though the version's own
#: column has one: the 10-year endocrine term is added only in ER-positive disease there
#: (types-rx, h-vec), while 2.2 adds it whatever the ER status (docs/models/predict.md, Q3).
SOURCE_REQUIRES = {"h10": ("er", 1.0)}


@cache
def variant(version_id: str, letter: str, bound: str) -> PredictVersion:
    """The version with the coefficients of treatment ``letter`` at ``bound`` ('high' or
    'low' benefit), every other number as the version has it (cached: one object each, so the
    engine's tables for it are built once)."""
    v = load_version(version_id)
    at = RANGE_BOUNDS.index(bound)
    treatment = dict(v.tables["treatment"]) | {
        name: triplet[at] for name, triplet in v.ranges[letter].items()}
    return dataclasses.replace(v, tables={**v.tables, "treatment": treatment}, ranges={})


def _added(v: PredictVersion, a: str, b: str) -> str | None:
    """The one treatment letter column ``b`` adds to column ``a``, if exactly one."""
    before = set(v.column_terms[v.columns.index(a)])
    after = [t for t in v.column_terms[v.columns.index(b)] if t not in before]
    return after[0] if len(after) == 1 else None


def ranged_steps(v: PredictVersion) -> dict[str, list[tuple[str, str]]]:
    """{treatment letter: [(from column, to column)]}: the ladder steps that have a range."""
    steps: dict[str, list[tuple[str, str]]] = {}
    for ladder in v.ladders.values():
        for a, b in itertools.pairwise(ladder):
            letter = _added(v, a, b)
            if letter is not None and letter in v.ranges and (a, b) not in steps.get(letter, []):
                steps.setdefault(letter, []).append((a, b))
    return steps


@dataclass(frozen=True)
class BenefitRanges:
    """Low and high benefit, pp, of each ranged step (from, to): [patient][year] lists, None
    for a patient the source gives no range."""

    years: tuple[int, ...]
    low: Mapping[tuple[str, str], list[list[float] | None]]
    high: Mapping[tuple[str, str], list[list[float] | None]]

    def fields(self, i: int, a: str, b: str, chosen: bool) -> dict[str, dict[int, float] | None]:
        """``benefit_low_pp`` and ``benefit_high_pp`` of patient ``i``'s step a -> b (None
        when the treatment is not chosen or the step has no range)."""
        step = (a, b)
        low = self.low[step][i] if chosen and step in self.low else None
        high = self.high[step][i] if chosen and step in self.high else None
        if low is None or high is None:
            return {"benefit_low_pp": None, "benefit_high_pp": None}
        return {"benefit_low_pp": dict(zip(self.years, low, strict=True)),
                "benefit_high_pp": dict(zip(self.years, high, strict=True))}

    def pair(self, i: int, a: str, b: str, chosen: bool
             ) -> tuple[dict[int, float] | None, dict[int, float] | None]:
        """The two values of :meth:`fields`, low then high."""
        found = self.fields(i, a, b, chosen)
        return found["benefit_low_pp"], found["benefit_high_pp"]


def benefit_ranges(out: PredictOutput, years: Sequence[int] | None = None
                   ) -> BenefitRanges | None:
    """The ranges of every ranged step for the batch of ``out`` at ``years`` (default: those
    of ``out``), or None when the version defines none (3.x, the 2.2 variants)."""
    v = out.version
    if not v.ranges:
        return None
    kept = tuple(t for t in (years if years is not None else out.years) if t in out.years)
    at = [out.year(t) for t in kept]
    low: dict[tuple[str, str], list[list[float] | None]] = {}
    high: dict[tuple[str, str], list[list[float] | None]] = {}
    for letter, pairs in ranged_steps(v).items():
        columns = tuple(sorted({b for _, b in pairs}, key=v.columns.index))
        need = SOURCE_REQUIRES.get(letter)
        defined = (np.ones(out.n, dtype=bool) if need is None
                   else np.asarray(out.inputs[need[0]]) == need[1]).tolist()
        for bound, found in (("low", low), ("high", high)):
            run = compute(out.inputs, variant(v.id, letter, bound), columns=columns,
                          years=out.years, validate=False, split=False)
            for a, b in pairs:
                gain = 100.0 * (out.all_cause[:, out.col(a)] - run.all_cause[:, run.col(b)])
                rows = gain[:, at].tolist()
                found[(a, b)] = [r if ok else None for r, ok in zip(rows, defined, strict=True)]
    return BenefitRanges(kept, low, high)
