"""FHIR shells of the service: POST /v1/fhir/assessments (Bundle in, Bundle out) and the
CDS Hooks discovery endpoint with the patient-view service.

Source: spec fhir.md sections 3 and 3.6; CDS Hooks 2.0. A bundle that yields no case is
refused with 422 naming each missing fact; nothing is stored.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Query, Request
from fastapi.responses import JSONResponse

from axilla.errors import FieldProblem, InputError
from axilla.models.predict import CURRENT_VERSION

if TYPE_CHECKING:
    from axilla.interop.fhir.read import FhirImport

router = APIRouter()
FHIR_JSON = "application/fhir+json"


def _import(data: Any) -> FhirImport:
    from axilla.interop.fhir.read import read_bundle

    return read_bundle(data)


def _refuse(imported: FhirImport) -> InputError:
    problems = []
    for reason in imported.report.not_assessable:
        field, _, why = reason.partition(": ")
        if not why or not re.fullmatch(r"[a-z_]+(\.[a-z_]+)*", field):
            field, why = "bundle", reason
        problems.append(FieldProblem(field, None, why))
    return InputError(problems)


@router.post("/v1/fhir/assessments", tags=["fhir"], responses={
    200: {"content": {FHIR_JSON: {}}, "description": "The assessment as a FHIR R4 Bundle"},
    422: {"description": "No case could be read from the bundle; one problem per fact"}})
def fhir_assessments(bundle: Annotated[dict[str, Any], Body(description="A FHIR R4 Bundle")],
                     predict_version: Annotated[str, Query()] = CURRENT_VERSION
                     ) -> JSONResponse:
    """Assess the case in a FHIR R4 / mCODE Bundle and answer with a FHIR R4 Bundle."""
    from axilla.assess import assess
    from axilla.interop.fhir.resources import require_models
    from axilla.interop.fhir.write import assessment_bundle

    try:
        require_models()
    except ModuleNotFoundError:
        raise HTTPException(501, "the FHIR export needs the fhir extra (fhir.resources) on "
                                 "this server") from None
    imported = _import(bundle)
    if imported.case is None:
        raise _refuse(imported)
    a = assess(imported.case, predict_version=predict_version)
    out = assessment_bundle(a, patient_reference=imported.patient_reference,
                            condition_reference=imported.condition_reference,
                            sources=imported.sources, report=imported.report)
    return JSONResponse(out, media_type=FHIR_JSON)


@router.get("/v1/fhir/CodeSystem/axilla", tags=["fhir"])
def fhir_codesystem() -> JSONResponse:
    """axilla's CodeSystem: every local code of the FHIR import and export."""
    from axilla.interop.fhir.codesystem import codesystem

    return JSONResponse(codesystem(), media_type=FHIR_JSON)


@router.get("/cds-services", tags=["fhir"])
def cds_discovery() -> dict[str, Any]:
    """CDS Hooks discovery: the services this server offers."""
    from axilla.interop.fhir.cds import discovery

    return discovery()


@router.post("/cds-services/axilla-breast-assessment", tags=["fhir"])
def cds_patient_view(request: Request,
                     body: Annotated[dict[str, Any], Body(description="CDS Hooks request")]
                     ) -> JSONResponse:
    """The patient-view service: cards from the prefetched FHIR resources."""
    from axilla.assess import assess
    from axilla.interop.fhir.cds import cards, prefetch_resources

    if body.get("hook") != "patient-view":
        raise InputError([FieldProblem("hook", body.get("hook"), "must be patient-view")])
    prefetch = body.get("prefetch")
    resources = prefetch_resources(prefetch) if isinstance(prefetch, dict) else []
    if not resources:
        return JSONResponse({"detail": "prefetch with the patient's FHIR resources is required; "
                             "this service does not query FHIR servers"}, status_code=412)
    imported = _import(resources)
    a = assess(imported.case) if imported.case is not None else None
    return JSONResponse({"cards": cards(imported, a, hook_instance=str(
        body.get("hookInstance", "")), app_url=str(request.base_url))})
