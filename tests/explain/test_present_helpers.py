"""The look-ups read once a language give what the general ways give every call.

Oracles: ``str.format`` of each catalogue template with ``string.Formatter`` reading its
placeholders, and ``message`` (which checks the values it is given every call).
"""

from __future__ import annotations

import string

import pytest

from axilla.errors import DataFileError
from axilla.explain.catalogue import available_languages, catalogue, formatter, message


def _names(template: str) -> list[str]:
    return sorted({name for _, name, _, _ in string.Formatter().parse(template) if name})


@pytest.mark.parametrize("lang", available_languages())
def test_every_template_read_once_renders_as_message_does(lang):
    for key, template in catalogue(lang).items():
        names = _names(template)
        values = {name: f"<{name}>" for name in names}
        render = formatter(key, lang, *names)
        assert render(**values) == message(key, lang, **values) == template.format(**values)


def test_a_template_read_once_refuses_the_wrong_values():
    with pytest.raises(DataFileError, match=r"missing \['count'\]"):
        formatter("chart.icon_item", "en", "label")
    with pytest.raises(DataFileError, match=r"unexpected \['zz_extra'\]"):
        formatter("chart.icon_item", "en", "label", "count", "zz_extra")
    with pytest.raises(DataFileError, match=r"unexpected \['years'\]"):
        formatter("chart.x_axis", "en", "years")
    with pytest.raises(DataFileError, match="missing from the 'en' catalogue"):
        formatter("chart.no_such_text", "en")


def test_a_fixed_text_read_once_keeps_its_braces():
    """A text without placeholders is the template formatted with nothing, as ``message``
    gives it, even where the template writes a brace as ``{{``."""
    for lang in available_languages():
        for key, template in catalogue(lang).items():
            if not _names(template):
                assert formatter(key, lang)() == message(key, lang) == template.format()


@pytest.mark.parametrize("lang", available_languages())
def test_the_questions_fixed_texts_are_the_catalogue_texts(lang):
    from axilla.explain.questions import _said

    said = _said(lang)
    fixed = {key[len("questions."):] for key, template in catalogue(lang).items()
             if key.startswith("questions.") and not _names(template)}
    assert set(said) == fixed
    for key in fixed:
        assert said[key] == message(f"questions.{key}", lang)
    with pytest.raises(DataFileError, match="missing from"):
        said["no_such.text"]
    with pytest.raises(DataFileError, match="takes placeholders"):
        said["pending.item"]  # a template: it needs its value
