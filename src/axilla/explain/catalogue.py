"""The message catalogue: patient-facing templates, one YAML file a language.

Source: the project rule that patient sentences live in a catalogue so they can be translated
(docs/explain.md). Templates use named placeholders (``{count}``); rendering fails loudly when
a key, a language or a placeholder value is missing, or when an unused value is passed. Each
template's placeholders are read once a language, when its catalogue is first used.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import yaml

from axilla.errors import DataFileError

DEFAULT_LANGUAGE = "en"


def _flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(_flatten(value, name + "."))
        elif isinstance(value, str):
            out[name] = value
        else:
            raise DataFileError(f"message {name!r}: expected text, got {type(value).__name__}")
    return out


def available_languages() -> tuple[str, ...]:
    """Language codes that have a catalogue file."""
    folder = resources.files("axilla.explain") / "messages"
    return tuple(sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml")))


@cache
def catalogue(lang: str = DEFAULT_LANGUAGE) -> Mapping[str, str]:
    """All templates of one language, keyed by dotted name (e.g. ``pn.positive_many``)."""
    path = resources.files("axilla.explain") / "messages" / f"{lang}.yaml"
    if not path.is_file():
        raise DataFileError(
            f"no message catalogue for language {lang!r}; available: "
            + ", ".join(available_languages())
        )
    tree = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(tree, Mapping):
        raise DataFileError(f"message catalogue {lang}.yaml: expected a mapping at the top")
    return _flatten(tree)


def placeholders(template: str) -> frozenset[str]:
    """The named placeholders of a template."""
    names = set()
    for _, name, _, _ in string.Formatter().parse(template):
        if name is not None:
            if not name.isidentifier():
                raise DataFileError(f"template {template!r}: placeholders must be named")
            names.add(name)
    return frozenset(names)


@cache
def _compiled(lang: str) -> Mapping[str, tuple[str, frozenset[str], str | None]]:
    """Each template of ``lang`` parsed once: (template, its placeholders, the text itself
    where it takes none)."""
    out = {}
    for key, template in catalogue(lang).items():
        wanted = placeholders(template)
        out[key] = (template, wanted, None if wanted else template.format())
    return out


def message(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """Render the template ``key`` of language ``lang`` with exactly its named values."""
    entry = _compiled(lang).get(key)
    if entry is None:
        raise DataFileError(f"message {key!r} is missing from the {lang!r} catalogue")
    template, wanted, text = entry
    if values.keys() != wanted:
        missing = sorted(wanted - values.keys())
        extra = sorted(values.keys() - wanted)
        raise DataFileError(
            f"message {key!r} ({lang}) takes placeholders {sorted(wanted)}; "
            f"missing {missing}, unexpected {extra}"
        )
    return text if text is not None else template.format(**values)
