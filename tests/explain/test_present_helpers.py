"""The look-ups read once a language give what the general ways give every call.

Oracles: ``str.format`` of each catalogue template with ``string.Formatter`` reading its
placeholders, and ``message`` (which checks the values it is given every call).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from axilla.errors import DataFileError
from axilla.explain.catalogue import available_languages, catalogue, formatter, message
from support.templates import placeholders


@pytest.mark.parametrize("lang", available_languages())
def test_every_template_read_once_renders_as_message_does(lang):
    for key, template in catalogue(lang).items():
        names = placeholders(template)
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
            if not placeholders(template):
                assert formatter(key, lang)() == message(key, lang) == template.format()


@pytest.mark.parametrize("lang", available_languages())
def test_the_questions_fixed_texts_are_the_catalogue_texts(lang):
    from axilla.explain.questions import _said

    said = _said(lang)
    fixed = {key[len("questions."):] for key, template in catalogue(lang).items()
             if key.startswith("questions.") and not placeholders(template)}
    assert set(said) == fixed
    for key in fixed:
        assert said[key] == message(f"questions.{key}", lang)
    with pytest.raises(DataFileError, match="missing from"):
        said["no_such.text"]
    with pytest.raises(DataFileError, match="takes placeholders"):
        said["pending.item"]  # a template: it needs its value


@given(st.lists(st.one_of(st.floats(-1e18, 1e18), st.just(float("nan")),
                          st.integers(-10 ** 6, 10 ** 6),
                          st.floats(0, 100), st.sampled_from([0.5, 1.5, 99.5, -0.0, 0.0])),
                max_size=30))
def test_patient_numbers_in_one_pass_are_each_patient_number(values):
    from axilla.explain.texts import patient_number, patient_numbers

    assert patient_numbers(values) == [patient_number(v) for v in values]


def test_curve_path_has_each_years_x_by_hand():
    """x = 64 px + 480 px * year / 15: 32 px a year on the 0-15-year axis."""
    from axilla.explain.curve_frame import curve_path

    path = curve_path(tuple(float(t) for t in range(16)), 15)
    assert path.split(" L ")[:3] == ["64.00 %.2f", "96.00 %.2f", "128.00 %.2f"]
    assert path.split(" L ")[-1] == "544.00 %.2f"
    assert path % tuple(range(16)) == " L ".join(f"{64 + 32 * t}.00 {t}.00" for t in range(16))


def test_icon_array_gives_the_icons_it_draws():
    from axilla.explain.charts import icon_array, icon_array_svg, icon_counts

    counts = {"Alive": 78.4, "Extra & more": 7.8, "Breast cancer": 9.1, "Other": 4.7}
    n_icons, svg = icon_array(counts, title="t (m)")
    assert n_icons == icon_counts(list(counts.values())) == [78, 8, 9, 5]
    assert svg == icon_array_svg(counts, title="t (m)")
    assert svg.count("<circle") == 100


def test_stacked_bar_segments_below_zero_are_drawn_as_max_of_value_and_zero():
    """A segment's width is 264 px * max(value, 0) / 100: -1 draws nothing, and -0.0 keeps
    its sign as ``max(-0.0, 0.0)`` does."""
    from axilla.explain.charts import stacked_bars_svg

    svg = stacked_bars_svg({"5 years": {"A": 101.0, "B": -1.0, "C": -0.0}}, title="x")
    widths = re.findall(r'<rect x="[^"]+" y="58" width="([^"]+)"', svg)
    assert widths == ["266.64", "0.00", "-0.00"]


def test_pn_categories_read_without_the_pattern_are_as_the_pattern_reads_them():
    from axilla.explain.texts import _PN_CODES, _PN_RE

    assert len(_PN_CODES) == 5 * 16 * 3
    for label, code in _PN_CODES.items():
        m = _PN_RE.match(re.sub(r"\((sn|f)\)$", "", label.strip()))
        assert m is not None and m.group(1) == code, label


def test_stage_groups_read_without_the_pattern_are_as_the_pattern_reads_them():
    from axilla.explain.texts import _STAGE_GROUPS, _STAGE_RE

    assert {"0", "IA", "IB", "IIA", "IIB", "IIIA", "IIIB", "IIIC", "IV"} <= set(_STAGE_GROUPS)
    for label, parts in _STAGE_GROUPS.items():
        m = _STAGE_RE.match(label)
        assert m is not None and (m.group(1).upper(), m.group(2).upper()) == parts, label


@pytest.mark.parametrize(("pn", "stage"), [(" pN1mi(sn) ", "stage IIb"), ("ypN2a(f)", "iiia")])
def test_other_spellings_still_read_by_the_pattern(pn, stage):
    from axilla.explain.texts import explain_pn_category, explain_stage_group

    assert explain_pn_category(pn, 2).clinician.startswith(f"{pn}: 2 positive nodes")
    assert explain_stage_group(stage).clinician.startswith(
        f"Anatomic stage {stage.split()[-1].upper()} ")


_VALUE = st.one_of(st.floats(-5, 120), st.just(float("nan")), st.just(100.0), st.just(0.0))


@given(st.lists(st.sampled_from([0.0, 1.0, 2.0, 5.0, 15.0, 16.0, -1.0, float("nan")]),
                max_size=4),
       st.dictionaries(st.sampled_from(["A", "B", "C"]), st.lists(_VALUE, max_size=5),
                       max_size=3))
def test_curves_checked_at_once_fit_exactly_when_no_problem_is_found(years, series):
    from axilla.explain.charts import _curve_problems, _curves_fit

    t = [float(x) for x in years]
    data = {k: [float(x) for x in v] for k, v in series.items()}
    assert _curves_fit(t, data, 15) == (not _curve_problems(years, t, series, 15))


@pytest.mark.parametrize(("years", "series", "fit"), [
    ([0, 1, 2], {"A": [100, 90, 80], "B": [100, 95, 90]}, True),
    ([1, 2], {"A": [90, 80]}, True),  # year 0 at 100 % is added
    ([0, 1, 2], {"A": [100, 90, 80], "B": [99, 95, 90]}, False),  # not 100 at year 0
    ([0, 2, 1], {"A": [100, 90, 80]}, False),
    ([0, 1, 2], {"A": [100, 90]}, False),
    ([0, 1], {}, False),
])
def test_curves_fit_by_hand(years, series, fit):
    from axilla.explain.charts import _curve_problems, _curves_fit

    t = [float(x) for x in years]
    data = {k: [float(x) for x in v] for k, v in series.items()}
    assert _curves_fit(t, data, 15) is fit
    assert (not _curve_problems(years, t, series, 15)) is fit
