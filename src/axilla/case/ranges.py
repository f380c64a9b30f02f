"""Every numeric range of the case, once, with its source.

Each ``Range`` generates the pydantic field (hence the OpenAPI ``minimum``/``maximum``), the
web form's hints (``min``/``max``/``step``), the CLI help and the words of every refusal, so
the four can never disagree. Keys are the field's dotted path in the case with list indices
left out (``nodes.deposit_mm`` for every node).

Sources: AJCC Cancer Staging Manual, 8th edition, chapter 48 (tumour and deposit sizes, node
counts); ASCO/CAP guideline 2020 (ER/PR: percent of stained nuclei); Oncotype DX recurrence
score scale 0-100 (Paik S et al. N Engl J Med 2004;351:2817-26); mean heart dose as PREDICT
v3.0 reads it (Grootes I et al. Breast Cancer Res 2022;24:87); the adult age range axilla
serves. Ranges of the PREDICT and index inputs are those models' own (``case/predict.py``,
``case/indices.py``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from pydantic import Field


@dataclass(frozen=True)
class Range:
    """A closed numeric range (or open at the bottom), whole numbers or not, with its source."""

    lo: float
    hi: float
    unit: str = ""
    whole: bool = False
    lo_open: bool = False
    note: str = ""
    source: str = ""

    def describe(self) -> str:
        """The range in words, as every refusal and help text quotes it."""
        unit = f" {self.unit}" if self.unit else ""
        lo = f"greater than {self.lo:g}" if self.lo_open else f"{self.lo:g}"
        text = f"{lo} to {self.hi:g}{unit}"
        if self.whole:
            text = f"a whole number from {text}"
        return f"{text} ({self.note})" if self.note else text

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies in the range (and is whole when it must be)."""
        if not math.isfinite(value) or value > self.hi:
            return False
        if value < self.lo or (self.lo_open and value == self.lo):
            return False
        return not self.whole or float(value).is_integer()

    def bounds(self) -> dict[str, Any]:
        """The pydantic constraints of the range (``ge``/``gt`` and ``le``)."""
        low = {"gt": self.lo} if self.lo_open else {"ge": self.lo}
        extra = {} if self.whole else {"allow_inf_nan": False}
        return {**low, "le": self.hi, **extra}

    def field(self, default: Any = None, description: str = "") -> Any:
        """A pydantic ``Field`` with the range's bounds and the range in its description."""
        text = f"{description} ({self.describe()})" if description else self.describe()
        return Field(default, description=text, **self.bounds())

    def form_hints(self) -> dict[str, str]:
        """HTML ``min``/``max``/``step`` attributes of the form input."""
        return {"min": f"{self.lo:g}", "max": f"{self.hi:g}",
                "step": "1" if self.whole else "any"}

    def help(self, what: str) -> str:
        """CLI help: what the value is, then the range."""
        return f"{what}: {self.describe()}"


_AJCC = "AJCC 8th edition, breast chapter"

#: Every numeric range of the case, by dotted path (list indices left out).
RANGES: dict[str, Range] = {
    "patient.age_years": Range(18, 110, "years", source="axilla scope: adult breast cancer"),
    "tumour.invasive_sizes_mm": Range(0, 500, "mm", lo_open=True, note="each invasive focus",
                                      source=f"{_AJCC}: greatest dimension of invasive tumour"),
    "tumour.er_percent": Range(0, 100, "%", note="1 % or more is positive",
                               source="ASCO/CAP ER/PR guideline 2020"),
    "tumour.pr_percent": Range(0, 100, "%", note="1 % or more is positive",
                               source="ASCO/CAP ER/PR guideline 2020"),
    "tumour.ki67_percent": Range(0, 100, "%", note="PREDICT counts more than 10 % as positive",
                                 source="Wishart GC et al. BMC Cancer 2014;14:908"),
    "tumour.oncotype_rs": Range(0, 100, whole=True, source="Paik S et al. NEJM 2004"),
    "nodes.deposit_mm": Range(0, 200, "mm", note="0 = no tumour in the node",
                              source=f"{_AJCC}: largest contiguous deposit"),
    "nodes.intranodal_deposit_mm": Range(0, 200, "mm", note="not larger than deposit_mm",
                                         source=f"{_AJCC}: extranodal extension"),
    "nodes.cells_per_section": Range(0, 1_000_000, whole=True,
                                     source=f"{_AJCC}: ITC up to 200 cells in a section"),
    "procedure.nodes_removed": Range(0, 100, whole=True, source=f"{_AJCC}: (sn) suffix"),
    "treatment.radial_margin_min_mm": Range(0, 200, "mm", note="0 = tumour on ink",
                                            source="NICE NG101 1.6 (margins)"),
    "treatment.mean_heart_dose_gy": Range(0, 50, "Gy", source="PREDICT v3.0 (Grootes 2022)"),
}


def bounded(path: str, default: Any = None, description: str = "") -> Any:
    """The pydantic ``Field`` of the case field at ``path`` (a key of ``RANGES``)."""
    return RANGES[path].field(default, description)


def range_of(path: str) -> Range | None:
    """The range of a dotted field path such as ``nodes.3.deposit_mm`` (indices ignored)."""
    key = ".".join(part for part in path.split(".") if not part.isdigit())
    return RANGES.get(key)
