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

A table keeps its rows and makes each column when it is first read, then keeps it: as an
array (``table[name]``) or as plain Python values (``table.values(name)``, for loops over the
cases), so a batch of a few cases reads only the columns its engines use, each once.
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


_NUMERIC_KINDS = ("number", "whole", "flag")
#: A derived count (whole number, never missing): an int64 column.
_COUNT = "count"
_Getter = Callable[[Any], Any]


def _column(kind: str, values: list[Any]) -> np.ndarray:
    """The array of a column from its plain values (``_Columns.values``)."""
    if kind in _NUMERIC_KINDS:
        return np.array(values, dtype=float)
    if kind == _COUNT:
        return np.array(values, dtype=np.int64)
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


class _Columns:
    """Columns of a batch's rows, each read from the rows when first asked for and then kept:
    a batch of few cases reads only the columns its engines use, each once, and loops over
    the cases read plain values without going through NumPy."""

    rows: Sequence[Any]
    _getters: Mapping[str, tuple[str, _Getter]]
    _lists: dict[str, list[Any]]
    _arrays: dict[str, np.ndarray]

    def values(self, name: str) -> list[Any]:
        """A column as plain Python values: float (NaN = not recorded) for numbers, whole
        numbers and flags; the value itself (None = not recorded) for codes and objects."""
        found = self._lists.get(name)
        if found is None:
            kind, get = self._getters[name]
            if kind in _NUMERIC_KINDS:
                found = [np.nan if (v := get(r)) is None else float(v) for r in self.rows]
            else:
                found = list(map(get, self.rows))
            self._lists[name] = found
        return found

    def __getitem__(self, name: str) -> np.ndarray:
        found = self._arrays.get(name)
        if found is None:
            found = self._arrays[name] = _column(self._getters[name][0], self.values(name))
        return found

    @property
    def columns(self) -> dict[str, np.ndarray]:
        """Every column, in table order."""
        return {name: self[name] for name in self._getters}


@dataclass(frozen=True)
class CaseTable(_Columns):
    """A batch of cases as columns: one element a case, in input order."""

    rows: Sequence[Case]
    _getters: Mapping[str, tuple[str, _Getter]] = field(repr=False)
    _lists: dict[str, list[Any]] = field(default_factory=dict, repr=False, compare=False)
    _arrays: dict[str, np.ndarray] = field(default_factory=dict, repr=False, compare=False)

    @property
    def n(self) -> int:
        return len(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class NodeTable(_Columns):
    """The node findings of a batch as columns: one element a node, ``case_index`` its case."""

    rows: Sequence[NodeFinding]
    case_rows: list[int]  # the case (row of the case table) of each node, as plain values
    n_cases: int
    _getters: Mapping[str, tuple[str, _Getter]] = field(repr=False)
    _lists: dict[str, list[Any]] = field(default_factory=dict, repr=False, compare=False)
    _arrays: dict[str, np.ndarray] = field(default_factory=dict, repr=False, compare=False)

    @property
    def case_index(self) -> np.ndarray:
        """The case of each node as an int64 array."""
        found = self._arrays.get("")
        if found is None:
            found = self._arrays[""] = np.array(self.case_rows, dtype=np.int64)
        return found

    def __len__(self) -> int:
        return len(self.rows)


def _getters(specs: Sequence[ColumnSpec]) -> dict[str, tuple[str, _Getter]]:
    return {s.name: (s.kind, attrgetter(".".join(s.path))) for s in specs}


_CASE_GETTERS: dict[str, tuple[str, _Getter]] = {
    **_getters(CASE_COLUMNS),
    # the derived columns (DERIVED)
    "tumour.size_mm": ("number", Case.invasive_size_mm),
    "tumour.er_status": ("code", lambda c: c.tumour.receptor("er")),
    "tumour.pr_status": ("code", lambda c: c.tumour.receptor("pr")),
    "tumour.invasive_foci": (_COUNT, lambda c: len(c.tumour.invasive_sizes_mm)),
    "node_count": (_COUNT, lambda c: len(c.nodes)),
}
_NODE_GETTERS = _getters(NODE_COLUMNS)


def node_table(cases: Sequence[Case]) -> NodeTable:
    """The node findings of ``cases`` as one table (a row a node, in case then input order)."""
    nodes = [n for c in cases for n in c.nodes]
    case_rows = [i for i, c in enumerate(cases) for _ in c.nodes]
    return NodeTable(nodes, case_rows, len(cases), _NODE_GETTERS)


def case_table(cases: Sequence[Case]) -> CaseTable:
    """``cases`` as a case table: every case field, then the derived columns (``DERIVED``)."""
    return CaseTable(cases, _CASE_GETTERS)


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
