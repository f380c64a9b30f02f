"""Synthetic cohorts: realistic marginal distributions and, optionally, outcomes simulated from
PREDICT's own hazards, for tests, demos and benchmarks. Never real patients.

Marginals (documented in docs/cohort.md) are rounded figures in the range reported for the
PREDICT development cohort (East Anglia Cancer Registry, 1999-2003; Wishart GC et al. Breast
Cancer Res 2010;12:R1) and UK audit data: age ~ Normal(59, 12) in 25-85 years; size
~ LogNormal(median 18 mm, sigma 0.6) in 1-150 mm; 60 % node-negative, 4 % one node with
micrometastases only, otherwise 1 + Geometric(0.3) nodes up to 50 (each of two or more
micrometastatic with probability 0.1); grade 1/2/3 20/45/32 %,
3 % unknown; ER positive 80 %; HER2 positive 14 % (3 % unknown); treatments follow the usual
indications with the stated probabilities.

Outcomes (``outcomes=True``): all-cause death from PREDICT's cumulative all-cause mortality
F(t) for the treatments each woman received, at years 1..15; the cumulative hazard
H(t) = -log(1 - F(t)) is taken as linear between whole years, a death time drawn by inverting
H at an Exp(1) draw divided by ``hazard_ratio`` (1 = the model's own hazard; anything else is
a deliberately wrong one), and censored by follow-up ~ Uniform(``follow_up_min``, 15) years.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from axilla.models.predict import CURRENT_VERSION, compute, load_version

N_YEARS = 15


def _inputs(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    age = np.clip(np.rint(rng.normal(59.0, 12.0, n)), 25, 85)
    size = np.clip(np.rint(np.exp(rng.normal(np.log(18.0), 0.6, n))), 1, 150)
    u = rng.random(n)
    nodes = np.where(u < 0.60, 0.0, np.where(u < 0.64, 0.5,
                                             np.minimum(rng.geometric(0.3, n), 50)))
    grade = rng.choice([1.0, 2.0, 3.0, 9.0], n, p=[0.20, 0.45, 0.32, 0.03])
    er = (rng.random(n) < 0.80).astype(float)
    her2 = rng.choice([0.0, 1.0, 9.0], n, p=[0.83, 0.14, 0.03])
    ki67 = np.where(rng.random(n) < 0.5, 9.0, (rng.random(n) < 0.5).astype(float))
    pr = np.where(er == 1, (rng.random(n) < 0.8), (rng.random(n) < 0.1)).astype(float)
    pr = np.where(rng.random(n) < 0.05, 9.0, pr)
    screen = rng.choice([0.0, 1.0, 2.0], n, p=[0.60, 0.35, 0.05])
    high = (nodes >= 1) | (grade == 3) | (er == 0) | (size > 20)
    chemo = rng.random(n) < np.where(high, 0.6, 0.15)
    generation = np.where(chemo, np.where(rng.random(n) < 0.85, 3.0, 2.0), 0.0)
    radio = (rng.random(n) < 0.7).astype(float)
    # one node with micrometastases only is nodes 0.5 (PREDICT's convention), never 1 of 1
    micro = np.where(nodes == 0.5, 1.0, np.where(nodes >= 2, rng.binomial(
        np.maximum(nodes, 0).astype(int), 0.1), 0.0))
    return {
        "age": age, "size": size, "nodes": nodes, "grade": grade, "er": er, "her2": her2,
        "ki67": ki67, "pr": pr, "screen": screen, "generation": generation,
        "horm": ((er == 1) & (rng.random(n) < 0.95)).astype(float),
        "traz": ((her2 == 1) & chemo).astype(float),
        "bis": ((age > 55) & (rng.random(n) < 0.1)).astype(float),
        "radio": radio,
        "heart_gy": np.where(radio == 1, np.round(np.clip(rng.gamma(2.0, 1.0, n), 0, 10), 1),
                             0.0),
        "smoker": (rng.random(n) < 0.12).astype(float),
        "micromet_nodes": micro,
    }


def _death_times(mortality: np.ndarray, e: np.ndarray) -> np.ndarray:
    """Invert H(t) = -log(1 - F(t)), linear between whole years, at targets e; inf beyond 15."""
    H = -np.log1p(-np.clip(mortality, 0.0, 1.0 - 1e-15))  # [patient, year 1..15]
    H = np.concatenate([np.zeros((H.shape[0], 1)), H], axis=1)  # years 0..15
    k = (e[:, None] >= H).sum(axis=1) - 1  # last year with H <= e
    inside = k < N_YEARS
    k = np.minimum(k, N_YEARS - 1)
    rows = np.arange(H.shape[0])
    lo, hi = H[rows, k], H[rows, k + 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(hi > lo, (e - lo) / (hi - lo), 0.0)
    return np.where(inside, k + frac, np.inf)


def synth_chunk(n: int, seed: int, chunk_index: int = 0, *, first_id: int = 1,
                outcomes: bool = False, hazard_ratio: float = 1.0,
                follow_up_min: float = 5.0, version: str = CURRENT_VERSION
                ) -> dict[str, np.ndarray]:
    """One chunk of a synthetic cohort; the same (seed, chunk_index) gives the same rows."""
    rng = np.random.default_rng([seed, chunk_index])
    cols = _inputs(rng, n)
    out: dict[str, np.ndarray] = {
        "id": np.asarray([f"S{i:09d}" for i in range(first_id, first_id + n)], dtype=object)}
    out.update(cols)
    if outcomes:
        v = load_version(version)
        given = v.ladders["standard"][-1]
        pred = compute({k: cols[k] for k in cols if k != "micromet_nodes"}, v.id,
                       columns=(given,), validate=False, split=False)
        death = _death_times(pred.all_cause[:, 0, :], rng.exponential(1.0, n) / hazard_ratio)
        follow = rng.uniform(follow_up_min, N_YEARS, n)
        out["time_years"] = np.round(np.minimum(death, follow), 6)
        out["death"] = (death <= follow).astype(float)
    return out


def synth_chunks(n: int, seed: int = 1, chunk_rows: int = 100_000, **kwargs
                 ) -> Iterator[dict[str, np.ndarray]]:
    """A synthetic cohort of ``n`` rows in chunks (bounded memory for any n)."""
    done, k = 0, 0
    while done < n:
        m = min(chunk_rows, n - done)
        yield synth_chunk(m, seed, k, first_id=done + 1, **kwargs)
        done += m
        k += 1
