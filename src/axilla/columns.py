"""The one bridge: cases <-> a case table (a row a case) and a node table (a row a node).

Source: the project design (docs: DESIGN, "columnar core"): a case is flattened once into
NumPy columns; every engine reads its inputs from these tables, so a page and a cohort share
one code path. This is the only code that flattens a ``Case``.

The columns follow the case schema itself (``axilla.case``), so a field added there appears
here without a second list to keep: a nested section's field is named by its dotted path
(``tumour.grade``, ``treatment.chemotherapy``). Column kinds:

* number: float64, NaN = not recorded (whole numbers too, e.g. ``tumour.grade``);
* flag: float64 1.0 / 0.0, NaN = not recorded (as the index input checks hold flags);
* code: object array of strings, None = not recorded;
* object: anything else (e.g. the tuple ``tumour.invasive_sizes_mm``, the recurrence event,
  ``guidance_facts``), kept as the validated value.

Derived columns (``DERIVED``) hold what several engines read the same way: the largest
invasive focus, ER and PR status from status or percent, the number of invasive foci.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel

from axilla.case.assessment import Case
from axilla.case.staging import NodeFinding

Kind = Literal["number", "whole", "flag", "code", "object"]

#: Columns computed from a case rather than copied from it, with what they hold.
DERIVED: dict[str, str] = {
    "tumour.size_mm": "largest invasive focus, mm (what PREDICT, NPI and CTS5 read as size)",
    "tumour.er_status": "ER status from the status or else the percent (>= 1 % positive)",
    "tumour.pr_status": "PR status from the status or else the percent (>= 1 % positive)",
    "tumour.invasive_foci": "number of separate invasive tumours recorded",
    "node_count": "number of node findings of the case",
}
#: Sections of a case flattened into dotted columns (the others are single columns).
_SECTIONS = ("patient", "tumour", "procedure", "treatment")


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a table: its dotted name, the path in the case and its kind."""

    name: str
    path: tuple[str, ...]
    kind: Kind


def _strip_optional(annotation: Any) -> Any:
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        return rest[0] if len(rest) == 1 else annotation
    if origin is typing.Annotated:
        return _strip_optional(args[0])
    return annotation


def _kind(annotation: Any) -> Kind:
    inner = _strip_optional(annotation)
    if inner is bool:
        return "flag"
    if inner is int:
        return "whole"
    if inner is float:
        return "number"
    if inner is str:
        return "code"
    if typing.get_origin(inner) is Literal:
        values = typing.get_args(inner)
        if all(isinstance(v, str) for v in values):
            return "code"
        if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            return "whole"
    return "object"


def _specs(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> list[ColumnSpec]:
    out: list[ColumnSpec] = []
    for name, info in model.model_fields.items():
        path = (*prefix, name)
        if not prefix and name in _SECTIONS:
            section = _strip_optional(info.annotation)
            out.extend(_specs(section, path))
        elif not prefix and name == "nodes":
            continue
        else:
            out.append(ColumnSpec(".".join(path), path, _kind(info.annotation)))
    return out


CASE_COLUMNS: tuple[ColumnSpec, ...] = tuple(_specs(Case))
NODE_COLUMNS: tuple[ColumnSpec, ...] = tuple(_specs(NodeFinding))


class _PlainValues:
    """Columns read as plain Python values, each once a table (for loops over the rows)."""

    columns: Mapping[str, np.ndarray]
    _lists: dict[str, list[Any]]

    def values(self, name: str) -> list[Any]:
        """A column as plain Python values (float, NaN where not recorded; str or None; the
        object itself), converted from the array on first read."""
        found = self._lists.get(name)
        if found is None:
            found = self._lists[name] = self.columns[name].tolist()
        return found


@dataclass(frozen=True)
class CaseTable(_PlainValues):
    """A batch of cases as columns: one element a case, in input order."""

    columns: Mapping[str, np.ndarray]
    n: int
    _lists: dict[str, list[Any]] = field(default_factory=dict, repr=False, compare=False)

    def __getitem__(self, name: str) -> np.ndarray:
        return self.columns[name]

    def __len__(self) -> int:
        return self.n


@dataclass(frozen=True)
class NodeTable(_PlainValues):
    """The node findings of a batch as columns: one element a node, ``case_index`` its case."""

    case_index: np.ndarray
    columns: Mapping[str, np.ndarray]
    n_cases: int
    _lists: dict[str, list[Any]] = field(default_factory=dict, repr=False, compare=False)

    def __getitem__(self, name: str) -> np.ndarray:
        return self.columns[name]

    def __len__(self) -> int:
        return int(self.case_index.shape[0])


def _column(kind: Kind, values: list[Any]) -> np.ndarray:
    if kind in ("number", "whole", "flag"):
        return np.array([np.nan if v is None else float(v) for v in values], dtype=float)
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


_NUMERIC_KINDS = ("number", "whole", "flag")


@dataclass(frozen=True)
class _Layout:
    """How a table is filled: numeric and code columns each in one block, read by getters."""

    numeric: tuple[tuple[str, Callable[[Any], Any]], ...]
    codes: tuple[tuple[str, Callable[[Any], Any]], ...]
    other: tuple[tuple[str, Callable[[Any], Any]], ...]
    order: tuple[str, ...]


def _layout(specs: Sequence[ColumnSpec]) -> _Layout:
    def getters(kinds: tuple[str, ...]) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
        return tuple((s.name, attrgetter(".".join(s.path))) for s in specs if s.kind in kinds)

    return _Layout(getters(_NUMERIC_KINDS), getters(("code",)), getters(("object",)),
                   tuple(s.name for s in specs))


def _table(rows: Sequence[Any], layout: _Layout) -> dict[str, np.ndarray]:
    """Columns of ``rows``: every numeric column a row of one float block, every code column
    a row of one object block (the same values and dtypes as one array per column)."""
    n = len(rows)
    # each block filled from one flat list, column after column (a nested list costs NumPy a
    # shape discovery per column)
    numbers = np.array([np.nan if v is None else float(v)
                        for _, get in layout.numeric for v in map(get, rows)],
                       dtype=float).reshape(len(layout.numeric), n)
    flat_codes = np.empty(len(layout.codes) * n, dtype=object)
    flat_codes[:] = [get(r) for _, get in layout.codes for r in rows]
    codes = flat_codes.reshape(len(layout.codes), n)
    found = dict(zip((name for name, _ in layout.numeric), numbers, strict=True))
    found.update(zip((name for name, _ in layout.codes), codes, strict=True))
    for name, get in layout.other:
        found[name] = _column("object", [get(r) for r in rows])
    return {name: found[name] for name in layout.order}


_CASE_LAYOUT = _layout(CASE_COLUMNS)
_NODE_LAYOUT = _layout(NODE_COLUMNS)


def node_table(cases: Sequence[Case]) -> NodeTable:
    """The node findings of ``cases`` as one table (a row a node, in case then input order)."""
    nodes = [n for c in cases for n in c.nodes]
    index = np.repeat(np.arange(len(cases), dtype=np.int64), [len(c.nodes) for c in cases])
    return NodeTable(index, _table(nodes, _NODE_LAYOUT), len(cases))


def case_table(cases: Sequence[Case]) -> CaseTable:
    """``cases`` as a case table: every case field, then the derived columns (``DERIVED``)."""
    cols = _table(cases, _CASE_LAYOUT)
    cols["tumour.size_mm"] = _column("number", [c.invasive_size_mm() for c in cases])
    cols["tumour.er_status"] = _column("code", [c.tumour.receptor("er") for c in cases])
    cols["tumour.pr_status"] = _column("code", [c.tumour.receptor("pr") for c in cases])
    cols["tumour.invasive_foci"] = np.array([len(c.tumour.invasive_sizes_mm) for c in cases],
                                            dtype=np.int64)
    cols["node_count"] = np.array([len(c.nodes) for c in cases], dtype=np.int64)
    return CaseTable(cols, len(cases))


def tables(cases: Sequence[Case]) -> tuple[CaseTable, NodeTable]:
    """The case table and the node table of a batch of cases."""
    return case_table(cases), node_table(cases)


# --------------------------------------------------------------------------------------------
# Tables -> cases


def _value(kind: Kind, x: Any) -> Any:
    if kind in ("number", "whole", "flag"):
        x = float(x)
        if np.isnan(x):
            return None
        return {"number": x, "whole": int(x), "flag": bool(x)}[kind]
    return x


def _nest(specs: Iterable[ColumnSpec], columns: Mapping[str, np.ndarray], row: int
          ) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for s in specs:
        value = _value(s.kind, columns[s.name][row])
        if value is None:
            continue
        target = out
        for part in s.path[:-1]:
            target = target.setdefault(part, {})
        target[s.path[-1]] = value
    return out


def cases_from_tables(cases: CaseTable, nodes: NodeTable) -> list[Case]:
    """Cases back from their tables; each is validated by the case schema (``axilla.case``)."""
    by_case: list[list[dict[str, Any]]] = [[] for _ in range(cases.n)]
    for row, i in enumerate(nodes.case_index):
        by_case[int(i)].append(_nest(NODE_COLUMNS, nodes.columns, row))
    out = []
    for row in range(cases.n):
        data = _nest(CASE_COLUMNS, cases.columns, row)
        data["nodes"] = by_case[row]
        out.append(Case.model_validate(data))
    return out
