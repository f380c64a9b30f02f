"""The parts of the survival curves that depend only on the span of years and the language:
the layout, the grid and axes, each year's x in a path, and each curve's dash.

Source: SVG 1.1 (W3C, 2011) for the elements; the curves themselves are drawn by
``axilla.explain.charts.survival_curves_svg``.
"""

from __future__ import annotations

from functools import cache, lru_cache

from axilla.explain.catalogue import message
from axilla.explain.svg import FONT, escape

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
