"""Errors as HTTP responses: never a 200. 422 names each field, value and reason; malformed JSON
is 400; an oversized body is 413 (raised by the edge middleware in app.py).

Body of every error: ``{"detail": "...", "problems": [{"field", "value", "reason"}]}`` (problems
only for 422).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from axilla.case.problems import problems_from_errors
from axilla.errors import (
    AxillaError,
    DataFileError,
    FieldProblem,
    InputError,
    UnknownModelVersionError,
)
from axilla.service.safejson import SafeJSONResponse as JSONResponse

log = logging.getLogger("axilla.service")


class Problem(BaseModel):
    """One field that was refused."""

    field: str
    value: Any = None
    reason: str


class ErrorBody(BaseModel):
    """What every error response carries."""

    detail: str
    problems: list[Problem] = []


def _safe(value: Any) -> Any:
    """JSON-ready value; NaN and infinities (which JSON cannot hold) become text."""
    try:
        value = jsonable_encoder(value)
    except (TypeError, ValueError):
        return repr(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, list):
        return [_safe(v) for v in value]
    if isinstance(value, dict):
        return {k: _safe(v) for k, v in value.items()}
    return value


def problems_from_pydantic(errors: Iterable[dict[str, Any]]) -> list[FieldProblem]:
    """Pydantic/FastAPI error dicts -> field problems, by the case vocabulary's one translator
    (full dotted paths such as ``nodes.3.deposit_mm``; FastAPI's ``body`` dropped)."""
    return problems_from_errors(errors)


#: The most problems one reply lists: a body of thousands of bad rows is answered small.
LISTED_PROBLEMS = 50


def problem_response(problems: Sequence[FieldProblem], status: int = 422) -> JSONResponse:
    """A 422 (by default) naming every refused field (the first LISTED_PROBLEMS of them)."""
    problems = list(problems)[:LISTED_PROBLEMS]
    body = {
        "detail": "; ".join(str(p) for p in problems)[:2000] or "invalid input",
        "problems": [{"field": p.field, "value": _safe(p.value), "reason": p.reason}
                     for p in problems],
    }
    return JSONResponse(body, status_code=status)


def error_response(status: int, detail: str, headers: dict[str, str] | None = None
                   ) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = list(exc.errors())
    bad_json = [e for e in errors if e.get("type") == "json_invalid"]
    if bad_json:
        reason = (bad_json[0].get("ctx") or {}).get("error", "could not be parsed")
        return error_response(400, f"malformed JSON: {reason}")
    return problem_response(problems_from_pydantic(errors))


async def _input_error(request: Request, exc: InputError) -> JSONResponse:
    return problem_response(exc.problems)


async def _axilla_error(request: Request, exc: AxillaError) -> JSONResponse:
    if isinstance(exc, UnknownModelVersionError):
        return problem_response([FieldProblem(
            "version", exc.version, f"not available; choose one of {', '.join(exc.known)}")])
    if isinstance(exc, DataFileError):
        log.error("data file error id=%s: %s", request.state.request_id, exc)
        return error_response(500, "internal error in packaged data; see the server log")
    return error_response(422, str(exc))


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    return error_response(exc.status_code, str(exc.detail), getattr(exc, "headers", None))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    # The exception type only: messages may quote input values.
    rid = getattr(request.state, "request_id", "-")
    log.error("unhandled %s id=%s path=%s", type(exc).__name__, rid, request.url.path)
    return error_response(500, f"internal error (request id {rid})")


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers above on ``app``."""
    app.add_exception_handler(RequestValidationError, _validation)  # type: ignore[arg-type]
    app.add_exception_handler(InputError, _input_error)  # type: ignore[arg-type]
    app.add_exception_handler(AxillaError, _axilla_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected)
