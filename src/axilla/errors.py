"""The one exception family of axilla.

Every message names the field, the value and the valid range, so that a person at the
multidisciplinary meeting can correct the input without reading code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class AxillaError(Exception):
    """Base class of every error axilla raises on purpose."""


@dataclass(frozen=True)
class FieldProblem:
    """One field that failed validation: where, what was given, what is allowed."""

    field: str
    value: object
    reason: str

    def __str__(self) -> str:
        return f"{self.field}: {self.reason} (got {self.value!r})"


class InputError(AxillaError, ValueError):
    """Input refused at the edge: one or more fields are out of range or inconsistent."""

    def __init__(self, problems: Sequence[FieldProblem]):
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


class UnknownModelVersionError(AxillaError, KeyError):
    """A model version that axilla does not ship."""

    def __init__(self, model: str, version: str, known: Sequence[str]):
        self.model, self.version, self.known = model, version, list(known)
        super().__init__(
            f"{model} version {version!r} is not available; choose one of {', '.join(known)}"
        )

    def __str__(self) -> str:  # KeyError would otherwise quote the whole message
        return self.args[0]


class DataFileError(AxillaError):
    """A packaged data file (coefficients, tables, rules) is malformed."""
