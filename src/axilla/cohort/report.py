"""`axilla cohort validate`: predictions against what happened, as JSON-ready metrics.

Reads the cohort in chunks through :func:`axilla.cohort.chunk.validation_chunk` (PREDICT's
all-cause mortality with the treatments given, or a given risk column), keeps only the few
columns the statistics need, and computes every measure of :mod:`axilla.validation` at each
horizon, overall and by subgroup (age band, ER, HER2, nodal category).
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from axilla.cohort.chunk import ChunkOptions, OutcomeSpec, validation_chunk
from axilla.cohort.tables import DEFAULT_CHUNK_ROWS, ErrorSink, TableReader
from axilla.errors import FieldProblem, InputError
from axilla.validation import (
    calibration,
    harrell_c,
    net_benefit,
    scaled_brier,
    time_dependent_auc,
    uno_c,
)

SUBGROUPS = ("age_band", "er", "her2", "nodal")
MIN_SUBGROUP_EVENTS = 10  # fewer events by the horizon: counts and O/E only, no slope


def _num(x: float) -> float | None:
    """A finite float for JSON (NaN and infinities become null)."""
    x = float(x)
    return x if np.isfinite(x) else None


def collect(src: Path, options: ChunkOptions, spec: OutcomeSpec, errors_file: Path,
            chunk_rows: int = DEFAULT_CHUNK_ROWS) -> tuple[dict[str, np.ndarray], int, int]:
    """The validation columns of every accepted row, rows in, and rows refused."""
    reader = TableReader(Path(src), chunk_rows=chunk_rows)
    needed = [spec.time, spec.event, *spec.predicted]
    absent = [c for c in needed if c not in reader.header]
    if absent:
        raise InputError([FieldProblem("IN", ", ".join(absent), "column(s) not in the file; "
                                       f"columns: {', '.join(reader.header)}")])
    parts: dict[str, list[np.ndarray]] = {}
    sink = ErrorSink(errors_file)
    first, rows_in = 1, 0
    try:
        for raw in reader.chunks():
            result = validation_chunk(raw, first, options, spec)
            sink.add(result.errors)
            for k, v in result.columns.items():
                parts.setdefault(k, []).append(v)
            first += result.rows_in
            rows_in += result.rows_in
    finally:
        sink.close()
    cols = {k: np.concatenate(v) for k, v in parts.items()}
    return cols, rows_in, len(sink.rows)


def _subgroups(cols: dict[str, np.ndarray], h: float, risk: np.ndarray) -> list[dict[str, Any]]:
    out = []
    for name in SUBGROUPS:
        if name not in cols:
            continue
        for level in sorted(set(cols[name].tolist())):
            m = cols[name] == level
            t, e, p = cols["time"][m], cols["event"][m], risk[m]
            events = int(((e == 1) & (t <= h)).sum())
            cal = calibration(t, e, p, h, n_groups=1)
            row = {"subgroup": name, "level": level, "n": int(m.sum()), "events": events,
                   "observed": _num(cal.observed), "expected": _num(cal.expected),
                   "oe_ratio": _num(cal.oe_ratio), "oe_lo": _num(cal.oe_lo),
                   "oe_hi": _num(cal.oe_hi), "slope": None, "harrell_c": None}
            if events >= MIN_SUBGROUP_EVENTS:
                row["slope"] = _num(cal.slope)
                row["harrell_c"] = _num(harrell_c(t, e, p))
            out.append(row)
    return out


def horizon_metrics(cols: dict[str, np.ndarray], h: float, n_groups: int = 10
                    ) -> dict[str, Any]:
    """Every measure at one horizon (years)."""
    t, e = cols["time"], cols["event"]
    risk = cols[f"risk_y{h:g}"]
    cal = calibration(t, e, risk, h, n_groups=n_groups)
    brier, null, scaled = scaled_brier(t, e, risk, h)
    dca = net_benefit(t, e, risk, h)
    c = asdict(cal)
    groups = c.pop("groups")
    c.pop("curve_predicted")
    c.pop("curve_observed")
    return {
        "years": h,
        "calibration": {k: _num(v) if isinstance(v, float) else v for k, v in c.items()},
        "risk_groups": [{k: _num(v) if isinstance(v, float) else v for k, v in g.items()}
                        for g in groups],
        "calibration_curve": {"predicted": [_num(x) for x in cal.curve_predicted],
                              "observed": [_num(x) for x in cal.curve_observed]},
        "harrell_c": _num(harrell_c(t, e, risk)),
        "uno_c": _num(uno_c(t, e, risk, tau=h)),
        "auc": _num(time_dependent_auc(t, e, risk, [h])[0]),
        "brier": _num(brier), "brier_null": _num(null), "scaled_brier": _num(scaled),
        "net_benefit": {"thresholds": [_num(x) for x in dca.thresholds],
                        "model": [_num(x) for x in dca.model],
                        "treat_all": [_num(x) for x in dca.treat_all]},
        "risk_histogram": _histogram(risk),
        "subgroups": _subgroups(cols, h, risk),
    }


def _histogram(risk: np.ndarray, bins: int = 40) -> dict[str, list[float]]:
    top = min(1.0, max(0.05, float(np.ceil(risk.max() * 20.0) / 20.0)))
    counts, edges = np.histogram(risk, bins=bins, range=(0.0, top))
    return {"lower": edges[:-1].tolist(), "upper": edges[1:].tolist(),
            "count": counts.astype(int).tolist()}


def validate_cohort(src: Path, options: ChunkOptions, spec: OutcomeSpec,
                    errors_file: Path) -> dict[str, Any]:
    """Metrics of the whole cohort at each horizon, with what was predicted and refused."""
    cols, rows_in, refused = collect(src, options, spec, errors_file)
    if cols["row"].size == 0:
        raise InputError([FieldProblem("IN", str(src), "no row could be used; see "
                                       f"{errors_file}")])
    model = (f"given risk column(s) {', '.join(spec.predicted)}" if spec.predicted else
             f"PREDICT Breast {options.predict_version}: all-cause mortality with the "
             "treatments given")
    return {
        "model": model,
        "outcome": {"time": spec.time, "event": spec.event, "time_unit": "years"},
        "rows_in": rows_in, "rows_used": int(cols["row"].size), "rows_refused": refused,
        "errors_file": str(errors_file) if refused else None,
        "horizons": [horizon_metrics(cols, h) for h in spec.horizons],
    }
