"""PREDICT benefits with their 95% range beside them, and the caption line saying where the
ranges come from (the PREDICT 2.x web tool, WintonCentre/predict-v21-main) or that the
version's source defines none (3.x). Words from the message catalogue."""

from __future__ import annotations

from typing import TYPE_CHECKING

from axilla.explain.catalogue import message

if TYPE_CHECKING:
    from axilla.models.predict.results import PredictResult, TreatmentBenefit


#: Between low and high: a non-breaking hyphen, so a narrow table wraps a cell only at the
#: space before the range, never inside it.
RANGE_DASH = "\u2011"


def benefit_cell(b: TreatmentBenefit, t: int) -> str:
    """The benefit as the source displays it, then "(low-high)" where it has a range."""
    shown = f"{b.displayed_pp[t]:.1f}"
    if b.benefit_low_pp is None or b.benefit_high_pp is None:
        return shown
    return f"{shown} ({b.benefit_low_pp[t]:.1f}{RANGE_DASH}{b.benefit_high_pp[t]:.1f})"


def range_caption(r: PredictResult, lang: str) -> str:
    """' ' + the line on ranges: where they come from when any is shown; that the source
    defines none when the version has none (3.x); nothing otherwise."""
    if any(b.benefit_low_pp is not None for b in r.benefits):
        return " " + message("predict.range", lang)
    from axilla.models.predict import load_version

    if not load_version(r.model.version).ranges:
        return " " + message("predict.range_none", lang, version=r.model.version)
    return ""
