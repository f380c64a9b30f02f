"""Stage groups: anatomic, pathological prognostic and clinical prognostic (breast).

Source: AJCC Cancer Staging Manual, 8th edition, chapter 48, revised tables effective for cases
diagnosed from 1 January 2018, cross-checked cell by cell against the NCI SEER EOD tables
tnm_8_stage_group_breast and tnm_8_path_stage_group_breast. The tables are data files in
``axilla/staging/data/`` (source in their header) read once at import; the AJCC licensing
note is in docs/staging.md.
"""

from __future__ import annotations

import csv
import io
from importlib import resources
from typing import Literal, NamedTuple

from axilla.errors import DataFileError

STAGES = ("0", "IA", "IB", "IIA", "IIB", "IIIA", "IIIB", "IIIC", "IV")
ER_PR_COLUMNS = ("er_pos_pr_pos", "er_pos_pr_neg", "er_neg_pr_pos", "er_neg_pr_neg")
ONCOTYPE_LOW_RISK_BELOW = 11


def _read(name: str) -> list[dict[str, str]]:
    text = resources.files("axilla.staging").joinpath("data", name).read_text("utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    rows = list(csv.DictReader(io.StringIO("\n".join(lines))))
    for i, row in enumerate(rows, start=1):
        if None in row or any(v is None or v == "" for v in row.values()):
            raise DataFileError(f"staging/data/{name}: row {i} is incomplete: {row}")
    return rows


def _check_stage(name: str, value: str) -> str:
    if value not in STAGES:
        raise DataFileError(f"staging/data/{name}: {value!r} is not a stage ({', '.join(STAGES)})")
    return value


def _load_anatomic() -> dict[tuple[str, str, str], str]:
    table = {}
    for row in _read("anatomic_stage.csv"):
        table[(row["T"], row["N"], row["M"])] = _check_stage("anatomic_stage.csv", row["stage"])
    return table


def _load_blocks() -> dict[tuple[str, str], str]:
    return {(r["T"], r["N"]): r["block"] for r in _read("prognostic_blocks.csv")}


def _load_prognostic(name: str) -> dict[tuple[str, int, str, str], str]:
    table = {}
    for row in _read(name):
        for col in ER_PR_COLUMNS:
            key = (row["block"], int(row["grade"]), row["her2"], col)
            table[key] = _check_stage(name, row[col])
    blocks = {b for b in _BLOCKS.values()}
    expected = {(b, g, h, c) for b in blocks for g in (1, 2, 3) for h in ("pos", "neg")
                for c in ER_PR_COLUMNS}
    if set(table) != expected:
        missing = sorted(expected - set(table))[:3]
        raise DataFileError(f"staging/data/{name}: table incomplete, e.g. missing {missing}")
    return table


_ANATOMIC = _load_anatomic()
_BLOCKS = _load_blocks()
_PROGNOSTIC = {
    "pathological": _load_prognostic("pathological_prognostic.csv"),
    "clinical": _load_prognostic("clinical_prognostic.csv"),
}


def anatomic_stage(t: str, n: str, m: str) -> str | None:
    """Anatomic stage group from T, N and M groups (e.g. "T2", "N1mi", "M0"); None if none.

    N1mi with T2-T4 is staged as N1 (AJCC). Combinations outside the table get no group.
    """
    for key in ((t, n, m), ("any", n, m), ("any", "any", m)):
        if key in _ANATOMIC:
            return _ANATOMIC[key]
    if n == "N1mi" and t in ("T2", "T3", "T4"):
        return _ANATOMIC.get((t, "N1", m))
    return None


class Markers(NamedTuple):
    """Prognostic inputs: Nottingham grade, ER, PR, HER2 (positive/negative), recurrence score."""

    grade: int | None
    er: str | None
    pr: str | None
    her2: str | None
    oncotype_rs: int | None = None

    def missing(self) -> list[str]:
        return [name for name in ("grade", "er", "pr", "her2") if getattr(self, name) is None]


def prognostic_stage(
    t: str, n: str, m: str, markers: Markers,
    table: Literal["pathological", "clinical"] = "pathological",
    oncotype_scope: Literal["ajcc", "seer"] = "ajcc",
) -> tuple[str | None, list[str]]:
    """Prognostic stage group (AJCC 8th, revised 2018) from T/N/M groups and markers.

    Tis N0 M0 is 0 and any M1 is IV whatever the markers; otherwise grade, ER, PR and HER2
    must be known. Pathological table only: recurrence score < 11 with T1-T2 N0 M0, ER+,
    HER2- gives IA (AJCC text; ``oncotype_scope="seer"`` also applies it to T0-T1 N1).
    """
    label = f"{table} prognostic stage"
    if m == "M1":
        return "IV", [f"{label} IV: distant metastasis (M1)"]
    if t == "Tis" and n == "N0":
        return "0", [f"{label} 0: Tis N0 M0, whatever grade and biomarkers"]
    block = _BLOCKS.get((t, n))
    if block is None:
        return None, [f"{label} not assigned: {t} {n} {m} is not in the table"]
    missing = markers.missing()
    if missing:
        return None, [f"{label} not assigned: {', '.join(missing)} unknown (anatomic stage "
                      "reported instead)"]
    col = f"er_{markers.er[:3]}_pr_{markers.pr[:3]}"  # type: ignore[index]
    her2 = markers.her2[:3]  # type: ignore[index]
    stage = _PROGNOSTIC[table][(block, markers.grade, her2, col)]  # type: ignore[index]
    sign = {"positive": "+", "negative": "-"}
    er_pr = f"ER{sign[markers.er]}PR{sign[markers.pr]}"  # type: ignore[index]
    reasons = [f"{label} {stage}: {t} {n} {m} (block {block}), grade {markers.grade}, "
               f"HER2{'+' if her2 == 'pos' else '-'}, {er_pr}"]
    if table == "pathological" and markers.oncotype_rs is not None:
        rows = {("T1", "N0"), ("T2", "N0")}
        if oncotype_scope == "seer":
            rows |= {("T0", "N1"), ("T1", "N1")}
        applies = ((t, n) in rows and markers.er == "positive" and markers.her2 == "negative")
        rs = markers.oncotype_rs
        if applies and rs < ONCOTYPE_LOW_RISK_BELOW:
            reasons.append(f"Oncotype DX recurrence score {rs} (< {ONCOTYPE_LOW_RISK_BELOW}) in "
                           f"a {t} {n} M0 ER+ HER2- cancer -> IA (table value {stage})")
            stage = "IA"
        elif applies:
            reasons.append(f"Oncotype DX recurrence score {rs} (>= {ONCOTYPE_LOW_RISK_BELOW}): "
                           "table value used")
        else:
            scope = "T1-T2 N0" if oncotype_scope == "ajcc" else "T1-T2 N0 and T0-T1 N1"
            reasons.append(f"Oncotype DX recurrence score {rs} does not change the stage (rule "
                           f"only for {scope} M0, ER+, HER2-)")
    return stage, reasons
