"""The FastAPI application: edge middleware (body limit, security headers, id-only logging),
error handlers, the JSON API (api.py) and the web pages (pages/).

Run it with ``axilla serve``; build it with ``create_app(settings)``.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from axilla import __version__
from axilla.service.errors import install_error_handlers
from axilla.service.settings import Settings
from axilla.service.store import Store

log = logging.getLogger("axilla.service")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Content Security Policy of every response: no inline script, nothing from elsewhere.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
#: The interactive API page loads Swagger UI from a CDN (script and style only, no inline).
DOCS_CDN = "https://cdn.jsdelivr.net"
DOCS_CSP = (f"default-src 'self'; script-src 'self' {DOCS_CDN}; style-src 'self' {DOCS_CDN}; "
            "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)
_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


async def _send_json(send: Send, status: int, body: dict[str, Any]) -> None:
    payload = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
        (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": payload})


class EdgeMiddleware:
    """Body-size limit (413), security headers, a request id, and a log line of ids and timings.

    The log line holds the method, the path (case ids only; no query string, no body), the
    status and the duration: never patient data.
    """

    def __init__(self, app: ASGIApp, max_body_bytes: int):
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        request_id = uuid.uuid4().hex[:12]
        scope.setdefault("state", {})["request_id"] = request_id
        status_seen = 500
        path = scope.get("path", "")
        csp = (DOCS_CSP if path == "/docs" else CSP).encode()

        async def send_with_headers(message: Message) -> None:
            nonlocal status_seen
            if message["type"] == "http.response.start":
                status_seen = message["status"]
                headers = list(message.get("headers", []))
                headers.extend(SECURITY_HEADERS)
                headers.append((b"content-security-policy", csp))
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            if scope["method"] in _BODY_METHODS:
                replay = await self._read_body(scope, receive)
                if replay is None:
                    await _send_json(send_with_headers, 413, {
                        "detail": f"request body larger than {self.max_body_bytes} bytes"})
                    return
                receive = replay
            await self.app(scope, receive, send_with_headers)
        finally:
            log.info("request id=%s method=%s path=%s status=%s ms=%.2f", request_id,
                     scope["method"], path, status_seen, 1000 * (time.perf_counter() - start))

    async def _read_body(self, scope: Scope, receive: Receive) -> Receive | None:
        """The whole body (None if over the limit), replayed to the application."""
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    if int(value) > self.max_body_bytes:
                        return None
                except ValueError:
                    return None
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                return None
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return replay


#: A small valid case, assessed once at start-up so the first real request is not slowed by
#: one-time loading (rule set, catalogues, coefficient tables).
WARM_UP_CASE: dict[str, Any] = {
    "patient": {"age_years": 60},
    "tumour": {"invasive_sizes_mm": [15], "grade": 2, "er": "positive", "her2": "negative"},
    "nodes": [{"found_by": "sentinel", "deposit_mm": 0}],
    "procedure": {"kind": "sentinel"},
}


def warm_up() -> None:
    """Assess WARM_UP_CASE once (nothing is stored or logged)."""
    from axilla.assess import assess

    assess(WARM_UP_CASE)


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """The application, with its store opened (and migrated) from ``settings``."""
    from axilla.service import api
    from axilla.service.fhir_api import router as fhir_router
    from axilla.service.pages import routes as pages

    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI):  # type: ignore[no-untyped-def]
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
        "Errors: 400 malformed JSON, 401 missing or invalid token, 404 unknown case, 413 body "
        "too large, 422 refused input with one problem (field, value, reason) per field.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = store or Store(settings.database_url)
    install_error_handlers(app)
    app.include_router(api.router)
    app.include_router(fhir_router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(packages=[("axilla.service.pages", "static")]),
              name="static")
    app.add_middleware(EdgeMiddleware, max_body_bytes=settings.max_body_bytes)
    return app


def create_warm_app() -> FastAPI:
    """The application for one of several server processes: settings from the environment,
    warmed up before it takes requests."""
    app = create_app()
    warm_up()
    return app
