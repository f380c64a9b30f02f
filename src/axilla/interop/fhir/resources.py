"""Small builders of FHIR R4 JSON elements, and validation with the fhir.resources models.

fhir.resources 8.x ships FHIR R4B (4.3.0) models under ``fhir.resources.R4B``; axilla emits
only elements that exist unchanged in R4 (4.0.1), checked in tests/fhir against the R4
element lists of the resources it writes.
"""

from __future__ import annotations

import importlib
import json
import uuid
from typing import Any

from axilla.interop.fhir import codes as C  # noqa: N812 (short name for the code tables)

_NAMESPACE = uuid.UUID("6f1c0a52-3d7e-4a8e-9c55-2b0f1f4f7a10")


def full_url(seed: str, name: str) -> str:
    """A stable ``urn:uuid:`` for one output resource (same input -> same ids)."""
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{seed}/{name}')}"


def coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    out = {"system": system, "code": code}
    if display:
        out["display"] = display
    return out


def concept(system: str | None, code: str | None, text: str | None = None,
            display: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if system and code:
        out["coding"] = [coding(system, code, display)]
    if text:
        out["text"] = text
    return out


def axilla_concept(code: str, text: str | None = None) -> dict[str, Any]:
    return concept(C.AXILLA_CODES, code, text)


def quantity(value: float, unit: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "system": C.UCUM, "code": unit}


def category(code: str) -> list[dict[str, Any]]:
    return [concept(C.OBS_CATEGORY, code)]


def require_models() -> None:
    """Raise ModuleNotFoundError (naming fhir.resources) when the fhir extra is absent."""
    importlib.import_module("fhir.resources.R4B")


def validated(resource: dict[str, Any]) -> dict[str, Any]:
    """Validate a resource (a Bundle validates every resource in it) with its fhir.resources
    model; pydantic's error names the element. Returns the resource unchanged."""
    name = resource["resourceType"]
    module = importlib.import_module(f"fhir.resources.R4B.{name.lower()}")
    getattr(module, name).model_validate(resource)
    return resource


def bundle(entries: list[tuple[str, dict[str, Any]]], bundle_type: str = "collection",
           timestamp: str | None = None) -> dict[str, Any]:
    """A Bundle of (fullUrl, resource) entries, validated once as a whole."""
    out: dict[str, Any] = {"resourceType": "Bundle", "type": bundle_type,
                           "entry": [{"fullUrl": url, "resource": r} for url, r in entries]}
    if timestamp:
        out["timestamp"] = timestamp
    return validated(json.loads(json.dumps(out)))
