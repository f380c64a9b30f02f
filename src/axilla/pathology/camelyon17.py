"""CAMELYON17 patient stages from slide labels, and the challenge's quadratic weighted kappa.

Source: Bandi P. et al., IEEE Trans Med Imaging 2019;38(2):550-560 (CAMELYON17), and the
challenge's evaluation script, as re-described in shared/spec/pathology.md sections 3.3-3.4.
Simplified pN: P = slides with micro- or macrometastases; pN0 no tumour; pN0(i+) ITC only;
pN1mi micrometastases only; pN1 a macrometastasis and P 1-3; pN2 a macrometastasis and P 4-9.
Kappa: five ordered classes, weights (i - j)^2 / (K - 1)^2, kappa = 1 - sum(w O) / sum(w E)
with E the outer product of the marginal histograms divided by the number of patients.
"""

from __future__ import annotations

import numpy as np

#: Slide labels in order of severity (code = position).
SLIDE_LABELS = ("negative", "itc", "micro", "macro")
#: Patient stages in the order kappa uses (code = position).
STAGES = ("pN0", "pN0(i+)", "pN1mi", "pN1", "pN2")
#: Most positive slides the simplified rule defines (pN2 is 4-9; it has no pN3).
MAX_POSITIVE_SLIDES = 9

_ITC, _MICRO, _MACRO = 1, 2, 3


def stage_codes(itc: np.ndarray, micro: np.ndarray, macro: np.ndarray) -> np.ndarray:
    """Stage code (index into STAGES) of each patient from counts of slides by label.

    Raises ValueError naming the patients (by position) with more than 9 positive slides,
    which the simplified rule does not stage.
    """
    itc, micro, macro = (np.asarray(a, dtype=np.int64) for a in (itc, micro, macro))
    positive = micro + macro
    beyond = np.flatnonzero(positive > MAX_POSITIVE_SLIDES)
    if len(beyond):
        raise ValueError(f"patients at positions {beyond.tolist()} have more than "
                         f"{MAX_POSITIVE_SLIDES} positive slides: the CAMELYON17 rule has no "
                         "pN3; stage them by the AJCC rules")
    out = np.zeros(len(positive), dtype=np.int8)
    out[itc > 0] = 1
    out[positive > 0] = 2
    out[(macro > 0) & (positive <= 3)] = 3
    out[(macro > 0) & (positive >= 4)] = 4
    return out


def stage_codes_from_labels(patient: np.ndarray, label: np.ndarray,
                            n_patients: int) -> np.ndarray:
    """Stage code of each patient from slide rows: patient index and label code per slide."""
    patient = np.asarray(patient, dtype=np.int64)
    label = np.asarray(label, dtype=np.int64)

    def count(code: int) -> np.ndarray:
        return np.bincount(patient[label == code], minlength=n_patients)

    return stage_codes(count(_ITC), count(_MICRO), count(_MACRO))


def confusion(reference: np.ndarray, submission: np.ndarray, k: int = len(STAGES)) -> np.ndarray:
    """Counts O[i, j] of patients with reference class i and submitted class j."""
    ref = np.asarray(reference, dtype=np.int64)
    sub = np.asarray(submission, dtype=np.int64)
    return np.bincount(ref * k + sub, minlength=k * k).reshape(k, k)


def quadratic_weighted_kappa(reference: np.ndarray, submission: np.ndarray,
                             k: int = len(STAGES)) -> float:
    """Cohen's kappa with quadratic weights over k ordered classes (codes 0..k-1).

    NaN when the expected disagreement is 0 (every patient in one class in both lists), as in
    scikit-learn's cohen_kappa_score.
    """
    observed = confusion(reference, submission, k).astype(float)
    n = observed.sum()
    if n == 0:
        raise ValueError("no patients to compare")
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / n
    i, j = np.indices((k, k))
    weights = (i - j) ** 2 / (k - 1) ** 2
    denominator = float((weights * expected).sum())
    if denominator == 0:
        return float("nan")
    return 1.0 - float((weights * observed).sum()) / denominator
