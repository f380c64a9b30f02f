"""Packaged parameters of the prognostic indices, read once from ``indices.toml``.

Source: the file's header (NPI: Haybittle 1982, Blamey 2007; CTS5: Dowsett 2018; VNPI:
Silverstein 2003 and 2015). Values are looked up by name; a missing name is a DataFileError.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from axilla.errors import DataFileError

INDICES_FILE = "indices.toml"


@dataclass(frozen=True)
class Provenance:
    """Where a number comes from: model, version, variant (options in force) and source."""

    model: str
    version: str
    source: str
    variant: str = ""
    status: str = "VERIFIED"

    def label(self) -> str:
        variant = f", {self.variant}" if self.variant else ""
        return f"{self.model} ({self.version}{variant}; {self.status}) - {self.source}"


@cache
def _indices_table() -> dict[str, Any]:
    text = resources.files(__name__).joinpath(INDICES_FILE).read_text(encoding="utf-8")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"{INDICES_FILE}: not valid TOML ({exc})") from exc


def index_parameters(*path: str) -> Mapping[str, Any]:
    """The table at ``path`` (e.g. ``("npi", "groups6")``) of the packaged indices file."""
    table: Any = _indices_table()
    for i, key in enumerate(path):
        if not isinstance(table, Mapping) or key not in table:
            where = ".".join(path[: i + 1])
            raise DataFileError(f"{INDICES_FILE}: table or value {where!r} is missing")
        table = table[key]
    if not isinstance(table, Mapping):
        raise DataFileError(f"{INDICES_FILE}: {'.'.join(path)!r} is not a table")
    return table


def parameter(table: Mapping[str, Any], name: str, where: str) -> Any:
    """One named value of a table, or a DataFileError naming what is missing."""
    try:
        return table[name]
    except KeyError:
        raise DataFileError(f"{INDICES_FILE}: value {where}.{name} is missing") from None
