"""Small FHIR R4 fixtures for tests/fhir, written for the mapping rows of the FHIR spec
(shared spec fhir.md).

Each helper builds one resource as plain JSON; ``bundle`` wraps them. Codes are typed here
from the spec's tables, not taken from axilla's code tables, so a typo there would show.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

SCT, LNC, UCUM = "http://snomed.info/sct", "http://loinc.org", "http://unitsofmeasure.org"
AJCC = "http://cancerstaging.org"
PATIENT = {"reference": "Patient/p1"}
REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "fhir"


def reference_dir() -> Path:
    """shared/reference/fhir beside the repository, or skip naming it."""
    if not REFERENCE.is_dir():
        pytest.skip(f"reference folder {REFERENCE} is absent")
    return REFERENCE


def cc(system: str, code: str, text: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"coding": [{"system": system, "code": code}]}
    if text:
        out["text"] = text
    return out


def patient(gender: str = "female", birth: str = "1960-05-20", **rest: Any) -> dict[str, Any]:
    return {"resourceType": "Patient", "id": "p1", "gender": gender, "birthDate": birth, **rest}


def condition(code: str = "254837009", system: str = SCT, onset: str = "2020-03-01",
              **rest: Any) -> dict[str, Any]:
    out = {"resourceType": "Condition", "id": "c1", "code": cc(system, code),
           "subject": PATIENT, **rest}
    if onset:
        out["onsetDateTime"] = onset
    return out


def obs(code: str, system: str = LNC, rid: str | None = None, **rest: Any) -> dict[str, Any]:
    return {"resourceType": "Observation", "id": rid or f"o-{code}", "status": "final",
            "code": cc(system, code), "subject": PATIENT, **rest}


def size(value: float, unit: str = "mm", rid: str = "size", **rest: Any) -> dict[str, Any]:
    return obs("21889-1", rid=rid, specimen={"reference": "Specimen/s1"}, component=[
        {"code": cc(LNC, "33728-7"),
         "valueQuantity": {"value": value, "unit": unit, "system": UCUM, "code": unit}}], **rest)


def procedure(code: str, rid: str | None = None, **rest: Any) -> dict[str, Any]:
    return {"resourceType": "Procedure", "id": rid or f"pr-{code}", "status": "completed",
            "code": cc(SCT, code), "subject": PATIENT, **rest}


def medication(text: str, rid: str | None = None, kind: str = "MedicationRequest",
               **rest: Any) -> dict[str, Any]:
    return {"resourceType": kind, "id": rid or f"m-{text.split()[0]}", "status": "active",
            "intent": "order", "medicationCodeableConcept": {"text": text}, "subject": PATIENT,
            **rest}


def bundle(*resources: dict[str, Any], kind: str = "collection") -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": kind, "entry": [
        {"fullUrl": f"urn:uuid:{r['resourceType']}-{r['id']}", "resource": r}
        for r in resources]}


def base(*extra: dict[str, Any]) -> dict[str, Any]:
    """A minimal complete case (a woman aged 59 at diagnosis, 15 mm tumour) plus ``extra``."""
    return bundle(patient(), condition(), size(15), *extra)
