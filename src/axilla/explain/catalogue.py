"""The message catalogue: patient-facing templates, one YAML file a language.

Source: the project rule that patient sentences live in a catalogue so they can be translated
(docs/explain.md). Templates use named placeholders (``{count}``); rendering fails loudly when
a key, a language or a placeholder value is missing, or when an unused value is passed. Each
template's placeholders are read once a language, when its catalogue is first used, and the
template becomes a function of them (Python's f-string: the same ``format(value, "")`` of each
value as ``str.format``, without reading the template again at every call).
"""

from __future__ import annotations

import keyword
import string
from collections.abc import Callable, Mapping
from functools import cache
from importlib import resources
from typing import Any, NoReturn

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


_Render = Callable[..., str]
#: Per language: the texts that take no placeholder, rendered, and the other templates as
#: functions of their placeholders, with those; filled when a language is first used.
_PARSED: dict[str, tuple[dict[str, str], dict[str, tuple[_Render, frozenset[str]]]]] = {}


def _parsed(lang: str) -> tuple[dict[str, str], dict[str, tuple[_Render, frozenset[str]]]]:
    """The templates of ``lang`` read once: fixed texts, and templates with placeholders."""
    found = _PARSED.get(lang)
    if found is None:
        fixed, templates = {}, {}
        for key, template in catalogue(lang).items():
            wanted = placeholders(template)
            if wanted:
                templates[key] = (compiled(template), wanted)
            else:
                fixed[key] = template.format()
        found = _PARSED[lang] = (fixed, templates)
    return found


def compiled(template: str) -> _Render:
    """``template.format`` as a function of its named values only, the template read once:
    its literal pieces (passed in as values, never written into code) and its placeholder
    names in an f-string. A template with a format spec, a conversion or a name that cannot
    be a keyword argument keeps ``str.format``."""
    pieces: list[str] = []
    literals: list[str] = []
    names: list[str] = []
    for literal, name, spec, conversion in string.Formatter().parse(template):
        if literal:
            pieces.append(f"{{_{len(literals)}}}")
            literals.append(literal)
        if name is not None:
            if (spec or conversion or not name.isidentifier() or keyword.iskeyword(name)
                    or name.startswith("_")):
                return template.format
            pieces.append(f"{{{name}}}")
            names.append(name)
    if not names:
        return template.format
    params = ", ".join([f"_{i}" for i in range(len(literals))])
    source = (f"def make({params}):\n"
              f"    return lambda *, {', '.join(dict.fromkeys(names))}: f\"{''.join(pieces)}\"\n")
    scope: dict[str, Any] = {}
    exec(compile(source, "<message template>", "exec"), scope)
    render: _Render = scope["make"](*literals)
    return render


def message(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """Render the template ``key`` of language ``lang`` with exactly its named values."""
    fixed, templates = _PARSED.get(lang) or _parsed(lang)
    if not values:
        text = fixed.get(key)
        if text is not None:
            return text
    entry = templates.get(key)
    if entry is None or values.keys() != entry[1]:
        _refuse(key, lang, values)
    return entry[0](**values)


@cache
def formatter(key: str, lang: str, *names: str) -> Callable[..., str]:
    """The template ``key`` of ``lang`` as a function of exactly the values ``names``, checked
    once a (key, language, names) as ``message`` checks every call; for texts rendered many
    times an assessment. A text without placeholders is returned by a function of nothing."""
    fixed, templates = _PARSED.get(lang) or _parsed(lang)
    entry = templates.get(key)
    if entry is None or set(names) != entry[1]:
        if key in fixed and not names:
            return catalogue(lang)[key].format
        _refuse(key, lang, dict.fromkeys(names))
    return entry[0]


def _refuse(key: str, lang: str, values: Mapping[str, object]) -> NoReturn:
    """Why ``message(key, lang, **values)`` cannot be rendered: no such key, or values that
    are not exactly the template's placeholders."""
    templates = catalogue(lang)
    if key not in templates:
        raise DataFileError(f"message {key!r} is missing from the {lang!r} catalogue")
    wanted = placeholders(templates[key])
    missing = sorted(wanted - values.keys())
    extra = sorted(values.keys() - wanted)
    raise DataFileError(
        f"message {key!r} ({lang}) takes placeholders {sorted(wanted)}; "
        f"missing {missing}, unexpected {extra}"
    )
