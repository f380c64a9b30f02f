"""One chunk of a cohort: raw columns in, staging + PREDICT + indices figures out, per row.

The only place where cohort rows become figures; the local and the Dask engine both call
:func:`compute_chunk`, so they cannot disagree. It calls the engines' columnar APIs:
``axilla.case.predict.validate_predict_columns`` (refusals), ``axilla.models.predict.compute``
(PREDICT Breast), the staging engine (T from size, pN from node counts, stage groups: AJCC 8th
edition, revised 2018) and ``axilla.models.npi`` / ``axilla.models.cts5``. A row refused by
any check appears in ``errors`` (row, field, value, reason) and nowhere else.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import get_args

import numpy as np

from axilla.case.predict import predict_input_names, validate_predict_columns
from axilla.case.staging import MStatus
from axilla.cohort.mapping import Mapping as ColumnMapping
from axilla.cohort.values import parse_numbers, refuse, strings
from axilla.models.cts5 import compute_cts5
from axilla.models.npi import compute_npi
from axilla.models.predict import CURRENT_VERSION, compute, load_version
from axilla.staging import StagingOptions, prognostic_stage, t_category_from_size
from axilla.staging.groups import Markers, anatomic_stage
from axilla.staging.nodes import NodeSummary, pn_category
from axilla.staging.tnm import m_group, n_group, t_group

#: Optional staging inputs beside the PREDICT ones (the names ``axilla predict --input`` uses).
STAGING_INPUTS = ("micromet_nodes", "m")
M_CODES: tuple[str, ...] = get_args(MStatus)
REPORT_YEARS = (5, 10, 15)
TEXT_OUTPUTS = frozenset({"predict_version", "pT", "pN", "anatomic_stage",
                          "path_prognostic_stage", "npi_group6", "cts5_group"})


@dataclass(frozen=True)
class ChunkOptions:
    """What a run computes: the PREDICT version, columns passed through, an optional mapping."""

    predict_version: str = CURRENT_VERSION
    keep: tuple[str, ...] = ()
    mapping: ColumnMapping | None = None
    threads: int | None = None

    def input_names(self) -> tuple[str, ...]:
        v = load_version(self.predict_version)
        return predict_input_names(v.uses_v3_inputs)


@dataclass
class ChunkResult:
    """Figures of the computed rows (``row`` = 1-based data row) and the refusals of the rest."""

    columns: dict[str, np.ndarray]
    errors: list[tuple[int, str, object, str]] = field(default_factory=list)
    rows_in: int = 0

    @property
    def rows_computed(self) -> int:
        return int(self.columns["row"].shape[0])


def output_names(options: ChunkOptions) -> tuple[str, ...]:
    """Output column names, in order (for writers that need a schema before the first chunk)."""
    figures = [f"{k}_y{t}" for t in REPORT_YEARS
               for k in ("os_surgery", "os_given", "bcm_given", "benefit_given")]
    return ("row", *options.keep, "predict_version", "pT", "pN", "anatomic_stage",
            "path_prognostic_stage", *figures, "npi_score", "npi_group6", "npi_surv10_pct",
            "cts5_score", "cts5_group", "cts5_risk_5_10y_pct")


@functools.cache
def _n_category(positive: int, micro: int, sizes_known: bool) -> str:
    """pN category of axillary counts, decided by the staging engine's own rule."""
    summary = NodeSummary(
        positive_axillary=positive, macro_axillary=positive - micro if sizes_known else 0,
        micro_axillary=micro, unknown_size_axillary=0 if sizes_known else positive - micro,
        itc_nodes=0, infraclavicular_positive=False, supraclavicular_positive=False,
        internal_mammary="none", molecular_positive=False, nodes_excised=max(positive, 1),
        needle_only_positive=(),
    )
    return pn_category(summary, StagingOptions()).category


def _codes(k: np.ndarray) -> tuple[np.ndarray, int]:
    """Small non-negative integer codes of a key column and their radix."""
    if k.dtype.kind in "biu" and k.size and k.min() >= 0 and k.max() < 4096:
        return k.astype(np.int64), int(k.max()) + 1
    uniq, inverse = np.unique(k, return_inverse=True)
    return inverse.reshape(-1).astype(np.int64), max(int(uniq.size), 1)


def _by_unique(keys: Sequence[np.ndarray], fn) -> tuple[list, np.ndarray]:
    """``fn`` applied once per distinct combination of ``keys``: the answers, and for each row
    the index of its answer."""
    combined = np.zeros(keys[0].shape[0], dtype=np.int64)
    for k in keys:
        code, radix = _codes(k)
        combined = combined * radix + code
    _, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
    answers = [fn(*args) for args in zip(*(k[first].tolist() for k in keys), strict=True)]
    return answers, inverse.reshape(-1)


def _marker_word(code: float) -> str | None:
    return {1.0: "positive", 0.0: "negative"}.get(float(code))


@functools.cache
def _groups(tc: str, nc: str, m: int, grade: int, er: int, pr: int,
            her2: int) -> tuple[str, str, str, str]:
    """pT, pN, anatomic and pathological prognostic stage of one combination of inputs."""
    tg, ng, mg = t_group(tc), n_group(nc), m_group(M_CODES[m])
    markers = Markers(grade if grade in (1, 2, 3) else None, _marker_word(er),
                      _marker_word(pr), _marker_word(her2))
    return (tc, nc, anatomic_stage(tg, ng, mg) or "",
            prognostic_stage(tg, ng, mg, markers)[0] or "")


def _staging(x: Mapping[str, np.ndarray], micro: np.ndarray | None,
             m: np.ndarray) -> dict[str, np.ndarray]:
    """Staging of each row, decided once per distinct combination of its inputs."""
    positive = np.ceil(x["nodes"]).astype(np.int64)
    known = x["nodes"] == 0.5  # one node with micrometastases only (PREDICT's 0.5)
    micro_n = known.astype(np.int64)
    if micro is not None:  # a blank count leaves that row's deposit sizes unknown
        given = np.isfinite(micro)
        micro_n = np.where(given, np.nan_to_num(micro), micro_n).astype(np.int64)
        known = known | given
    n_names, n_index = _by_unique([positive, micro_n, known],
                                  lambda p, mi, k: _n_category(p, mi, bool(k)))
    m_index = np.zeros(m.shape[0], dtype=np.int64)
    for i, code in enumerate(M_CODES):
        m_index[m == code] = i
    sizes, size_row = np.unique(x["size"], return_inverse=True)
    t_names, t_of_size = np.unique(t_category_from_size(sizes), return_inverse=True)
    t_index = t_of_size.reshape(-1)[size_row.reshape(-1)].astype(np.int64)
    codes = [x[k].astype(np.int64) for k in ("grade", "er", "pr", "her2")]  # validated codes
    answers, row = _by_unique(
        [t_index, n_index.astype(np.int64), m_index, *codes],
        lambda t, n, *rest: _groups(str(t_names[t]), n_names[n], *rest))
    names = ("pT", "pN", "anatomic_stage", "path_prognostic_stage")
    return {name: np.asarray([a[j] for a in answers], dtype=object)[row]
            for j, name in enumerate(names)}


def _predict(x: Mapping[str, np.ndarray], options: ChunkOptions) -> dict[str, np.ndarray]:
    v = load_version(options.predict_version)
    given = v.ladders["standard"][-1]
    surgery = v.ladders["standard"][0]
    out = compute(x, v.id, columns=(surgery, given), years=REPORT_YEARS, validate=False,
                  threads=options.threads)
    cols: dict[str, np.ndarray] = {"predict_version": np.full(out.n, v.id, dtype=object)}
    os_s, os_g = out.overall_survival(surgery), out.overall_survival(given)
    assert out.breast is not None  # computed with split=True
    bcm = 100.0 * out.breast[:, out.col(given), :]
    benefit = out.benefit_vs(given, surgery)
    for k, t in enumerate(out.years):
        cols[f"os_surgery_y{t}"] = os_s[:, k]
        cols[f"os_given_y{t}"] = os_g[:, k]
        cols[f"bcm_given_y{t}"] = bcm[:, k]
        cols[f"benefit_given_y{t}"] = benefit[:, k]
    return {k: np.ascontiguousarray(a) for k, a in cols.items()}


def _indices(x: Mapping[str, np.ndarray], micro: np.ndarray | None) -> dict[str, np.ndarray]:
    """NPI where grade is known; CTS5 where grade is known and ER positive (else blank)."""
    n = x["age"].shape[0]
    positive = np.ceil(x["nodes"])
    micro_n = (x["nodes"] == 0.5).astype(float)
    if micro is not None:
        micro_n = np.where(np.isfinite(micro), micro, micro_n)
    graded = np.isin(x["grade"], (1.0, 2.0, 3.0))
    grade = np.where(graded, x["grade"], 1.0)
    npi = compute_npi(x["size"], positive, grade, micrometastatic_nodes=micro_n)
    cts5 = compute_cts5(x["age"], x["size"], grade, positive, micrometastatic_nodes=micro_n)
    er_pos = graded & (x["er"] == 1)
    blank = np.full(n, "", dtype=object)
    return {
        "npi_score": np.where(graded, npi.score, np.nan),
        "npi_group6": np.where(graded, npi.group6.astype(object), blank),
        "npi_surv10_pct": np.where(graded, npi.surv10_pct, np.nan),
        "cts5_score": np.where(er_pos, cts5.score, np.nan),
        "cts5_group": np.where(er_pos, cts5.group.astype(object), blank),
        "cts5_risk_5_10y_pct": np.where(er_pos, cts5.risk_5_10y_pct, np.nan),
    }


@dataclass
class _Accepted:
    """Rows that passed every check of a chunk, with their inputs as the engines take them."""

    rows: np.ndarray  # 1-based row numbers of the whole chunk
    keep: np.ndarray  # indices of the accepted rows
    x: dict[str, np.ndarray]  # PREDICT inputs of the accepted rows, missing codes filled
    micro: np.ndarray | None
    m: np.ndarray
    raw: Mapping[str, np.ndarray]  # the chunk after the mapping
    errors: list[tuple[int, str, object, str]]


def _accept(raw: Mapping[str, np.ndarray], first_row: int, options: ChunkOptions,
            extra_ok: np.ndarray | None = None,
            extra_errors: Sequence[tuple[int, str, object, str]] = ()) -> _Accepted:
    n = len(next(iter(raw.values()))) if raw else 0
    rows = np.arange(first_row, first_row + n)
    errors = list(extra_errors)
    ok = np.ones(n, dtype=bool) if extra_ok is None else extra_ok.copy()
    source = raw

    def as_given(name: str, i: int) -> tuple[str, object]:
        """The source column and its cell as the file holds it (before any mapping)."""
        col = options.mapping.source(name) if options.mapping is not None else name
        if col not in source:
            return name, None
        value = np.asarray(source[col], dtype=object)[i]
        return col, value.item() if isinstance(value, np.generic) else value

    if options.mapping is not None:
        raw, map_problems = options.mapping.apply(raw, (*options.input_names(), *STAGING_INPUTS))
        for i, name, value, reason in map_problems:
            if ok[i]:
                errors.append((int(rows[i]), name, value, reason))
            ok[i] = False
    names = options.input_names()
    numbers: dict[str, np.ndarray] = {}
    for name in (*names, "micromet_nodes"):
        if name not in raw:
            continue
        values, bad = parse_numbers(np.asarray(raw[name]))
        refuse(errors, rows, bad & ok, name, np.asarray(raw[name], dtype=object),
                "must be a number")
        ok &= ~bad
        numbers[name] = values
    checked = validate_predict_columns({k: v for k, v in numbers.items() if k in names},
                                       uses_v3_inputs=load_version(options.predict_version)
                                       .uses_v3_inputs)
    for i, p in checked.problems:
        if ok[i]:
            col, given = as_given(p.field, i)
            blank = given is None or np.isnan(numbers[p.field][i])
            errors.append((int(rows[i]), col, None if blank else given,
                           f"is required; {p.reason}" if blank else p.reason))
    ok &= checked.valid
    micro = numbers.get("micromet_nodes")
    if micro is not None:
        nodes = checked.columns["nodes"]
        bad = ok & np.isfinite(micro) & ~((micro >= 0) & (micro == np.floor(micro))
                                          & (micro <= np.ceil(nodes)))
        refuse(errors, rows, bad, "micromet_nodes", micro,
               "must be a whole number from 0 to the positive nodes")
        ok &= ~bad
        # PREDICT's convention: one node with micrometastases only is nodes 0.5, never 1
        clash = ok & np.isfinite(micro) & (((nodes == 0.5) & (micro != 1))
                                           | ((nodes == 1) & (micro == 1)))
        refuse(errors, rows, clash, "micromet_nodes", micro,
               "disagrees with nodes: one node with micrometastases only is nodes 0.5 with "
               "micromet_nodes 1 (PREDICT's convention)")
        ok &= ~clash
    m = strings(raw["m"]) if "m" in raw else np.full(n, "cM0", dtype=object)
    m = np.where(m == "", "cM0", m).astype(str)
    bad = ok & ~np.isin(m, M_CODES)
    refuse(errors, rows, bad, "m", m, f"must be one of {', '.join(M_CODES)}")
    ok &= ~bad
    keep = np.flatnonzero(ok)
    errors.sort(key=lambda e: e[0])
    return _Accepted(rows, keep, {k: c[keep] for k, c in checked.columns.items()},
                     micro[keep] if micro is not None else None, m[keep], raw, errors)


def _kept(a: _Accepted, names: Sequence[str]) -> dict[str, np.ndarray]:
    return {k: np.asarray(a.raw[k], dtype=object)[a.keep] if k in a.raw
            else np.full(a.keep.size, "", dtype=object) for k in names}


def compute_chunk(raw: Mapping[str, np.ndarray], first_row: int,
                  options: ChunkOptions) -> ChunkResult:
    """Figures for one chunk of rows; ``first_row`` is the 1-based number of its first row."""
    a = _accept(raw, first_row, options)
    cols: dict[str, np.ndarray] = {"row": a.rows[a.keep], **_kept(a, options.keep)}
    if a.keep.size:
        predict = _predict(a.x, options)
        cols["predict_version"] = predict.pop("predict_version")
        cols.update(_staging(a.x, a.micro, a.m))
        cols.update(predict)
        cols.update(_indices(a.x, a.micro))
    else:
        for name in output_names(options)[len(cols):]:
            cols[name] = np.empty(0, dtype=object if name in TEXT_OUTPUTS else float)
    cols = {k: cols[k] for k in output_names(options)}
    return ChunkResult(columns=cols, errors=a.errors, rows_in=a.rows.shape[0])


# Validation: predicted risk by each horizon beside the observed outcome ----------------------


@dataclass(frozen=True)
class OutcomeSpec:
    """Follow-up columns (after the mapping) and how to read them."""

    time: str
    event: str
    time_factor: float = 1.0  # source unit -> years
    event_codes: Mapping[str, float] | None = None
    horizons: tuple[float, ...] = (5.0, 10.0)
    predicted: tuple[str, ...] = ()  # given risk columns, one per horizon; empty = PREDICT


AGE_BANDS = ((0, 40, "<40"), (40, 50, "40-49"), (50, 65, "50-64"), (65, 75, "65-74"),
             (75, 200, "75+"))


def subgroup_columns(x: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Age band, ER, HER2 and nodal category of each row (validation subgroups)."""
    n = len(next(iter(x.values()))) if x else 0
    out: dict[str, np.ndarray] = {}
    if "age" in x:
        band = np.full(n, "unknown", dtype=object)
        for lo, hi, label in AGE_BANDS:
            band[(x["age"] >= lo) & (x["age"] < hi)] = label
        out["age_band"] = band
    words = {1.0: "positive", 0.0: "negative"}
    for k in ("er", "her2"):
        if k in x:
            out[k] = np.asarray([words.get(v, "unknown") for v in x[k].tolist()], dtype=object)
    if "nodes" in x:
        v = x["nodes"]
        out["nodal"] = np.select([v == 0, v == 0.5, v <= 3, v <= 9, v > 9],
                                 ["0", "micrometastasis only", "1-3", "4-9", "10+"],
                                 "unknown").astype(object)
    return out


def _outcome(raw: Mapping[str, np.ndarray], rows: np.ndarray, spec: OutcomeSpec
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list]:
    errors: list[tuple[int, str, object, str]] = []
    time_raw = np.asarray(raw[spec.time], dtype=object)
    t, bad_t = parse_numbers(time_raw)
    t = t * spec.time_factor
    bad_t |= ~np.isfinite(t) | (t < 0)
    refuse(errors, rows, bad_t, spec.time, time_raw, "must be a follow-up time >= 0")
    ev_raw = np.asarray(raw[spec.event], dtype=object)
    if spec.event_codes is not None:
        codes = spec.event_codes
        e = np.asarray([codes.get(str(v).strip(), np.nan) for v in ev_raw.tolist()], float)
        allowed = ", ".join(codes)
    else:
        e = parse_numbers(ev_raw)[0]
        allowed = "0, 1"
    bad_e = ~np.isin(e, (0.0, 1.0)) & ~bad_t
    refuse(errors, rows, bad_e, spec.event, ev_raw, f"must be one of {allowed}")
    return t, e, ~(bad_t | bad_e), errors


def validation_chunk(raw: Mapping[str, np.ndarray], first_row: int, options: ChunkOptions,
                     spec: OutcomeSpec) -> ChunkResult:
    """Rows with follow-up (years, event 1/0), the predicted risk by each horizon
    (``risk_y<h>``: PREDICT all-cause mortality with the treatments given, or the given
    columns) and the subgroup columns; refusals as in :func:`compute_chunk`."""
    n = len(next(iter(raw.values()))) if raw else 0
    rows = np.arange(first_row, first_row + n)
    t, e, ok, errors = _outcome(raw, rows, spec)
    cols: dict[str, np.ndarray]
    if spec.predicted:
        risks = {}
        for h, name in zip(spec.horizons, spec.predicted, strict=True):
            vals, bad = parse_numbers(np.asarray(raw[name]))
            bad |= ~((vals >= 0) & (vals <= 1))
            refuse(errors, rows, bad & ok, name, np.asarray(raw[name], dtype=object),
                    "must be a risk from 0 to 1")
            ok &= ~bad
            risks[f"risk_y{h:g}"] = vals
        keep = np.flatnonzero(ok)
        mapped = options.mapping.apply(raw)[0] if options.mapping else raw
        x = {k: parse_numbers(np.asarray(mapped[k]))[0][keep]
             for k in ("age", "er", "her2", "nodes") if k in mapped}
        cols = {"row": rows[keep], "time": t[keep], "event": e[keep],
                **{k: v[keep] for k, v in risks.items()}, **subgroup_columns(x)}
        errors.sort(key=lambda r: r[0])
        return ChunkResult(columns=cols, errors=errors, rows_in=n)
    a = _accept(raw, first_row, options, ok, errors)
    cols = {"row": a.rows[a.keep], "time": t[a.keep], "event": e[a.keep]}
    years = tuple(int(h) for h in spec.horizons)
    if a.keep.size:
        v = load_version(options.predict_version)
        given = v.ladders["standard"][-1]
        out = compute(a.x, v.id, columns=(given,), years=sorted(set(years)), validate=False,
                      split=False, threads=options.threads)
        for h in spec.horizons:
            cols[f"risk_y{h:g}"] = np.ascontiguousarray(out.all_cause[:, 0, out.year(int(h))])
    else:
        for h in spec.horizons:
            cols[f"risk_y{h:g}"] = np.empty(0)
    cols.update(subgroup_columns(a.x))
    return ChunkResult(columns=cols, errors=a.errors, rows_in=n)
