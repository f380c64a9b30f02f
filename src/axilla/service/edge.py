"""The edge of every request: body limit (413) and read timeout (408), security headers,
``Cache-Control: no-store``, a request id, one structured access line, and a last-resort 500
that keeps the headers and the connection.

The access line holds the method, the path (escaped; case ids only, no query string, no
body), the status, the duration, the process and the token id: never patient data.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from axilla.service.logs import escape

log = logging.getLogger("axilla.service")
access = logging.getLogger("axilla.service.access")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Content Security Policy of every response: no inline script, nothing from elsewhere (the
#: API reference page's viewer is served from an installed package, never a CDN).
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"content-security-policy", CSP.encode()),
)
#: Responses that may hold patient data must not be kept by any cache (every response but
#: the packaged static files).
NO_STORE = (b"cache-control", b"no-store")
CACHEABLE_PREFIXES = ("/static/", "/docs-assets/")
_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class BodyTooLargeError(Exception):
    """The body is larger than the limit."""


async def send_json(send: Send, status: int, body: dict[str, Any], close: bool = False) -> None:
    payload = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"),
               (b"content-length", str(len(payload)).encode())]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


class EdgeMiddleware:
    """See the module docstring; ``body_timeout_s`` bounds reading the whole request body."""

    def __init__(self, app: ASGIApp, max_body_bytes: int, body_timeout_s: float):
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.body_timeout_s = body_timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        request_id = uuid.uuid4().hex[:12]
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        status_seen = 0
        path = scope.get("path", "")
        cacheable = path.startswith(CACHEABLE_PREFIXES)

        async def send_with_headers(message: Message) -> None:
            nonlocal status_seen
            if message["type"] == "http.response.start":
                status_seen = message["status"]
                headers = [h for h in message.get("headers", [])
                           if not (h[0].lower() == b"cache-control" and not cacheable)]
                headers.extend(SECURITY_HEADERS)
                if not cacheable:
                    headers.append(NO_STORE)
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            if scope["method"] in _BODY_METHODS:
                try:
                    receive = await self._read_body(scope, receive)
                except BodyTooLargeError:
                    await send_json(send_with_headers, 413, {
                        "detail": f"request body larger than {self.max_body_bytes} bytes"},
                        close=True)
                    return
                except TimeoutError:
                    await send_json(send_with_headers, 408, {
                        "detail": f"request body not received within {self.body_timeout_s:g} s"},
                        close=True)
                    return
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:  # the last resort: no traceback, no message (it may hold data)
            log.error("unhandled %s id=%s path=%s", type(exc).__name__, request_id,
                      escape(path))
            if status_seen:
                raise
            await send_json(send_with_headers, 500,
                            {"detail": f"internal error (request id {request_id})"})
        finally:
            if access.isEnabledFor(logging.INFO):  # the line is built only when it is written
                access.info("access id=%s pid=%d method=%s path=%s status=%s ms=%.2f token=%s",
                            request_id, os.getpid(), escape(scope["method"], 16),
                            escape(path), status_seen or "-",
                            1000 * (time.perf_counter() - start), state.get("token_id", "-"))

    async def _read_body(self, scope: Scope, receive: Receive) -> Receive:
        """The whole body, replayed to the application; BodyTooLargeError over the limit,
        TimeoutError when it does not arrive in time."""
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    if int(value) > self.max_body_bytes:
                        raise BodyTooLargeError
                except ValueError:
                    raise BodyTooLargeError from None
        chunks: list[bytes] = []
        size = 0
        more = True
        async with asyncio.timeout(self.body_timeout_s):
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    break
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > self.max_body_bytes:
                    raise BodyTooLargeError
                chunks.append(chunk)
                more = message.get("more_body", False)
        return replaying(b"".join(chunks), receive)


def replaying(body: bytes, receive: Receive) -> Receive:
    """A receive that hands the application ``body`` whole, then defers to ``receive``."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
