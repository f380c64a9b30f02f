"""The validation report as one standalone HTML page with static SVG charts.

Charts (calibration by risk group with the smoothed curve, decision curve, distribution of
predicted risk) are Vega-Lite specifications built with Altair and rendered to SVG by
vl-convert, so the page needs no script, no network and no browser to draw.
"""

from __future__ import annotations

import html
from typing import Any

import altair as alt
import pandas as pd
import vl_convert as vlc

WIDTH, HEIGHT = 360, 300


def _svg(chart: alt.TopLevelMixin) -> str:
    return vlc.vegalite_to_svg(chart.to_json())


def calibration_chart(m: dict[str, Any]) -> str:
    """Observed (Kaplan-Meier, 95 % interval) against mean predicted risk by group."""
    groups = pd.DataFrame(m["risk_groups"])
    top = float(max(groups["observed_hi"].max(), groups["mean_predicted"].max(), 0.05)) * 1.05
    scale = alt.Scale(domain=[0, min(top, 1.0)])
    diag = alt.Chart(pd.DataFrame({"x": [0, min(top, 1.0)]})).mark_line(
        strokeDash=[4, 4], color="grey").encode(x=alt.X("x:Q", scale=scale), y="x:Q")
    base = alt.Chart(groups)
    points = base.mark_point(filled=True, size=60).encode(
        x=alt.X("mean_predicted:Q", title="Mean predicted risk", scale=scale),
        y=alt.Y("observed:Q", title="Observed risk (Kaplan-Meier)", scale=scale))
    bars = base.mark_rule().encode(x="mean_predicted:Q", y="observed_lo:Q", y2="observed_hi:Q")
    layers = [diag, bars, points]
    curve = m["calibration_curve"]
    if curve["predicted"]:
        smooth = pd.DataFrame({"p": curve["predicted"], "o": curve["observed"]})
        smooth = smooth[smooth["p"] <= min(top, 1.0)]
        layers.append(alt.Chart(smooth).mark_line(color="#c0392b", clip=True).encode(
            x=alt.X("p:Q", scale=scale), y=alt.Y("o:Q", scale=scale)))
    return _svg(alt.layer(*layers).properties(
        width=WIDTH, height=HEIGHT, title=f"Calibration at {m['years']:g} years"))


def decision_curve_chart(m: dict[str, Any]) -> str:
    """Net benefit of the model, of treating all and of treating none, by threshold."""
    nb = m["net_benefit"]
    rows = []
    for label, values in (("model", nb["model"]), ("treat all", nb["treat_all"]),
                          ("treat none", [0.0] * len(nb["thresholds"]))):
        rows += [{"threshold": t, "net benefit": v, "strategy": label}
                 for t, v in zip(nb["thresholds"], values, strict=True) if v is not None]
    df = pd.DataFrame(rows)
    floor = -0.05
    df["net benefit"] = df["net benefit"].clip(lower=floor)
    chart = alt.Chart(df).mark_line().encode(
        x=alt.X("threshold:Q", title="Threshold risk"),
        y=alt.Y("net benefit:Q", title="Net benefit", scale=alt.Scale(domainMin=floor)),
        color=alt.Color("strategy:N"))
    return _svg(chart.properties(width=WIDTH, height=HEIGHT,
                                 title=f"Decision curve at {m['years']:g} years"))


def risk_distribution_chart(m: dict[str, Any]) -> str:
    """Histogram of predicted risk."""
    df = pd.DataFrame(m["risk_histogram"])
    chart = alt.Chart(df).mark_bar().encode(
        x=alt.X("lower:Q", title="Predicted risk", bin="binned"), x2="upper:Q",
        y=alt.Y("count:Q", title="Women"))
    return _svg(chart.properties(width=WIDTH, height=HEIGHT,
                                 title=f"Predicted risk by {m['years']:g} years"))


def _fmt(v: object, digits: int = 3) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return html.escape(str(v))


def _table(rows: list[dict[str, Any]], columns: list[str]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{_fmt(r.get(c))}</td>" for c in columns) + "</tr>"
                   for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(report: dict[str, Any]) -> str:
    """The whole report page."""
    parts = [f"<h1>Validation: {html.escape(report['model'])}</h1>",
             f"<p>{report['rows_used']} of {report['rows_in']} rows used; "
             f"{report['rows_refused']} refused"
             + (f" (see {html.escape(report['errors_file'])})" if report["errors_file"] else "")
             + f". Outcome: {html.escape(report['outcome']['event'])} over "
             f"{html.escape(report['outcome']['time'])} (years).</p>"]
    for m in report["horizons"]:
        c = m["calibration"]
        summary = [{
            "n": c["n"], "events": c["events"], "observed": c["observed"],
            "expected": c["expected"], "O/E": c["oe_ratio"],
            "O/E 95% CI": f"{_fmt(c['oe_lo'])}–{_fmt(c['oe_hi'])}",
            "slope": c["slope"], "intercept": c["intercept"], "ICI": c["ici"],
            "E50": c["e50"], "E90": c["e90"], "Harrell C": m["harrell_c"],
            "Uno C": m["uno_c"], "AUC": m["auc"], "Brier": m["brier"],
            "scaled Brier": m["scaled_brier"]}]
        parts += [f"<h2>{m['years']:g} years</h2>", _table(summary, list(summary[0])),
                  '<div class="charts">', calibration_chart(m), decision_curve_chart(m),
                  risk_distribution_chart(m), "</div>", "<h3>By risk group</h3>",
                  _table(m["risk_groups"], ["group", "n", "events", "mean_predicted",
                                            "observed", "observed_lo", "observed_hi"]),
                  "<h3>By subgroup</h3>",
                  _table(m["subgroups"], ["subgroup", "level", "n", "events", "observed",
                                          "expected", "oe_ratio", "oe_lo", "oe_hi", "slope",
                                          "harrell_c"])]
    style = ("body{font-family:sans-serif;margin:2em;max-width:1200px}"
             "table{border-collapse:collapse;margin:.5em 0}"
             "td,th{border:1px solid #ccc;padding:.2em .5em;text-align:right}"
             ".charts{display:flex;flex-wrap:wrap;gap:1em}")
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>axilla cohort validation</title><style>{style}</style></head><body>"
            + "".join(parts) + "<p>Definitions and sources: docs/cohort.md. Decision "
            "support, not a medical device.</p></body></html>")
