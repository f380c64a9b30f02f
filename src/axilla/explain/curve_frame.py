"""The parts of the survival curves that depend only on the span of years and the language:
the layout, the grid and axes, each year's x in a path, each curve's stroke and dash; and the
check of the years and series a chart is asked to draw.

Source: SVG 1.1 (W3C, 2011) for the elements; the curves themselves are drawn by
``axilla.explain.charts.survival_curves_svg``.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Mapping, Sequence
from functools import cache, lru_cache

from axilla.errors import FieldProblem
from axilla.explain.catalogue import message
from axilla.explain.svg import FONT, attr, escape

#: Dash patterns so that curves differ by more than colour.
DASHES: tuple[str | None, ...] = (None, "8 4", "2 3", "10 3 2 3", "4 4", "12 6", "1 2", "6 2")
#: Layout of the survival curves, px: left margin (axis labels), right margin, top (title),
#: and the plot area.
LEFT, RIGHT, TOP, PLOT_W, PLOT_H = 64, 16, 44, 480, 300


def dash(i: int) -> str:
    """The dash attribute of the ``i``-th curve (none for the first)."""
    pattern = DASHES[i % len(DASHES)]
    return f' stroke-dasharray="{pattern}"' if pattern else ""


@lru_cache(maxsize=16)
def curve_path(years: tuple[float, ...], max_years: int) -> str:
    """A curve's path with the x of each year written in and a ``%.2f`` for the y of each
    point, which depends only on the years shown (drawn once for a span of years)."""
    return " L ".join([f"{LEFT + PLOT_W * x / max_years:.2f} %.2f" for x in years])


@cache
def curve_frame(max_years: int, lang: str) -> str:
    """The grid, axes and axis titles of the survival curves, one element a line, which depend
    only on the span of years and the language (drawn once each)."""
    left, top, plot_w, plot_h = LEFT, TOP, PLOT_W, PLOT_H
    out = ['<g aria-hidden="true">']
    for year in range(max_years + 1):
        x = left + plot_w * year / max_years
        out.append(f'<line x1="{x:.2f}" y1="{top}" x2="{x:.2f}" y2="{top + plot_h}" '
                   f'stroke="#DDDDDD" stroke-width="{1 if year % 5 else 1.5}"/>')
        if year % 5 == 0:
            out.append(f'<text x="{x:.2f}" y="{top + plot_h + 18}" {FONT} font-size="12" '
                       f'text-anchor="middle" fill="#000000">{year}</text>')
    for pct in range(0, 101, 10):
        y = top + plot_h * (1 - pct / 100)
        out.append(f'<line x1="{left}" y1="{y:.2f}" x2="{left + plot_w}" y2="{y:.2f}" '
                   f'stroke="#DDDDDD" stroke-width="1"/>')
        if pct % 20 == 0:
            out.append(f'<text x="{left - 6}" y="{y + 4:.2f}" {FONT} font-size="12" '
                       f'text-anchor="end" fill="#000000">{pct}</text>')
    out.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" '
               f'y2="{top + plot_h}" stroke="#000000" stroke-width="1.5"/>')
    out.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" '
               f'stroke="#000000" stroke-width="1.5"/>')
    out.append(f'<text x="{left + plot_w / 2:.2f}" y="{top + plot_h + 38}" {FONT} '
               f'font-size="13" text-anchor="middle" fill="#000000">'
               f'{escape(message("chart.x_axis", lang))}</text>')
    out.append(f'<text x="16" y="{top + plot_h / 2:.2f}" {FONT} font-size="13" '
               f'text-anchor="middle" fill="#000000" '
               f'transform="rotate(-90 16 {top + plot_h / 2:.2f})">'
               f'{escape(message("chart.y_axis", lang))}</text>')
    return "\n".join(out)


def _within(values: list[float], low: float, high: float) -> bool:
    """Whether each of ``values`` lies within ``low`` to ``high`` (NaN does not). A NaN
    makes the sum NaN, so the values are searched for one only when the sum is NaN."""
    if not values:
        return True
    total = sum(values)
    if total != total and any(map(math.isnan, values)):
        return False
    return low <= min(values) and max(values) <= high


def _curves_fit(t: list[float], data: Mapping[str, list[float]], max_years: int) -> bool:
    """Whether curves of these years and series can be drawn: ``_curve_problems`` finds
    nothing exactly when this holds (all the series' values checked at once)."""
    if not t or not data or not _within(t, 0, max_years) or not all(map(operator.lt, t, t[1:])):
        return False
    n, from_zero = len(t), t[0] == 0
    for v in data.values():  # one value a year, percentages, 100 at year 0
        if len(v) != n or not _within(v, 0, 100) or (from_zero and abs(v[0] - 100) > 1e-9):
            return False
    return True


@lru_cache(maxsize=64)
def _strokes(colours: tuple[str, ...]) -> tuple[str, ...]:
    """The stroke attributes of curves in these colours, each with its dash (written once a
    set of colours)."""
    return tuple([f"stroke={attr(stroke)} stroke-width=\"2.5\"{dash(i)}"
                  for i, stroke in enumerate(colours)])


def _curve_problems(years: Sequence[float], t: list[float],
                    series: Mapping[str, Sequence[float]], max_years: int) -> list[FieldProblem]:
    """What is wrong with the years and series of survival curves, each named."""
    problems: list[FieldProblem] = []
    if not t or not _within(t, 0, max_years):
        problems.append(FieldProblem("years", list(years), f"must lie within 0 to {max_years}"))
    elif not all(map(operator.lt, t, t[1:])):
        problems.append(FieldProblem("years", list(years), "must be strictly increasing"))
    if not series:
        problems.append(FieldProblem("series", {}, "give at least one series"))
    for label, values in series.items():
        v = list(map(float, values))
        if len(v) != len(t):
            problems.append(FieldProblem(f"series[{label}]", len(v),
                                         f"needs one value per year ({len(t)})"))
        elif not _within(v, 0, 100):
            problems.append(FieldProblem(f"series[{label}]", v, "percentages 0 to 100"))
        elif t and t[0] == 0 and abs(v[0] - 100) > 1e-9:
            problems.append(FieldProblem(f"series[{label}]", v[0], "must be 100 at year 0"))
    return problems
