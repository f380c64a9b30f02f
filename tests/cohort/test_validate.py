"""`axilla cohort validate` on the public GBSG2 cohort (lifelines' load_lymph_node): metrics
agree with independent implementations; the HTML report holds the charts as static SVG."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from cohort.helpers import axilla, read_errors

lifelines = pytest.importorskip("lifelines", reason="lifelines (dev extra) not installed")
sksurv_metrics = pytest.importorskip("sksurv.metrics",
                                     reason="scikit-survival (dev extra) not installed")
from lifelines import KaplanMeierFitter  # noqa: E402
from lifelines.datasets import load_lymph_node  # noqa: E402
from lifelines.utils import concordance_index  # noqa: E402
from sksurv.util import Surv  # noqa: E402

MAPPING = Path(__file__).resolve().parents[2] / "examples" / "mappings" / "gbsg2.yaml"


@pytest.fixture(scope="module")
def gbsg2_csv(tmp_path_factory):
    df = load_lymph_node()
    score = 0.06 * df["nodes"] + 0.012 * df["size"] + 0.25 * df["grade"] - 0.002 * df[
        "prog_recp"]
    for h in (3, 5):  # a given risk by h years (any model's output), rounded: no near-ties
        df[f"risk{h}"] = np.round(1 - np.exp(-np.exp(score - 2.2) * h / 5), 6)
    path = tmp_path_factory.mktemp("gbsg2") / "gbsg2.csv"
    df.to_csv(path, index_label="id")
    return path, df


def test_given_risk_column_agrees_with_lifelines_and_sksurv(gbsg2_csv, tmp_path):
    path, df = gbsg2_csv
    out_json, out_html = tmp_path / "m.json", tmp_path / "r.html"
    done = axilla("cohort", "validate", str(path), "--time", "rectime", "--event", "censrec",
                  "--time-unit", "days", "--horizon", "3,5", "--predicted", "risk3,risk5",
                  "--json", str(out_json), "--html", str(out_html))
    assert done.returncode == 0, done.stderr
    report = json.loads(out_json.read_text())
    assert report["rows_in"] == report["rows_used"] == 686
    t = df["rectime"].to_numpy() / 365.25
    e = df["censrec"].to_numpy().astype(bool)
    y = Surv.from_arrays(e, t)
    for m, h in zip(report["horizons"], (3, 5), strict=True):
        risk = df[f"risk{h}"].to_numpy()
        assert m["harrell_c"] == pytest.approx(concordance_index(t, -risk, e), abs=1e-12)
        assert m["uno_c"] == pytest.approx(
            sksurv_metrics.concordance_index_ipcw(y, y, risk, tau=h)[0], abs=1e-12)
        assert m["auc"] == pytest.approx(
            sksurv_metrics.cumulative_dynamic_auc(y, y, risk, [h])[0][0], abs=1e-12)
        assert m["brier"] == pytest.approx(
            sksurv_metrics.brier_score(y, y, (1 - risk)[:, None], [h])[1][0], abs=1e-12)
        km = 1 - KaplanMeierFitter().fit(t, e).survival_function_at_times([h]).iloc[0]
        cal = m["calibration"]
        assert cal["observed"] == pytest.approx(km, abs=1e-12)
        assert cal["oe_ratio"] == pytest.approx(km / risk.mean(), abs=1e-12)
        assert len(m["risk_groups"]) == 10 and sum(g["n"] for g in m["risk_groups"]) == 686
        levels = {(s["subgroup"], s["level"]) for s in m["subgroups"]}
        assert {("age_band", "<40"), ("nodal", "4-9")} <= levels
    page = out_html.read_text()
    assert len(re.findall(r"<svg", page)) == 6  # calibration, decision curve, risk, x 2
    assert "<script" not in page


def test_predict_on_gbsg2_through_the_mapping(gbsg2_csv, tmp_path):
    """Overall survival against PREDICT 3.2 with the treatments given; one woman under 25 and
    one with 51 nodes are outside PREDICT's ranges and are refused with row and reason."""
    path, df = gbsg2_csv
    out_json = tmp_path / "p.json"
    done = axilla("cohort", "validate", str(path), "--mapping", str(MAPPING), "--horizon", "5",
                  "--json", str(out_json), "--html", str(tmp_path / "p.html"))
    outside = (df["age"] < 25) | (df["nodes"] > 50)
    assert outside.sum() == 2 and done.returncode == 1, done.stderr
    report = json.loads(out_json.read_text())
    assert report["rows_used"] == 684 and report["rows_refused"] == 2
    errors = read_errors(Path(report["errors_file"]))
    assert [(e["row"], e["field"], e["value"]) for e in errors] == [
        (str(i + 1), f, str(df[f].iloc[i])) for i, f in
        ((int(np.flatnonzero(df["age"] < 25)[0]), "age"),
         (int(np.flatnonzero(df["nodes"] > 50)[0]), "nodes"))]
    assert "25 to 85" in errors[0]["reason"] and "0 to 50" in errors[1]["reason"]
    [m] = report["horizons"]
    cal = m["calibration"]
    # A 1984-89 trial of node-positive women died about twice as often by 5 years as PREDICT
    # (fitted to women treated in 1999-2003) predicts: the mis-calibration a registry seeks.
    assert 1.5 < cal["oe_ratio"] < 2.5 and cal["oe_lo"] > 1.0
    assert 0.6 < m["harrell_c"] < 0.8
    assert cal["events"] > 50 and cal["slope"] > 0


def test_validate_argument_errors_are_one_line(gbsg2_csv, tmp_path):
    path, _ = gbsg2_csv
    cases = [
        (["--time", "rectime", "--event", "censrec", "--horizon", "20"], "horizon"),
        (["--time", "rectime", "--event", "censrec", "--predicted", "risk3",
          "--horizon", "3,5"], "one risk column per horizon"),
        (["--time", "rectime", "--event", "censrec", "--horizon", "2.5"], "whole years"),
        (["--time", "nope", "--event", "censrec"], "nope"),
        (["--event", "censrec"], "--time"),
    ]
    for args, words in cases:
        done = axilla("cohort", "validate", str(path), *args,
                      "--json", str(tmp_path / "x.json"), "--html", str(tmp_path / "x.html"))
        assert done.returncode == 2, (args, done.stderr)
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and words in lines[0], (args, done.stderr)
