"""SVG charts: icon arrays (exactly 100 icons) and survival curves 0-15 years."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from axilla.errors import InputError
from axilla.explain import icon_array_svg, icon_counts, survival_curves_svg

SVG = "{http://www.w3.org/2000/svg}"


# --- icon counts --------------------------------------------------------------------------------

@pytest.mark.parametrize(("percentages", "expected"), [
    ([100], [100]),
    ([50, 50], [50, 50]),
    ([33.3, 33.3, 33.4], [33, 33, 34]),
    ([78.4, 7.8, 9.1, 4.7], [78, 8, 9, 5]),      # remainders .8 .7 .4 .1 -> two extra icons
    ([12.5, 12.5, 75], [13, 12, 75]),             # tie: the earlier group takes the icon
    ([0.4, 0.4, 99.2], [1, 0, 99]),               # one icon short: equal remainders, earlier wins
    ([0.3, 0.6, 99.1], [0, 1, 99]),               # one icon short: the larger remainder wins
    ([0, 100], [0, 100]),
])
def test_largest_remainder_examples(percentages, expected):
    assert icon_counts(percentages) == expected


@st.composite
def percentage_vectors(draw):
    """Random shares of 100, rounded to 1 decimal as displayed (sum off by rounding only)."""
    weights = draw(st.lists(st.floats(0, 1000, allow_nan=False), min_size=1, max_size=8))
    if sum(weights) == 0:
        weights = [1.0, *weights[1:]]
    total = sum(weights)
    decimals = draw(st.sampled_from([0, 1, 2]))
    return [round(100 * w / total, decimals) for w in weights]


@given(percentage_vectors())
def test_icons_sum_to_exactly_100_and_each_is_within_1(percentages):
    if abs(math.fsum(percentages) - 100) >= 1:
        return  # outside the stated tolerance (only possible with 0 decimals, many groups)
    counts = icon_counts(percentages)
    assert sum(counts) == 100
    assert all(isinstance(c, int) and c >= 0 for c in counts)
    for c, p in zip(counts, percentages, strict=True):
        assert abs(c - p) <= 1


@st.composite
def whole_percentages(draw):
    cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=0, max_size=7)))
    bounds = [0, *cuts, 100]
    return [b - a for a, b in pairwise(bounds)]


@given(whole_percentages())
def test_whole_percentages_are_kept(percentages):
    assert sum(percentages) == 100
    assert icon_counts(percentages) == percentages


@pytest.mark.parametrize("bad", [[], [50, 40], [60, 50], [-5, 105], [math.nan, 100]])
def test_bad_percentages_are_refused(bad):
    with pytest.raises(InputError):
        icon_counts(bad)


# --- icon array SVG ----------------------------------------------------------------------

GROUPS = {"Alive with surgery only": 78.4, "Extra alive with treatment": 7.8,
          "Died of breast cancer": 9.1, "Died of other causes": 4.7}


def test_icon_array_is_accessible_svg_with_100_icons():
    svg = icon_array_svg(GROUPS)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "icon-array-title icon-array-desc"
    assert root.find(f"{SVG}title").text
    desc = root.find(f"{SVG}desc").text
    for label, count in zip(GROUPS, [78, 8, 9, 5], strict=True):
        assert f"{label}: {count} out of 100." in desc
    icons = root.findall(f"{SVG}g/{SVG}g")
    assert len(icons) == 100
    fills = [g.get("fill") for g in icons]
    assert [fills.count(c) for c in dict.fromkeys(fills)] == [78, 8, 9, 5]


def test_icon_array_is_deterministic_and_self_contained():
    svg = icon_array_svg(GROUPS)
    assert svg == icon_array_svg(GROUPS)
    assert "<script" not in svg and "@import" not in svg and "http" not in svg.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")


def test_icon_array_escapes_labels():
    svg = icon_array_svg({"A & B <c>": 60, "D": 40})
    ET.fromstring(svg)
    assert "A &amp; B &lt;c&gt;" in svg


def test_too_many_groups_for_the_palette():
    with pytest.raises(InputError):
        icon_array_svg({str(i): 100 / 9 for i in range(9)})


# --- survival curves ---------------------------------------------------------------------

def _points(path) -> list[tuple[float, float]]:
    numbers = [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", path.get("d"))]
    return list(zip(numbers[::2], numbers[1::2], strict=True))


@st.composite
def curves(draw):
    n_years = draw(st.integers(1, 15))
    years = list(range(n_years + 1))
    n_series = draw(st.integers(1, 5))
    series = {}
    for k in range(n_series):
        drops = draw(st.lists(st.floats(0, 8), min_size=n_years, max_size=n_years))
        values = [100.0]
        for d in drops:
            values.append(max(0.0, values[-1] - d))
        series[f"Series {k}"] = values
    return years, series


@given(curves())
def test_one_path_per_series_monotone_when_input_is(data):
    years, series = data
    root = ET.fromstring(survival_curves_svg(years, series))
    paths = root.iter(f"{SVG}path")
    paths = list(paths)
    assert len(paths) == len(series)
    for path, values in zip(paths, series.values(), strict=True):
        pts = _points(path)
        assert len(pts) == len(values)
        xs = [x for x, _ in pts]
        ys = [y for _, y in pts]
        assert xs == sorted(xs)
        assert all(b >= a for a, b in pairwise(ys))  # SVG y grows downwards


def test_curve_geometry_year0_is_100_and_axes_run_to_15_years():
    root = ET.fromstring(survival_curves_svg([0, 5, 10, 15],
                                             {"Surgery only": [100, 90, 80, 70]}))
    (path,) = root.iter(f"{SVG}path")
    pts = _points(path)
    top = pts[0][1]
    bottom_of_scale = top + (pts[-1][1] - top) / 0.30  # 70 % sits 30 % of the way down
    assert pts[0][0] < pts[-1][0]
    assert bottom_of_scale > pts[-1][1]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    for tick in ("0", "5", "10", "15", "20", "100"):
        assert tick in texts
    assert "Years after surgery" in texts


def test_year_zero_is_added_when_missing():
    root = ET.fromstring(survival_curves_svg([1, 2], {"A": [95, 90]}))
    (path,) = root.iter(f"{SVG}path")
    assert len(_points(path)) == 3


def test_curve_svg_accessible_deterministic_no_script():
    svg = survival_curves_svg(range(16), {"Surgery only": [100 - 2 * i for i in range(16)],
                                          "With treatments": [100 - i for i in range(16)]})
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    desc = root.find(f"{SVG}desc").text
    assert "Surgery only: 70 out of 100 at 15 years." in desc
    assert "With treatments: 85 out of 100 at 15 years." in desc
    assert "<script" not in svg and "font-face" not in svg
    assert svg == survival_curves_svg(range(16), {"Surgery only": [100 - 2 * i for i in range(16)],
                                                  "With treatments": [100 - i for i in range(16)]})


def test_series_differ_by_dash_as_well_as_colour():
    root = ET.fromstring(survival_curves_svg([0, 1], {"A": [100, 90], "B": [100, 95]}))
    a, b = root.iter(f"{SVG}path")
    assert a.get("stroke") != b.get("stroke")
    assert a.get("stroke-dasharray") != b.get("stroke-dasharray")


@pytest.mark.parametrize(("years", "series", "field"), [
    ([0, 16], {"A": [100, 50]}, "years"),
    ([0, 2, 1], {"A": [100, 90, 80]}, "years"),
    ([0, 1], {"A": [100]}, "series[A]"),
    ([0, 1], {"A": [99, 90]}, "series[A]"),
    ([0, 1], {"A": [100, 120]}, "series[A]"),
    ([0, 1], {}, "series"),
])
def test_bad_curves_are_refused(years, series, field):
    with pytest.raises(InputError) as info:
        survival_curves_svg(years, series)
    assert info.value.problems[0].field == field


def test_stacked_bars_show_each_group_of_each_bar_and_refuse_bad_sums() -> None:
    """Hand-made bars: 3 groups summing to 100 at two years; one that sums to 90 is refused."""
    import xml.etree.ElementTree as ET

    import pytest

    from axilla.errors import InputError
    from axilla.explain.charts import stacked_bars_svg

    bars = {"5 years": {"Alive": 90.0, "Breast cancer": 6.0, "Other causes": 4.0},
            "10 years": {"Alive": 80.0, "Breast cancer": 12.0, "Other causes": 8.0}}
    svg = stacked_bars_svg(bars, title="What happens (PREDICT 3.2)")
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    segments = [r for r in root.iter(f"{ns}rect") if r.find(f"{ns}title") is not None]
    assert len(segments) == 6
    widths = [float(r.get("width")) for r in segments[:3]]
    assert sum(widths) == pytest.approx(264.0)  # the whole bar is 100 women
    assert widths[0] == pytest.approx(264.0 * 0.9)
    sizes = [float(t.get("font-size")) for t in root.iter(f"{ns}text")]
    assert min(sizes) >= 13
    assert float(root.get("width")) <= 351  # fits a 375 px phone at full size
    with pytest.raises(InputError, match="sum to 100"):
        stacked_bars_svg({"5 years": {"Alive": 80.0, "Dead": 10.0}}, title="x")


def test_stacked_bars_of_years_with_different_groups_share_one_set() -> None:
    """A treatment whose benefit is 0 or less at 15 years drops out of that year's counts, and
    that year's alive group is named for harms; every bar still shows the same groups."""
    from axilla.assess.present import _same_groups

    bars = {"5 years": {"Alive with surgery only": 95.0, "Extra alive with radiotherapy": 1.0,
                        "Die of breast cancer": 3.0, "Die of other causes": 1.0},
            "15 years": {"Alive, allowing for treatment harms": 80.0,
                         "Die of breast cancer": 12.0, "Die of other causes": 8.0}}
    out = _same_groups(bars, "en")
    assert list(out["5 years"]) == list(out["15 years"]) == [
        "Alive, allowing for treatment harms", "Extra alive with radiotherapy",
        "Die of breast cancer", "Die of other causes"]
    assert out["15 years"]["Extra alive with radiotherapy"] == 0.0
    assert sum(out["5 years"].values()) == 100.0 and sum(out["15 years"].values()) == 100.0


def test_outcome_colours_keep_alive_and_breast_cancer_death_apart() -> None:
    """Issue 10: "alive" and "die of breast cancer" were two similar blues."""
    from axilla.explain.charts import (
        ALIVE_COLOUR,
        BREAST_DEATH_COLOUR,
        OTHER_DEATH_COLOUR,
        outcome_colours,
    )

    for n in range(3, 9):
        colours = outcome_colours(n)
        assert colours[0] == ALIVE_COLOUR and colours[-2:] == [BREAST_DEATH_COLOUR,
                                                               OTHER_DEATH_COLOUR]
        assert len(set(colours)) == n
    assert BREAST_DEATH_COLOUR.upper() == "#D55E00"  # vermillion, not a blue


def test_icon_array_title_and_legend_fit_a_phone() -> None:
    """Issue 10: the icon-array title was cut off. The model's name goes on its own line and
    long legend texts wrap, so the picture is at most 344 px wide with nothing past its edge."""
    import re

    from axilla.explain.charts import LEGEND_WRAP_CHARS, icon_array_svg

    svg = icon_array_svg({"Alive with surgery only": 88.0,
                          "Extra alive with endocrine therapy (5 years)": 2.0,
                          "Die of breast cancer": 6.0, "Die of other causes": 4.0},
                         title="100 women like this, after 10 years (PREDICT Breast 3.2)")
    assert 'width="344"' in svg
    assert ">100 women like this, after 10 years</text>" in svg
    assert ">(PREDICT Breast 3.2)</text>" in svg
    for line in re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg):
        assert len(line) <= LEGEND_WRAP_CHARS, line
