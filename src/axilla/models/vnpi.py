"""USC/Van Nuys Prognostic Index for pure DCIS: sub-scores, total, group, 2015 management band.

Source: Silverstein MJ. Am J Surg 2003;186:337-343 (size, margin, pathological class and age
each scored 1-3; total 4-12; groups 4-6, 7-9, 10-12); Silverstein MJ, Lagios MD. Breast J
2015;21:127-132 (margin-based refinement for < 20 % local recurrence at 12 years). Band edges
for continuous values as in the axilla indices specification, section 5. Cut-offs are read by
name from ``data/indices.toml``; input validated by ``axilla.case.indices``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from axilla.case.indices import VNPIInputs
from axilla.models.data import Provenance, index_parameters, parameter

_VNPI = index_parameters("vnpi")
_MGMT = index_parameters("vnpi", "management_2015")


def _p(name: str) -> Any:
    return parameter(_VNPI, name, "vnpi")


def _m(name: str) -> Any:
    return parameter(_MGMT, name, "vnpi.management_2015")


def size_score(size_mm: np.ndarray) -> np.ndarray:
    """1 for <= 15 mm, 2 for > 15 to <= 40 mm, 3 for > 40 mm."""
    bounds = np.asarray(_p("size_upper_bounds_mm"), dtype=float)
    return 1 + np.searchsorted(bounds, np.asarray(size_mm, dtype=float), side="left")


def margin_score(margin_mm: np.ndarray) -> np.ndarray:
    """1 for >= 10 mm, 2 for >= 1 to < 10 mm, 3 for < 1 mm."""
    margin = np.asarray(margin_mm, dtype=float)
    bounds = np.asarray(_p("margin_lower_bounds_mm"), dtype=float)
    return 1 + (margin[..., None] < bounds).sum(axis=-1)


def pathology_score(nuclear_grade: np.ndarray, comedo_necrosis: np.ndarray) -> np.ndarray:
    """3 for nuclear grade 3; 2 for grade 1-2 with comedo-necrosis; 1 for grade 1-2 without."""
    high = np.asarray(nuclear_grade, dtype=float) >= _p("high_nuclear_grade")
    necrosis = np.asarray(comedo_necrosis, dtype=float) == 1
    return np.where(high, 3, np.where(necrosis, 2, 1))


def age_score(age_years: np.ndarray) -> np.ndarray:
    """1 for > 60 years, 2 for 40-60 years, 3 for < 40 years."""
    age = np.asarray(age_years, dtype=float)
    return 1 + (age <= _p("age_above_years_scores_1")) + (age < _p("age_from_years_scores_2"))


def vnpi_group(score: np.ndarray) -> np.ndarray:
    """Group codes of the total: low 4-6, intermediate 7-9, high 10-12 (Silverstein 2003)."""
    bounds = np.asarray(_p("group_upper_bounds"), dtype=float)
    codes = np.asarray(_p("group_codes"), dtype=str)
    return codes[np.searchsorted(bounds, np.asarray(score, dtype=float), side="left")]


def vnpi_management_2015(score: np.ndarray, margin_mm: np.ndarray) -> np.ndarray:
    """Management band of the 2015 refinement (Silverstein & Lagios 2015).

    Excision alone for 4-6, and for 7 with margin >= 3 mm; excision plus radiotherapy for 7
    with margin < 3 mm, 8 with margin >= 3 mm, 9 with margin >= 5 mm; mastectomy for 8 with
    margin < 3 mm, 9 with margin < 5 mm and for 10-12.
    """
    s = np.asarray(score, dtype=float)
    margin = np.asarray(margin_mm, dtype=float)
    alone, rt, mastectomy = (str(c) for c in _m("codes"))
    conditions = [
        s <= _m("excision_alone_max_score"),
        (s == 7) & (margin >= _m("score7_excision_alone_min_margin_mm")),
        s == 7,
        (s == 8) & (margin >= _m("score8_radiotherapy_min_margin_mm")),
        (s == 9) & (margin >= _m("score9_radiotherapy_min_margin_mm")),
    ]
    return np.select(conditions, [alone, alone, rt, rt, rt], default=mastectomy)


@dataclass(frozen=True)
class VNPIColumns:
    """VNPI outputs for a batch; one entry per case."""

    size_score: np.ndarray
    margin_score: np.ndarray
    pathology_score: np.ndarray
    age_score: np.ndarray
    score: np.ndarray
    group: np.ndarray
    management_2015: np.ndarray


def compute_vnpi(
    size_mm: np.ndarray,
    margin_mm: np.ndarray,
    nuclear_grade: np.ndarray,
    comedo_necrosis: np.ndarray,
    age_years: np.ndarray,
) -> VNPIColumns:
    """Every VNPI output for a batch of DCIS cases (a single case is a batch of one)."""
    s = np.atleast_1d(size_score(size_mm))
    m = np.atleast_1d(margin_score(margin_mm))
    p = np.atleast_1d(pathology_score(nuclear_grade, comedo_necrosis))
    a = np.atleast_1d(age_score(age_years))
    total = s + m + p + a
    return VNPIColumns(
        size_score=s, margin_score=m, pathology_score=p, age_score=a, score=total,
        group=np.atleast_1d(vnpi_group(total)),
        management_2015=np.atleast_1d(vnpi_management_2015(total, margin_mm)),
    )


def vnpi_provenance() -> Provenance:
    """Model, version and source of the VNPI score and groups."""
    return Provenance(model=str(_p("model")), version=str(_p("version")), source=str(_p("source")))


def vnpi_management_provenance() -> Provenance:
    """Model, version and source of the 2015 management band."""
    return Provenance(
        model="VNPI management band", version=str(_m("version")), source=str(_m("source")),
        variant="target < 20 % local recurrence at 12 years",
    )


@dataclass(frozen=True)
class VNPIResult:
    """VNPI of one DCIS case: sub-scores (size, margin, pathology, age), total and groups.

    ``group_management`` is the 2003 suggestion; ``management_2015`` the 2015 refinement. Both
    come from the index's authors; NICE does not use VNPI (NG101 1.4.4 and 1.13.9 apply).
    """

    provenance: Provenance
    subscores: tuple[int, int, int, int]
    score: int
    group: str
    group_management: str
    management_2015: str
    management_2015_label: str
    management_provenance: Provenance
    warnings: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        out = asdict(self)
        out["subscores"] = list(self.subscores)
        out["warnings"] = list(self.warnings)
        return out


def vnpi_applicability(
    dcis_only: np.ndarray, size_mm: np.ndarray, margin_mm: np.ndarray,
    nuclear_grade: np.ndarray, comedo_necrosis: np.ndarray,
) -> list[tuple[str, ...]]:
    """Why the VNPI cannot be given, for each case (empty = applicable), in words for people.

    The VNPI is for pure DCIS after excision, from DCIS size, margin, nuclear grade with
    comedo-necrosis and age (Silverstein 2003; indices spec 5). NaN marks a value not recorded.
    """
    pure = np.asarray(dcis_only, dtype=bool)
    needed = (("DCIS size in mm", size_mm), ("closest excision margin in mm", margin_mm),
              ("DCIS nuclear grade", nuclear_grade),
              ("presence or absence of comedo-necrosis", comedo_necrosis))
    arrays = [(what, np.asarray(x, dtype=float)) for what, x in needed]
    out: list[tuple[str, ...]] = []
    for i in range(pure.shape[0]):
        if not pure[i]:
            out.append(("VNPI is for pure DCIS (no invasive cancer); this tumour is not pure "
                        "DCIS",))
            continue
        out.append(tuple(f"VNPI needs the {what}; it is not recorded"
                         for what, x in arrays if np.isnan(x[i])))
    return out


def vnpi_for_case(inputs: VNPIInputs) -> VNPIResult:
    """The VNPI result of one validated case, computed as a batch of one."""
    cols = inputs.columns()
    out = compute_vnpi(
        cols["size_mm"], cols["margin_mm"], cols["nuclear_grade"], cols["comedo_necrosis"],
        cols["age_years"],
    )
    group = str(out.group[0])
    codes = list(_p("group_codes"))
    return VNPIResult(
        provenance=vnpi_provenance(),
        subscores=(
            int(out.size_score[0]), int(out.margin_score[0]),
            int(out.pathology_score[0]), int(out.age_score[0]),
        ),
        score=int(out.score[0]),
        group=group,
        group_management=str(_p("group_management")[codes.index(group)]),
        management_2015=str(out.management_2015[0]),
        management_2015_label=str(
            _m("labels")[list(_m("codes")).index(str(out.management_2015[0]))]
        ),
        management_provenance=vnpi_management_provenance(),
        warnings=tuple(inputs.warnings()),
    )
