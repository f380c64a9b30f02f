"""Typed records made from values already checked, without validating them again.

pydantic's validated constructor checks every field; ``model_construct`` walks every field's
default and alias. For records the engines build many times an assessment from values whose
types are already exact, ``built`` sets the same four slots ``model_construct`` sets and
nothing else. Callers must give values of each field's exact type; each caller's tests check
that its records equal the validated construction (values, types, fields set).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from types import TracebackType
from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)

new = object.__new__
#: The setters of the slots every pydantic model instance fills (``model_construct`` sets the
#: same four), for loops that build many records inline.
set_dict, set_fields_set, set_extra, set_private = (
    BaseModel.__dict__[name].__set__ for name in (
        "__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__"))


def built(cls: type[M], values: dict[str, Any], fields_set: Iterable[str] | None = None) -> M:
    """A ``cls`` holding ``values`` (every field, in field order; the dict is kept, not
    copied), with ``fields_set`` as the validated constructor records it (default: the keys
    of ``values``)."""
    obj = new(cls)
    set_dict(obj, values)
    set_fields_set(obj, set(values if fields_set is None else fields_set))
    set_extra(obj, None)
    set_private(obj, None)
    return obj


def field_defaults(cls: type[BaseModel]) -> dict[str, Any]:
    """Each field's default in field order, for ``built`` records that give only some fields
    (only for fields whose defaults are immutable: the values are shared, not copied)."""
    return {name: f.default for name, f in cls.model_fields.items()}


class CollectorHeld:
    """``with CollectorHeld():`` holds off Python's cyclic garbage collector while a batch of
    records is built, and lets it run again afterwards if it ran before (nested uses leave it
    to the outermost).

    A batch allocates many small acyclic objects (records, dicts, lists); the collector,
    triggered by allocation counts, rescanned them over and over as the batch grew, so the cost
    a record rose with the batch (20-35 % of the CPU of 100-1,000 assessments; typed PREDICT
    results of 10^4 patients 2.8x slower a patient than without it). Reference counting still
    frees everything at once, so memory stays bounded by the batch.
    """

    __slots__ = ("_was_enabled",)

    def __enter__(self) -> None:
        self._was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._was_enabled:
            gc.enable()
