"""Strict requests: JSON bodies parsed once with duplicate keys and lone surrogates refused,
unknown query parameters refused, and unknown guidance fact names refused before any work.

RFC 8259 §4: names within an object SHOULD be unique, and when they are not, receivers differ
in which value they keep; a clinical record must never silently keep one of two values.
RFC 8259 §8.2: a string holding a lone surrogate is not valid Unicode and cannot be stored or
sent as UTF-8.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

from fastapi import Request
from fastapi.routing import APIRoute
from starlette.responses import Response

from axilla.errors import FieldProblem, InputError

#: How many refused names one reply lists (the rest are counted): a long list of unknown
#: names is refused as fast as a short one, and the reply stays small.
LISTED_UNKNOWN_NAMES = 10
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]", re.ASCII)
JSON_TYPES = re.compile(r"^application/([a-z0-9.+-]*\+)?json\s*(;|$)", re.IGNORECASE)


class MalformedJSONError(ValueError):
    """A body that is not one JSON document (answered 400)."""


class _Duplicates(dict[str, Any]):
    """An object in which some names were given twice (the names are kept for the report)."""

    duplicates: list[str]


def _flagged(out: dict[str, Any], pairs: list[tuple[str, Any]]) -> _Duplicates:
    seen: set[str] = set()
    flagged = _Duplicates(out)
    flagged.duplicates = [k for k, _ in pairs if k in seen or seen.add(k)]  # type: ignore[func-returns-value]
    return flagged


def _walk(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every (dotted path, value) in a parsed document, objects and arrays included."""
    yield path, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk(v, f"{path}.{i}" if path else str(i))


def _lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def loads_strict(body: bytes) -> Any:
    """Parse a JSON body; InputError (422) for duplicate names and lone surrogates, naming
    the field; MalformedJSONError (400) for anything that is not JSON."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedJSONError(f"not UTF-8 (byte {exc.start})") from None
    duplicated: list[_Duplicates] = []

    def pairs(found: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(found)
        if len(out) == len(found):
            return out
        duplicated.append(_flagged(out, found))
        return duplicated[-1]

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise MalformedJSONError(f"{exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise MalformedJSONError("nested too deeply") from None
    check_surrogates = _SURROGATE_ESCAPE.search(body) is not None
    if not duplicated and not check_surrogates:
        return data  # nothing to report: the document is not walked again
    problems: list[FieldProblem] = []
    try:
        for path, value in _walk(data):
            if isinstance(value, _Duplicates):
                problems.extend(FieldProblem(f"{path}.{k}" if path else k, None,
                                             "given more than once; give each name once")
                                for k in dict.fromkeys(value.duplicates))
            if not check_surrogates:
                continue
            texts = [value] if isinstance(value, str) else \
                list(value) if isinstance(value, dict) else []
            for t in texts:
                if _lone_surrogate(t):
                    problems.append(FieldProblem(path or "body", t.encode(
                        "utf-8", "backslashreplace").decode("ascii"),
                        "holds a lone surrogate, which is not valid Unicode"))
    except RecursionError:
        raise MalformedJSONError("nested too deeply") from None
    if problems:
        raise InputError(problems[:LISTED_UNKNOWN_NAMES])
    return data


def check_guidance_fact_names(data: Any, known: Callable[[], frozenset[str]]) -> None:
    """Refuse unknown names in ``guidance_facts`` at once, listing at most
    LISTED_UNKNOWN_NAMES of them, before the case is parsed or assessed."""
    facts = data.get("guidance_facts") if isinstance(data, dict) else None
    if not isinstance(facts, dict) or not facts:
        return
    names = known()
    unknown = [k for k in facts if k not in names]
    if not unknown:
        return
    problems = []
    for name in unknown[:LISTED_UNKNOWN_NAMES]:
        near = difflib.get_close_matches(name, sorted(names), n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        problems.append(FieldProblem(f"guidance_facts.{name}", None,
                                     f"unknown fact name{hint}; see `axilla guidance --fields`"))
    if len(unknown) > LISTED_UNKNOWN_NAMES:
        problems.append(FieldProblem("guidance_facts", None, f"{len(unknown)} unknown fact "
                                     f"names in all; the first {LISTED_UNKNOWN_NAMES} are listed"))
    raise InputError(problems)


@functools.cache
def guidance_fields() -> frozenset[str]:
    from axilla.case.facts import load_fields

    return frozenset(load_fields())


def allowed_query_names(request: Request, route: APIRoute) -> frozenset[str]:
    """The query parameters the route declares in the served OpenAPI description."""
    cache: dict[tuple[str, str], frozenset[str]] = request.app.state.__dict__.setdefault(
        "query_names", {})
    key = (route.path_format, request.method)
    if key not in cache:
        operation = request.app.openapi().get("paths", {}).get(route.path_format, {}).get(
            request.method.lower(), {})
        cache[key] = frozenset(p["name"] for p in operation.get("parameters", [])
                               if p.get("in") == "query")
    return cache[key]


class StrictRoute(APIRoute):
    """An API route that refuses unknown query parameters and reads JSON bodies strictly."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        reads_case = self.body_field is not None and self.body_field.field_info.annotation \
            is not None and getattr(self.body_field.field_info.annotation, "__name__", "") \
            == "Case"

        async def strict_handler(request: Request) -> Response:
            allowed = allowed_query_names(request, self)
            unknown = [k for k in dict.fromkeys(request.query_params.keys()) if k not in allowed]
            if unknown:
                listed = ", ".join(sorted(allowed)) or "none"
                raise InputError([FieldProblem(f"query.{k}", request.query_params.get(k),
                                               f"unknown query parameter; allowed: {listed}")
                                  for k in unknown[:LISTED_UNKNOWN_NAMES]])
            content_type = request.headers.get("content-type", "")
            if self.body_field is not None and JSON_TYPES.match(content_type):
                body = await request.body()
                if body:
                    data = loads_strict(body)
                    if reads_case:
                        check_guidance_fact_names(data, guidance_fields)
                    request._json = data
            return await handler(request)

        return strict_handler
