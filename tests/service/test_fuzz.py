"""Fuzz every operation of the served OpenAPI description (schemathesis): valid (positive) and
invalid (negative) bodies, query strings and path values; stored-case operations with a valid
read+write token. No reply may be a 5xx, and every reply keeps the security headers and
no-store.

The number of examples per operation and mode is bounded (FUZZ_EXAMPLES, default 100) so the
suite takes about a minute; raise it for a longer campaign (FUZZ_EXAMPLES=2000 make test).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from axilla.service.app import create_app
from axilla.service.settings import Settings
from axilla.service.store import Store

pytestmark = pytest.mark.slow

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))
_DIR = tempfile.mkdtemp(prefix="axilla-fuzz-")
atexit.register(shutil.rmtree, _DIR, True)
STORE = Store(f"sqlite:///{Path(_DIR) / 'axilla.db'}")
TOKEN = STORE.create_token("fuzz", team="fuzzers")
APP = create_app(Settings(database_url=STORE.url, max_body_bytes=64 * 1024), store=STORE)
SCHEMA = schemathesis.openapi.from_asgi("/openapi.json", APP)
OPERATIONS = {op.label: op for op in (r.ok() for r in SCHEMA.get_all_operations())}
#: Invalid input can be made only for operations that take some: a body or parameters.
CASES = [(label, mode) for label, op in sorted(OPERATIONS.items()) for mode in GenerationMode
         if mode is GenerationMode.POSITIVE or op.definition.raw.get("parameters")
         or op.definition.raw.get("requestBody")]


def test_every_served_operation_is_fuzzed() -> None:
    served = {f"{method.upper()} {path}" for path, item in APP.openapi()["paths"].items()
              for method in item}
    assert set(OPERATIONS) == served and len(served) >= 9, sorted(OPERATIONS)


@pytest.mark.parametrize(("label", "mode"), CASES, ids=[f"{lb}-{m.value}" for lb, m in CASES])
def test_no_operation_answers_5xx(label: str, mode: GenerationMode) -> None:
    operation = OPERATIONS[label]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case: Any) -> None:
        response = case.call(headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code < 500, (case.method, case.formatted_path, case.query,
                                            repr(case.body)[:300], response.text[:300])
        assert response.headers.get("x-content-type-options") == ["nosniff"]
        assert response.headers.get("cache-control") == ["no-store"]
        if response.status_code >= 400:
            assert response.json()["detail"]

    check()
