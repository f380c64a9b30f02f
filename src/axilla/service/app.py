"""The FastAPI application: the edge middleware (edge.py), error handlers, the JSON API
(api.py), the web pages (pages/) and the API reference page, served offline.

Run it with ``axilla serve``; build it with ``create_app(settings)``.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles

from axilla import __version__
from axilla.service.edge import EdgeMiddleware
from axilla.service.errors import error_response, install_error_handlers
from axilla.service.safejson import SafeJSONResponse
from axilla.service.settings import Settings
from axilla.service.store import Store
from axilla.service.strict import MalformedJSONError

log = logging.getLogger("axilla.service")

#: Set by `axilla serve` for its worker processes: the supervisor's process id.
SUPERVISOR_PID_ENV = "AXILLA_SUPERVISOR_PID"
_PR_SET_PDEATHSIG = 1


#: A small valid case, assessed once at start-up so the first real request is not slowed by
#: one-time loading (rule set, catalogues, coefficient tables).
WARM_UP_CASE: dict[str, Any] = {
    "patient": {"age_years": 60},
    "tumour": {"invasive_sizes_mm": [15], "grade": 2, "er": "positive", "her2": "negative"},
    "nodes": [{"found_by": "sentinel", "deposit_mm": 0}],
    "procedure": {"kind": "sentinel"},
}


#: Allocations (net, of objects the cyclic collector tracks) before its youngest generation is
#: scanned, in a server process. One assessment request holds a few thousand such objects at
#: its peak, so Python's default of 700 ran a young collection on nearly every request
#: (484 in 500 requests of the example mix, 0.34 ms a request, plus older-generation passes:
#: 0.46 ms a request in all). At 20,000 the same 500 requests run none; cyclic garbage, which
#: requests hardly make, is still collected.
YOUNG_GC_THRESHOLD = 20_000


def warm_up() -> None:
    """Assess WARM_UP_CASE once (nothing is stored or logged), move every object alive after
    start-up (modules, rule sets, tables) out of the garbage collector's reach, and set the
    young-generation threshold to YOUNG_GC_THRESHOLD.

    The collector's full passes otherwise walk those long-lived objects every few thousand
    requests, a pause of tens of milliseconds that sets the 99th percentile (issue 12)."""
    import gc

    from axilla.assess import assess

    assess(WARM_UP_CASE)
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_GC_THRESHOLD, older, oldest)


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """The application, with its store opened (and migrated) from ``settings``."""
    from axilla.service import api
    from axilla.service.fast import DirectAssessment
    from axilla.service.fhir_api import router as fhir_router
    from axilla.service.pages import routes as pages

    settings = settings or Settings.from_env()

    async def malformed_json(request: Request, exc: MalformedJSONError) -> SafeJSONResponse:
        return error_response(400, f"malformed JSON: {exc}")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if owns_store:
            app.state.store.close()

    owns_store = store is None
    app = FastAPI(
        title="axilla",
        version=__version__,
        summary="Breast cancer decision support centred on the lymph nodes. Decision support, "
        "not a medical device.",
        description="Stateless compute (`/v1/assessments`, `/v1/predict`, `/v1/stage`) needs no "
        "token; stored cases (`/v1/cases`) need a bearer token from `axilla token create NAME`. "
        "A token belongs to a team and sees only that team's cases; `read` lists and reads, "
        "`write` stores. "
        "Errors: 400 malformed JSON, 401 missing or invalid token, 403 token lacks the scope, "
        "404 unknown case, 408 body too slow, 413 body too large, 422 refused input (duplicate "
        "JSON names and unknown query parameters included) with one problem (field, value, "
        "reason) per field.",
        default_response_class=SafeJSONResponse,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = store or Store(settings.database_url)
    install_error_handlers(app)
    app.add_exception_handler(MalformedJSONError, malformed_json)  # type: ignore[arg-type]
    app.include_router(api.router)
    app.include_router(fhir_router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(packages=[("axilla.service.pages", "static")]),
              name="static")
    app.mount("/docs-assets", StaticFiles(packages=[("fastapi_offline", "static")]),
              name="docs-assets")
    app.add_middleware(DirectAssessment)  # inside the edge: limits, headers, access line
    app.add_middleware(EdgeMiddleware, max_body_bytes=settings.max_body_bytes,
                       body_timeout_s=settings.body_timeout_s)
    return app


def die_with_parent() -> None:
    """Make this worker process end when the `axilla serve` process that started it ends,
    even by SIGKILL, so no orphan keeps the port (Linux prctl(2) PR_SET_PDEATHSIG)."""
    supervisor = os.environ.get(SUPERVISOR_PID_ENV, "")
    if not sys.platform.startswith("linux") or not supervisor.isdigit():
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != int(supervisor):  # the parent was gone before prctl took effect
        os.kill(os.getpid(), signal.SIGTERM)


def create_warm_app() -> FastAPI:
    """The application for one of several server processes: settings from the environment,
    tied to its parent's life, warmed up before it takes requests."""
    die_with_parent()
    app = create_app()
    warm_up()
    return app
