"""The FHIR tests read a bundle with ``read`` (tests/fhir/fhirdata.py holds the fixtures)."""

from __future__ import annotations

from typing import Any

import pytest

from axilla.interop.fhir.read import FhirImport, read_bundle


@pytest.fixture
def read() -> Any:
    def _read(data: Any) -> FhirImport:
        return read_bundle(data)

    return _read
