"""The direct path of POST /v1/assessments: a well-formed request is answered here, under the
edge middleware, without FastAPI's routing, dependency solving and exception layers (0.4-0.7 ms
of a worker's CPU a request, issue 12); anything else goes on, body replayed, to the route in
api.py, which answers exactly as before.

Same checks, same model, same computation: the body is read strictly (strict.loads_strict),
unknown guidance fact names are refused (strict.check_guidance_fact_names), the case is
validated by ``Case`` once, and ``api.assessment_json`` assesses and serialises it in the same
compute queue. A request this path does not take whole (another content type, a query
parameter other than one ``predict_version``, a body that is not a valid case, an assessment
that raises) is handed to the route unchanged, so every refusal keeps its one source: the
route's 400/422 answers naming field, value and what is allowed.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from axilla.case.assessment import Case
from axilla.models.predict import CURRENT_VERSION
from axilla.service.api import assessment_json, compute_in
from axilla.service.edge import ASGIApp, Receive, Scope, Send, replaying
from axilla.service.strict import (
    JSON_TYPES,
    check_guidance_fact_names,
    guidance_fields,
    loads_strict,
)

#: The one request this path answers.
PATH = "/v1/assessments"
#: The only query parameter the route declares.
VERSION_PARAMETER = "predict_version"


def content_type(scope: Scope) -> bytes:
    """The request's Content-Type header (empty when absent)."""
    for name, value in scope["headers"]:
        if name == b"content-type":
            return bytes(value)
    return b""


def predict_version(query: bytes) -> str | None:
    """The PREDICT version a query string asks for (the default when empty); None when it
    holds anything else, which the route refuses with its own words."""
    if not query:
        return CURRENT_VERSION
    pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
    if len(pairs) != 1 or pairs[0][0] != VERSION_PARAMETER:
        return None
    return pairs[0][1]


class DirectAssessment:
    """ASGI middleware: answers well-formed POST /v1/assessments itself (see the module)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        version = predict_version(scope.get("query_string", b""))
        if version is None or not JSON_TYPES.match(content_type(scope).decode("latin-1")):
            await self.app(scope, receive, send)
            return
        body, receive = await read_all(receive)
        reply = await answer(scope, body, version)
        if reply is None:
            await self.app(scope, receive, send)
            return
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"content-length", str(len(reply)).encode()),
            (b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": reply})


async def answer(scope: Scope, body: bytes, version: str) -> bytes | None:
    """The assessment as JSON bytes, or None when the route must answer instead."""
    try:
        data = loads_strict(body)
        check_guidance_fact_names(data, guidance_fields)
        case = Case.model_validate(data)
        return await compute_in(scope["app"].state, assessment_json, case, version)
    except Exception:  # every refusal and failure is answered by the route, as before
        return None


async def read_all(receive: Receive) -> tuple[bytes, Receive]:
    """The whole request body, and a receive that hands it to the route again."""
    chunks: list[bytes] = []
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    body = b"".join(chunks)
    return body, replaying(body, receive)
