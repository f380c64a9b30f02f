"""Tolerant readers of FHIR datatypes (CodeableConcept, dates, status) as plain JSON.

Source: FHIR R4 (4.0.1) datatypes; spec fhir.md section 1 (precedence by status).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

_STATUS_RANK = {"final": 2, "amended": 2, "corrected": 2, "completed": 2, "active": 2,
                "preliminary": 1, "registered": 0}

def codings(cc: Any) -> list[tuple[str, str, str]]:
    """(system, code, display) of each coding of a CodeableConcept (tolerant of junk)."""
    if not isinstance(cc, dict):
        return []
    out = []
    for c in cc.get("coding") or []:
        if isinstance(c, dict) and c.get("code") is not None:
            out.append((str(c.get("system") or ""), str(c["code"]), str(c.get("display") or "")))
    return out

def code_in(cc: Any, wanted: Iterable[str] | str) -> str | None:
    """The first code of ``cc`` in ``wanted`` (whatever the system), else None."""
    wanted = {wanted} if isinstance(wanted, str) else set(wanted)
    return next((c for _, c, _ in codings(cc) if c in wanted), None)

def text_of(cc: Any) -> str:
    if not isinstance(cc, dict):
        return ""
    return str(cc.get("text") or next((d for _, _, d in codings(cc) if d), ""))

def when(res: Mapping[str, Any]) -> str:
    for name in ("effectiveDateTime", "performedDateTime", "onsetDateTime", "authoredOn",
                 "occurrenceDateTime", "recordedDate", "dateAsserted", "issued"):
        if isinstance(res.get(name), str):
            return res[name]
    for name in ("effectivePeriod", "performedPeriod", "onsetPeriod"):
        p = res.get(name)
        if isinstance(p, dict) and isinstance(p.get("start"), str):
            return p["start"]
    return ""

def rank(res: Mapping[str, Any]) -> int | None:
    """Trust of a resource's status; None for entered-in-error (ignored)."""
    status = res.get("status")
    if status == "entered-in-error":
        return None
    return _STATUS_RANK.get(status, 1) if status else 2
