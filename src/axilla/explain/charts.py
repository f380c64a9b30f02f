"""Charts as self-contained SVG: a 100-icon array and survival curves from 0 to 15 years.

Source: icon arrays and survival curves as used by PREDICT Breast to present absolute
benefit; largest-remainder (Hamilton) rounding so the icons sum to exactly 100; Okabe-Ito
colour-blind-safe palette (Okabe M, Ito K, "Color Universal Design", 2008). Output is
deterministic, accessible (role="img", <title>, <desc> text alternative), with no JavaScript
and no external fonts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import lru_cache

from axilla.errors import FieldProblem, InputError
from axilla.explain.catalogue import DEFAULT_LANGUAGE, formatter, message
from axilla.explain.curve_frame import (
    LEFT,
    PLOT_H,
    PLOT_W,
    RIGHT,
    TOP,
    _curve_problems,
    _curves_fit,
    _strokes,
    curve_frame,
    curve_path,
)
from axilla.explain.curve_frame import _within as _within  # checked by tests/explain
from axilla.explain.svg import (
    FONT,
    LEGEND_WRAP_CHARS,
    attr,
    escape,
    legend_height,
    legend_lines,
    svg_open,
    swatches,
)
from axilla.explain.texts import patient_number, patient_numbers

__all__ = [
    "ICON_TOTAL",
    "LEGEND_WRAP_CHARS",
    "OKABE_ITO",
    "checked_curves_svg",
    "icon_array",
    "icon_array_svg",
    "icon_counts",
    "outcome_colours",
    "stacked_bars_svg",
    "survival_curves_svg",
]

#: Okabe-Ito palette, distinguishable with the common colour-vision deficiencies.
OKABE_ITO: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)
#: Colours of the outcome charts (icon array, stacked bars), fixed by meaning so that "alive"
#: and "died of breast cancer" are never two similar blues: alive in blue, the extra alive
#: with each treatment in the next Okabe-Ito colours, died of breast cancer in vermillion,
#: died of other causes in a neutral grey.
ALIVE_COLOUR, BREAST_DEATH_COLOUR, OTHER_DEATH_COLOUR = "#0072B2", "#D55E00", "#8C8C8C"
TREATMENT_COLOURS = ("#E69F00", "#009E73", "#CC79A7", "#F0E442", "#56B4E9")


def outcome_colours(n_groups: int) -> list[str]:
    """Colours for [alive, extra alive with each treatment..., died of breast cancer, died of
    other causes]: ``n_groups`` in all, at least 3."""
    extras = n_groups - 3
    if not 0 <= extras <= len(TREATMENT_COLOURS):
        raise InputError([FieldProblem("groups", n_groups, "from 3 to "
                                       f"{3 + len(TREATMENT_COLOURS)} outcome groups")])
    return [ALIVE_COLOUR, *TREATMENT_COLOURS[:extras], BREAST_DEATH_COLOUR, OTHER_DEATH_COLOUR]



ICON_TOTAL = 100
#: Percentages must sum to 100 within this tolerance (rounding of displayed figures).
SUM_TOLERANCE = 1.0


def icon_counts(percentages: Sequence[float]) -> list[int]:
    """Whole icons out of 100 for each percentage, summing to exactly 100 (largest remainder).

    Each count is within 1 of its percentage. Ties in the remainder go to the earlier item.
    The percentages must be finite, >= 0 and sum to 100 within +-1 (exclusive).
    """
    values = [float(p) for p in percentages]
    if not values:
        raise InputError([FieldProblem("percentages", [], "give at least one percentage")])
    bad = [(i, v) for i, v in enumerate(values) if not math.isfinite(v) or v < 0]
    if bad:
        raise InputError([FieldProblem(f"percentages[{i}]", v, "must be a finite number >= 0")
                          for i, v in bad])
    total = math.fsum(values)
    if abs(total - ICON_TOTAL) >= SUM_TOLERANCE:
        raise InputError([FieldProblem(
            "percentages", values,
            f"must sum to 100 (within {SUM_TOLERANCE:g}); they sum to {total:g}",
        )])
    floors = [math.floor(v) for v in values]
    remainder = ICON_TOTAL - sum(floors)
    # With |total - 100| < 1, 0 <= remainder <= the number of items with a fractional part.
    if not remainder:
        return floors
    # largest fraction first; the sort is stable, so ties keep their order (earlier first)
    order = sorted(range(len(values)),
                   key=[f - v for f, v in zip(floors, values, strict=True)].__getitem__)
    for i in order[:remainder]:
        floors[i] += 1
    return floors


def _colours(n: int, colours: Sequence[str] | None) -> list[str]:
    palette = list(colours) if colours is not None else list(OKABE_ITO)
    if n > len(palette):
        raise InputError([FieldProblem("series", n, f"at most {len(palette)} groups can be "
                                       "told apart by colour")])
    return palette[:n]


@lru_cache(maxsize=64)
def _icons(columns: int, left: int, top: int, cell: int, fill: str) -> tuple[str, list[int]]:
    """The 100 icons of a grid, each a head and a body, row by row from the top left, all in
    one colour, one a line, and where each line starts (the end of the text after the last):
    drawn once a layout and colour, a group takes the lines of its icons in one slice."""
    out = []
    opening = f"<g fill={attr(fill)}>"
    for icon in range(ICON_TOTAL):
        row, col = divmod(icon, columns)
        x, y = left + col * cell, top + row * cell
        out.append(f'{opening}<circle cx="{x + 12}" cy="{y + 6}" r="4.5"/>'
                   f'<rect x="{x + 5}" y="{y + 12}" width="14" height="11" rx="4"/></g>')
    starts = [0]
    for line in out:
        starts.append(starts[-1] + len(line) + 1)
    return "\n".join(out), starts


def icon_array_svg(
    counts: Mapping[str, float],
    *,
    title: str | None = None,
    lang: str = DEFAULT_LANGUAGE,
    id_prefix: str = "icon-array",
    columns: int = 10,
    colours: Sequence[str] | None = None,
) -> str:
    """An array of 100 person icons, shaded in order by group, with a legend of the counts.

    ``counts`` maps each group label (in display order) to its percentage; the percentages
    become whole icons with ``icon_counts``.
    """
    return icon_array(counts, title=title, lang=lang, id_prefix=id_prefix, columns=columns,
                      colours=colours)[1]


def icon_array(
    counts: Mapping[str, float],
    *,
    title: str | None = None,
    lang: str = DEFAULT_LANGUAGE,
    id_prefix: str = "icon-array",
    columns: int = 10,
    colours: Sequence[str] | None = None,
) -> tuple[list[int], str]:
    """``icon_array_svg`` with the whole icons of each group it shows (``icon_counts``)."""
    labels = list(counts)
    n_icons = icon_counts(list(counts.values()))
    fills = _colours(len(labels), colours)
    title = title if title is not None else message("chart.icon_title", lang)
    told = formatter("chart.icon_item", lang, "label", "count")
    items = [told(label=label, count=k) for label, k in zip(labels, n_icons, strict=True)]
    desc = " ".join([message("chart.icon_intro", lang), *items])

    head, _, tail = title.partition(" (")  # the model's name on a line of its own
    cell, margin, title_h, legend_row = 24, 12, 48 if tail else 28, 22
    rows = math.ceil(ICON_TOTAL / columns)
    grid_w = columns * cell
    width = max(grid_w + 2 * margin, 344)  # fits a 375 px phone without shrinking the text
    top = margin + title_h
    legend = [legend_lines(item) for item in items]
    height = top + rows * cell + margin + legend_height(legend, legend_row) + margin
    out = svg_open(width, height, id_prefix, title, desc)
    out.append(f'<text x="{margin}" y="{margin + 16}" {FONT} font-size="15" '
               f'font-weight="bold" fill="#000000">{escape(head)}</text>')
    if tail:
        out.append(f'<text x="{margin}" y="{margin + 36}" {FONT} font-size="13" '
                   f'fill="#000000">({escape(tail)}</text>')
    out.append('<g aria-hidden="true">')
    icon = 0
    for fill, k in zip(fills, n_icons, strict=True):  # the next k icons in the group's colour
        if k:
            lines, starts = _icons(columns, margin, top, cell, fill)
            out.append(lines[starts[icon]:starts[icon + k] - 1])
            icon += k
    out.append("</g>")
    out += swatches(legend, fills, margin, top + rows * cell + margin, legend_row)
    out += ("</svg>", "")  # the empty last item ends the text with a newline
    return n_icons, "\n".join(out)


def survival_curves_svg(
    years: Sequence[float],
    series: Mapping[str, Sequence[float]],
    *,
    title: str | None = None,
    lang: str = DEFAULT_LANGUAGE,
    id_prefix: str = "survival",
    max_years: int = 15,
    colours: Sequence[str] | None = None,
) -> str:
    """Survival curves in percent over 0-15 years (year 0 = 100 %), one path a series.

    ``years`` strictly increasing within 0..max_years; each series gives the percentage alive
    at those years. If ``years`` does not start at 0, the point (0, 100 %) is added.
    """
    t = list(map(float, years))
    data = {label: list(map(float, values)) for label, values in series.items()}
    if not _curves_fit(t, data, max_years):
        raise InputError(_curve_problems(years, t, series, max_years))
    if t[0] != 0:
        t = [0.0, *t]
        data = {k: [100.0, *v] for k, v in data.items()}
    return checked_curves_svg(tuple(t), data, title, lang, id_prefix, max_years, colours)


def checked_curves_svg(years: tuple[float, ...], series: Mapping[str, Sequence[float]],
                       title: str | None, lang: str, id_prefix: str = "survival",
                       max_years: int = 15, colours: Sequence[str] | None = None) -> str:
    """``survival_curves_svg`` of years and series that already pass its checks, as PREDICT's
    typed results give them: floats, the years strictly increasing from 0 to at most
    ``max_years``, each series one percentage from 0 to 100 a year and 100 at year 0 (drawn
    without checking them again)."""
    t, data = years, series
    labels = list(data)
    strokes = _strokes(tuple(_colours(len(labels), colours)))
    title = title if title is not None else message("chart.curve_title", lang)
    last = t[-1]
    last_txt = patient_number(last) if last != int(last) else str(int(last))
    told = formatter("chart.curve_item", lang, "label", "alive", "years")
    alive = patient_numbers([v[-1] for v in data.values()])
    items = [told(label=k, alive=n, years=last_txt) for k, n in zip(labels, alive, strict=True)]
    desc = " ".join([message("chart.curve_intro", lang, years=last_txt), *items])

    left, top, plot_w, plot_h, legend_row = LEFT, TOP, PLOT_W, PLOT_H, 20
    width = left + plot_w + RIGHT
    height = top + plot_h + 52 + legend_row * len(labels) + 8
    out = svg_open(width, height, id_prefix, title, desc)
    out.append(f'<text x="{left}" y="24" {FONT} font-size="16" font-weight="bold" '
               f'fill="#000000">{escape(title)}</text>')
    out.append(curve_frame(max_years, lang))
    path = curve_path(t, max_years)
    # y = top + plot_h * (1 - v / 100) in floats throughout (the same values: Python turns each
    # int into its exact float first), which the interpreter runs on its float fast path
    y0, scale = float(top), float(plot_h)
    for label, stroke in zip(labels, strokes, strict=True):
        points = path % tuple([y0 + scale * (1.0 - v / 100.0) for v in data[label]])
        out.append(f'<path class="series" d="M {points}" fill="none" {stroke}>'
                   f'<title>{escape(label)}</title></path>')
    legend_top = top + plot_h + 52
    for i, item in enumerate(items):
        y = legend_top + i * legend_row
        out.append(f'<line x1="{left}" y1="{y + 6}" x2="{left + 28}" y2="{y + 6}" {strokes[i]}/>')
        out.append(f'<text x="{left + 36}" y="{y + 10}" {FONT} font-size="13" '
                   f'fill="#000000">{escape(item)}</text>')
    out.append("</g>")
    out += ("</svg>", "")  # the empty last item ends the text with a newline
    return "\n".join(out)


#: Layout of the stacked bars, px: left margin (bar labels), top (title), bar width and
#: height, gap between bars.
_BAR_LEFT, _BAR_TOP, _BAR_W, _BAR_H, _BAR_GAP = 72, 58, 264, 34, 14


@lru_cache(maxsize=16)
def _segment_style(fill: str) -> str:
    """A bar segment's attributes after its x, y and width, up to its title (once a colour)."""
    return f'height="{_BAR_H}" fill={attr(fill)} stroke="#FFFFFF" stroke-width="1"><title>'


def _segment_ink(fill: str) -> str:
    """The colour of a number written on a segment of ``fill``: white on the dark colours."""
    return "#FFFFFF" if fill in ("#0072B2", "#000000", "#D55E00") else "#000000"


@lru_cache(maxsize=16)
def _bar_row(i: int) -> tuple[str, str, str]:
    """The parts of the ``i``-th bar's elements that depend only on its row: the text's y and
    anchor, a segment's y, and the opening of the bar's label (written once a row)."""
    y = _BAR_TOP + i * (_BAR_H + _BAR_GAP)
    middle = f'" y="{y + _BAR_H / 2 + 5:.1f}" {FONT} font-size="13" text-anchor='
    return (middle, f'" y="{y}" width="',
            f'<text x="{_BAR_LEFT - 8}{middle}"end" fill="#000000">')


def stacked_bars_svg(
    bars: Mapping[str, Mapping[str, float]],
    *,
    title: str,
    lang: str = DEFAULT_LANGUAGE,
    id_prefix: str = "stacked",
    colours: Sequence[str] | None = None,
) -> str:
    """One horizontal bar a year, each split into the same groups (percent of 100 women), with
    the value written in each segment wide enough and a legend; text at 13 px or more.

    ``bars`` maps each bar's label (e.g. "10 years") to {group label: percent} in display
    order; every bar has the same groups and sums to 100 within ``SUM_TOLERANCE``.
    """
    labels = list(bars)
    groups = list(bars[labels[0]]) if labels else []
    rows = [list(parts.values()) for parts in bars.values()]
    problems: list[FieldProblem] = []
    for bar, parts, values in zip(labels, bars.values(), rows, strict=True):
        if list(parts) != groups:
            problems.append(FieldProblem(f"bars[{bar}]", list(parts), f"groups {groups}"))
        elif abs(sum(values) - 100.0) > SUM_TOLERANCE:
            problems.append(FieldProblem(f"bars[{bar}]", sum(values), "sum to 100"))
    if not labels:
        problems.append(FieldProblem("bars", {}, "give at least one bar"))
    if problems:
        raise InputError(problems)
    segment, legend, legend_h = _bars_fixed(tuple(groups), tuple(_colours(len(groups), colours)),
                                            len(labels))
    said = [patient_numbers(values) for values in rows]
    items = [f"{bar}: " + "; ".join([f"{g} {n}" for g, n in zip(groups, numbers, strict=True)])
             for bar, numbers in zip(labels, said, strict=True)]
    desc = " ".join([message("chart.bars_intro", lang), *items])
    width = _BAR_LEFT + _BAR_W + 8  # 344 px: fits a 375 px phone without shrinking the text
    height = _BAR_TOP + len(labels) * (_BAR_H + _BAR_GAP) + 8 + legend_h + 8
    out = svg_open(width, height, id_prefix, title, desc)
    head, _, tail = title.partition(" (")
    out.append(f'<text x="8" y="22" {FONT} font-size="15" font-weight="bold" '
               f'fill="#000000">{escape(head)}</text>')
    if tail:
        out.append(f'<text x="8" y="42" {FONT} font-size="13" fill="#000000">'
                   f'({escape(tail)}</text>')
    width_px = float(_BAR_W)  # the same products as with the int, on the float fast path
    for i, (bar, values, numbers) in enumerate(zip(labels, rows, said, strict=True)):
        middle, at_y, label_at = _bar_row(i)
        out.append(f'{label_at}{escape(bar)}</text>')
        x = float(_BAR_LEFT)
        for (opening, ink), value, number in zip(segment, values, numbers, strict=True):
            w = width_px * (0.0 if value < 0.0 else value) / 100.0  # max(value, 0.0), NaN kept
            if w >= 30:
                out += (f'<rect x="{x:.2f}{at_y}{w:.2f}" {opening}{number}</title></rect>',
                        f'<text x="{x + w / 2.0:.2f}{middle}"middle" fill="{ink}">{number}'
                        "</text>")
            else:
                out.append(f'<rect x="{x:.2f}{at_y}{w:.2f}" {opening}{number}</title></rect>')
            x += w
    out += (legend, "</svg>", "")  # the empty last item ends the text with a newline
    return "\n".join(out)


@lru_cache(maxsize=64)
def _bars_fixed(groups: tuple[str, ...], fills: tuple[str, ...], n_bars: int
                ) -> tuple[tuple[tuple[str, str], ...], str, float]:
    """The parts of the stacked bars that depend only on their groups, colours and number of
    bars (the language's labels and the treatments shown, drawn once each): each group's
    segment opening (fill, escaped name) and the ink written on it, the legend's elements
    and its height."""
    segment = tuple([(_segment_style(fill) + escape(group) + ": ", _segment_ink(fill))
                     for group, fill in zip(groups, fills, strict=True)])
    legend, row = [legend_lines(group) for group in groups], 22
    top = _BAR_TOP + n_bars * (_BAR_H + _BAR_GAP) + 8
    return segment, "\n".join(swatches(legend, fills, 8, top, row)), legend_height(legend, row)
