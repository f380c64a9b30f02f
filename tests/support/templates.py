"""The placeholder names of a message template (shared by the catalogue tests)."""

from __future__ import annotations

import string


def placeholders(template: str) -> list[str]:
    """The names a ``str.format`` template asks for, sorted, each once."""
    return sorted({name for _, name, _, _ in string.Formatter().parse(template) if name})
