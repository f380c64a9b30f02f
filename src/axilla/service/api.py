"""The JSON API, version 1: stateless compute, model and rule provenance, stored cases.

Request and response bodies are the library's own pydantic models (PredictInputs,
PredictResult, StagingCase, StagingResult, Case, Assessment), so the API and the library can
never disagree. Errors are raised (errors.py), never returned with a 200.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from functools import cache, partial
from typing import Annotated, Any, TypeVar

import anyio
from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field, TypeAdapter
from starlette.datastructures import State

from axilla import __version__
from axilla.assess import Assessment, assess
from axilla.case.assessment import Case
from axilla.case.predict import PredictInputs
from axilla.case.staging import StagingCase
from axilla.guidance import RULESET_VERSION, Citation, load_rules
from axilla.models.data import index_parameters
from axilla.models.predict import CURRENT_VERSION, available_versions, load_version
from axilla.models.predict.results import PredictResult, predict_one
from axilla.service.auth import require_scope
from axilla.service.errors import ErrorBody
from axilla.service.safejson import SafeJSONResponse as JSONResponse
from axilla.service.store import CASE_ID_PATTERN, CaseRecord, Principal
from axilla.service.strict import StrictRoute
from axilla.staging import StagingOptions, StagingResult, stage

router = APIRouter(route_class=StrictRoute)

#: Assessments computed at once for each queue (each in a worker thread): a flood of stateless
#: assessments queues in "compute" and never holds the threads that health checks and
#: stored-case reads use, nor delays the assessments of cases being stored ("store").
COMPUTE_THREADS = {"compute": 2, "store": 1}
#: Largest list offset (far beyond any store; keeps the value inside a 64-bit integer).
MAX_OFFSET = 1_000_000_000
T = TypeVar("T")


async def compute(request: Request, fn: Callable[..., T], *args: Any, queue: str = "compute",
                  **kwargs: Any) -> T:
    """Run a CPU-bound computation in one of the application's compute queues."""
    return await compute_in(request.app.state, fn, *args, queue=queue, **kwargs)


async def compute_in(state: State, fn: Callable[..., T], *args: Any, queue: str = "compute",
                     **kwargs: Any) -> T:
    """``compute`` given the application's state (for callers below the routes)."""
    limiters = state.__dict__.setdefault("compute_limiters", {})
    if queue not in limiters:
        limiters[queue] = anyio.CapacityLimiter(COMPUTE_THREADS[queue])
    return await anyio.to_thread.run_sync(partial(fn, *args, **kwargs),
                                          limiter=limiters[queue])


ERRORS_422: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Malformed JSON"},
    408: {"model": ErrorBody, "description": "Body not received in time"},
    413: {"model": ErrorBody, "description": "Body larger than the limit"},
    422: {"model": ErrorBody, "description": "Refused input: one problem per field"},
}


def json_response(model: BaseModel, status_code: int = 200,
                  headers: dict[str, str] | None = None) -> Response:
    """Serialise a pydantic model once, without re-validating it."""
    return Response(model.model_dump_json(), status_code=status_code, headers=headers,
                    media_type="application/json")


# --- health ----------------------------------------------------------------------------------


class Health(BaseModel):
    status: str
    version: str
    database: str


@router.get("/healthz", response_model=Health, tags=["service"],
            responses={503: {"model": Health, "description": "Database unavailable"}})
def healthz(request: Request) -> JSONResponse:
    """Liveness and database reachability."""
    ok = request.app.state.store.ping()
    body = Health(status="ok" if ok else "degraded", version=__version__,
                  database="ok" if ok else "unavailable")
    return JSONResponse(body.model_dump(), status_code=200 if ok else 503)


# --- stateless compute -----------------------------------------------------------------------


@router.post("/v1/predict", response_model=PredictResult, responses=ERRORS_422,
             tags=["compute"])
async def predict(
    inputs: PredictInputs, request: Request,
    version: Annotated[str, Query(description="PREDICT version; see /v1/models")] =
    CURRENT_VERSION,
) -> Response:
    """PREDICT Breast for one patient: survival by treatment and each treatment's benefit."""
    return json_response(await compute(request, predict_one, inputs, version))


@router.post("/v1/stage", response_model=StagingResult, responses=ERRORS_422, tags=["compute"])
async def stage_case(
    case: StagingCase, options: Annotated[StagingOptions, Query()], request: Request
) -> Response:
    """AJCC 8th edition (revised 2018) staging with the reason for every category.

    The choices on uncertain points are query parameters (defaults: docs/staging.md).
    """
    return json_response(await compute(request, stage, case, options))


# --- provenance ------------------------------------------------------------------------------


class PredictVersionInfo(BaseModel):
    id: str
    name: str
    function: str
    source: str
    dated: str
    description: str
    current: bool
    superseded: bool


class IndexInfo(BaseModel):
    id: str
    model: str
    version: str
    source: str


class ModelsInfo(BaseModel):
    """Every model version axilla ships, with its source."""

    axilla_version: str
    predict_current: str
    predict: list[PredictVersionInfo]
    indices: list[IndexInfo]


@cache
def _models() -> ModelsInfo:
    versions = []
    for vid in available_versions():
        v = load_version(vid)
        versions.append(PredictVersionInfo(
            id=v.id, name=v.name, function=v.function, source=v.source, dated=v.dated,
            description=v.description, current=v.current, superseded=v.superseded))
    indices = []
    for key in ("npi", "cts5", "vnpi"):
        t = index_parameters(key)
        indices.append(IndexInfo(id=key, model=str(t["model"]), version=str(t["version"]),
                                 source=str(t.get("source", ""))))
    return ModelsInfo(axilla_version=__version__, predict_current=CURRENT_VERSION,
                      predict=versions, indices=indices)


@router.get("/v1/models", response_model=ModelsInfo, tags=["provenance"])
def models() -> Response:
    """Model versions with their sources (PREDICT versions; NPI, CTS5, VNPI)."""
    return json_response(_models())


class RuleVariantInfo(BaseModel):
    name: str
    strength: str
    text: str


class RuleInfo(BaseModel):
    id: str
    topic: str
    strength: str
    source_kind: str
    text: str
    cite: str = Field(description="The citation as one line")
    citation: Citation
    note: str | None = None
    uncertain: str | None = None
    variants: list[RuleVariantInfo] = []


class RulesInfo(BaseModel):
    """The guidance rule set with the citation of every rule."""

    version: str
    topics: dict[str, str]
    source_kinds: dict[str, str]
    rules: list[RuleInfo]


@cache
def _rules() -> RulesInfo:
    rs = load_rules()
    order = {rid: i for i, rid in enumerate(rs.declared or rs.ids)}
    rules = sorted(rs.rules, key=lambda r: (list(rs.topics).index(r.topic)
                                            if r.topic in rs.topics else 99,
                                            order.get(r.id, 0)))
    return RulesInfo(
        version=RULESET_VERSION,
        topics=dict(rs.topics),
        source_kinds=dict(rs.source_kinds),
        rules=[RuleInfo(
            id=r.id, topic=r.topic, strength=r.strength, source_kind=r.source_kind,
            text=r.text, cite=str(r.citation), citation=r.citation, note=r.note,
            uncertain=r.uncertain,
            variants=[RuleVariantInfo(name=v.name, strength=v.strength, text=v.text)
                      for v in r.variants],
        ) for r in rules],
    )


@router.get("/v1/rules", response_model=RulesInfo, tags=["provenance"])
def rules() -> Response:
    """The guidance rule set (NICE NG101, CG81, DG34 and labelled practice rules)."""
    return json_response(_rules())


# --- assessments (stateless) -----------------------------------------------------------------

PredictVersionQuery = Annotated[
    str, Query(description="PREDICT version for the survival figures; see /v1/models")]


#: The serialiser of an Assessment, built once: JSON bytes straight from pydantic-core.
ASSESSMENT_JSON = TypeAdapter(Assessment)


def assessment_json(case: Case, predict_version: str = CURRENT_VERSION) -> bytes:
    """The assessment of ``case`` as JSON bytes, assessed and serialised in one compute call
    (the event loop never spends the serialisation of a 100 KB reply)."""
    return ASSESSMENT_JSON.dump_json(assess(case, predict_version=predict_version))


@router.post("/v1/assessments", response_model=Assessment, responses=ERRORS_422,
             tags=["compute"])
async def assessments(case: Case, request: Request,
                      predict_version: PredictVersionQuery = CURRENT_VERSION) -> Response:
    """Assess one case: staging, PREDICT, indices, guidance, recurrence, texts and charts.

    Nothing is stored; use POST /v1/cases to keep the case and its assessment.
    """
    body = await compute(request, assessment_json, case, predict_version)
    return Response(body, media_type="application/json")


# --- stored cases ----------------------------------------------------------------------------


class StoredCase(BaseModel):
    """A stored case: the input, its assessment and what produced it."""

    id: str
    created_at: datetime
    author: str
    input_sha256: str
    model_version: str = Field(description="PREDICT version in force for this assessment")
    ruleset_version: str
    axilla_version: str
    case: Case
    assessment: Assessment


class StoredCaseSummary(BaseModel):
    id: str
    created_at: datetime
    author: str
    model_version: str
    ruleset_version: str
    axilla_version: str


class CaseList(BaseModel):
    items: list[StoredCaseSummary]
    total: int
    limit: int
    offset: int


AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Missing, malformed or invalid bearer token"},
    403: {"model": ErrorBody, "description": "The token lacks the scope this needs"},
}
ReadToken = Annotated[Principal, Depends(require_scope("read"))]
WriteToken = Annotated[Principal, Depends(require_scope("write"))]


def _record_json(r: CaseRecord) -> dict[str, Any]:
    return {
        "id": r.id, "created_at": r.created_at.isoformat(), "author": r.author,
        "input_sha256": r.input_hash, "model_version": r.model_version,
        "ruleset_version": r.ruleset_version, "axilla_version": r.axilla_version,
        "case": r.input, "assessment": r.assessment,
    }


@router.post("/v1/cases", status_code=201, response_model=StoredCase,
             responses={**ERRORS_422, **AUTH_ERRORS}, tags=["cases"])
async def save_case(
    case: Case, request: Request, principal: WriteToken,
    predict_version: PredictVersionQuery = CURRENT_VERSION,
) -> JSONResponse:
    """Assess a case and store both for the token's team; 201 only once the record (and its
    access-log line) is committed to disk. Needs the write scope."""
    assessment = await compute(request, assess, case, queue="store",
                               predict_version=predict_version)
    record = await anyio.to_thread.run_sync(partial(
        request.app.state.store.save_case,
        case=case.model_dump(mode="json"),
        assessment=assessment.model_dump(mode="json"),
        author=principal.name,
        input_hash=assessment.provenance.input_sha256,
        model_version=predict_version,
        ruleset_version=assessment.provenance.ruleset_version,
        axilla_version=assessment.provenance.axilla_version,
        team=principal.team,
        token_id=principal.token_id,
    ))
    return JSONResponse(_record_json(record), status_code=201,
                        headers={"Location": f"/v1/cases/{record.id}"})


@router.get("/v1/cases", response_model=CaseList, responses=AUTH_ERRORS, tags=["cases"])
def list_cases(
    request: Request, principal: ReadToken,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> JSONResponse:
    """The team's stored cases, newest first, a page at a time (ids and versions only).
    Needs the read scope; recorded in the access log."""
    store = request.app.state.store
    items, total = store.list_cases(limit=limit, offset=offset, team=principal.team)
    store.record_access(principal.token_id, "list", None, 200)
    return JSONResponse({
        "items": [{k: v for k, v in s.__dict__.items() if k != "team"}
                  | {"created_at": s.created_at.isoformat()} for s in items],
        "total": total, "limit": limit, "offset": offset,
    })


@router.get("/v1/cases/{case_id}", response_model=StoredCase,
            responses={**AUTH_ERRORS, 404: {"model": ErrorBody}}, tags=["cases"])
def get_case(
    case_id: Annotated[str, Path(max_length=64)], request: Request, principal: ReadToken,
) -> JSONResponse:
    """One of the team's stored cases with its assessment. Needs the read scope; every read,
    found or not, is recorded in the access log (a case of another team is not found)."""
    store = request.app.state.store
    valid_id = re.fullmatch(CASE_ID_PATTERN, case_id) is not None
    record = store.get_case(case_id, team=principal.team) if valid_id else None
    store.record_access(principal.token_id, "read", case_id if valid_id else None,
                        200 if record else 404)
    if record is None:
        raise HTTPException(404, "no stored case with this id for your team")
    return JSONResponse(_record_json(record))
