"""SVG building blocks of the charts: escaping, the accessible opening, legends.

Source: SVG 1.1 (W3C, 2011) for the elements; WAI-ARIA 1.1 ``role="img"`` with
``aria-labelledby`` naming the <title> and <desc> text alternative. Escaping as the standard
library's ``xml.sax.saxutils`` does it, written out so that the many short texts of a chart are
escaped without its general-purpose entity loop.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import quoteattr

FONT = "font-family=\"sans-serif\""
#: Legend text longer than this many characters wraps onto a second line, so that a legend at
#: 13 px fits a 344 px chart (a 375 px phone) without shrinking or clipping.
LEGEND_WRAP_CHARS = 40


def escape(text: str) -> str:
    """``text`` as SVG character data: &, < and > as entities (``xml.sax.saxutils.escape``)."""
    if "&" in text or "<" in text or ">" in text:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


#: Attribute values already quoted (the few colours of the charts), at most ``_QUOTED_MAX``.
_QUOTED: dict[str, str] = {}
_QUOTED_MAX = 64


def attr(value: str) -> str:
    """``value`` as a quoted attribute value (``xml.sax.saxutils.quoteattr``); a colour such as
    ``#0072B2`` has nothing to escape and is quoted directly."""
    quoted = _QUOTED.get(value)
    if quoted is None:
        quoted = f'"{value}"' if value[:1] == "#" and value[1:].isalnum() else quoteattr(value)
        if len(_QUOTED) < _QUOTED_MAX:
            _QUOTED[value] = quoted
    return quoted


def px(value: float) -> str:
    """``value`` as ``f"{value:g}"`` writes it; a whole number of fewer than seven digits (every
    position of these charts) written directly, as "g" writes it."""
    if type(value) is int and -1_000_000 < value < 1_000_000:
        return str(value)
    return f"{value:g}"


def svg_open(width: float, height: float, prefix: str, title: str, desc: str) -> list[str]:
    """The opening of an accessible chart: the <svg> element named by its title and text
    alternative, and a white background."""
    w, h = px(width), px(height)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}" role="img" '
        f'aria-labelledby="{prefix}-title {prefix}-desc">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(desc)}</desc>',
        f'<rect x="0" y="0" width="{w}" height="{h}" fill="#FFFFFF"/>',
    ]


def legend_lines(item: str) -> list[str]:
    """One legend text as one line, or two split at the last space before the wrap width."""
    if len(item) <= LEGEND_WRAP_CHARS:
        return [item]
    cut = item.rfind(" ", 0, LEGEND_WRAP_CHARS + 1)
    cut = cut if cut > 0 else LEGEND_WRAP_CHARS
    return [item[:cut].rstrip(), item[cut:].lstrip()]


def legend_height(items: Sequence[list[str]], row: float) -> float:
    """The height a legend takes, given the lines of each item (``legend_lines``), with
    wrapped items two lines high."""
    return sum([row + (len(lines) - 1) * 15 for lines in items])


def swatches(items: Sequence[list[str]], fills: Sequence[str], x: float, top: float,
             row: float) -> list[str]:
    """A legend: a colour square and its text, one row an item (text 13 px, long texts on
    two lines), given the lines of each item (``legend_lines``)."""
    out: list[str] = []
    y = top
    square = f'<rect x="{px(x)}" y="'
    text = f'<text x="{px(x + 22)}" y="'
    span = f'<tspan x="{px(x + 22)}" dy="'
    for i, lines in enumerate(items):
        if len(lines) > 1:
            spans = (f'{span}0">{escape(lines[0])}</tspan>'
                     f'{span}15">{escape(lines[1])}</tspan>')
        else:
            spans = f'{span}0">{escape(lines[0])}</tspan>'
        out += (f'{square}{px(y)}" width="14" height="14" '
                f'fill={attr(fills[i])} stroke="#000000" stroke-width="0.5"/>',
                f'{text}{px(y + 12)}" {FONT} font-size="13" fill="#000000">{spans}</text>')
        y += row if len(lines) == 1 else row + (len(lines) - 1) * 15
    return out
