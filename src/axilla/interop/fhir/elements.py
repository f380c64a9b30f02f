"""Tolerant readers of FHIR datatypes (CodeableConcept, dates, status) as plain JSON.

Source: FHIR R4 (4.0.1) datatypes; spec fhir.md section 1 (precedence by status).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping
from datetime import date
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
    if not isinstance(status, str):
        return 2 if status is None else 1
    if status == "entered-in-error":
        return None
    return _STATUS_RANK.get(status, 1)


_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T.*)?")


def date_range(text: Any) -> tuple[date, date] | None:
    """Earliest and latest day a FHIR date/dateTime may mean ("1960" -> 1 Jan to 31 Dec);
    None when it is not a valid date."""
    m = _DATE.fullmatch(text.strip()) if isinstance(text, str) else None
    if m is None:
        return None
    year, month, day = (int(g) if g else None for g in m.groups())
    try:
        first = date(year or 1, month or 1, day or 1)
        last_month = month or 12
        last = date(year or 1, last_month,
                    day or calendar.monthrange(year or 1, last_month)[1])
    except ValueError:
        return None
    return first, last
