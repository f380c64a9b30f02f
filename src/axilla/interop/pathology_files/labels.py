"""CAMELYON17 label files: slide labels -> patient stages, and the patient-level kappa.

Source: CAMELYON17 challenge (camelyon17.grand-challenge.org, Evaluation; Bandi et al., IEEE
TMI 2019) and its evaluation script's behaviour, re-described in shared/spec/pathology.md
sections 3.2-3.4: header ``patient,stage``; patient rows ``patient_XXX.zip,<stage>``; slide
rows ``patient_XXX_node_Y.tif,<label>``; stages compared case-insensitively; only patient rows
are scored; every reference patient must be in the submission. Unlike that script (which stops
with a KeyError), a patient missing from either file is named in the error.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from axilla.interop.pathology_files.errors import PathologyFileError
from axilla.pathology.camelyon17 import (
    SLIDE_LABELS,
    STAGES,
    confusion,
    quadratic_weighted_kappa,
    stage_codes_from_labels,
)

HEADER = ("patient", "stage")
_PATIENT = re.compile(r"^(patient_\d+)\.zip$")
_SLIDE = re.compile(r"^(patient_\d+)_node_(\d+)\.tif$")
_STAGE_OF = {s.lower(): s for s in STAGES}
_LABEL_OF = {s.lower(): s for s in SLIDE_LABELS}


@dataclass
class LabelFile:
    """Rows of one CAMELYON17 label file: patient stages and slide labels, in file order."""

    path: str
    stages: dict[str, str] = field(default_factory=dict)
    slides: dict[str, dict[int, str]] = field(default_factory=dict)


def read_labels(path: str | Path) -> LabelFile:
    """Read a CAMELYON17 CSV; errors name the file, the line and what is allowed."""
    path = Path(path)
    out = LabelFile(str(path))
    with path.open(newline="", encoding="utf-8-sig") as fh:
        rows = csv.reader(fh)
        header = next(rows, None)
        if header is None or tuple(h.strip().lower() for h in header[:2]) != HEADER:
            raise PathologyFileError(path, "line 1", f"header must be {','.join(HEADER)}, "
                                     f"got {','.join(header or [])!r}")
        for line, row in enumerate(rows, start=2):
            if not row or not "".join(row).strip():
                continue
            where = f"line {line}"
            if len(row) != 2:
                raise PathologyFileError(path, where, f"expected 2 columns, got {len(row)}")
            name, value = row[0].strip(), row[1].strip()
            if m := _PATIENT.match(name):
                stage = _STAGE_OF.get(value.lower())
                if stage is None:
                    raise PathologyFileError(path, where, f"stage {value!r}: allowed "
                                             f"{', '.join(STAGES)}")
                if m.group(1) in out.stages:
                    raise PathologyFileError(path, where, f"{name} appears twice")
                out.stages[m.group(1)] = stage
            elif m := _SLIDE.match(name):
                label = _LABEL_OF.get(value.lower())
                if label is None:
                    raise PathologyFileError(path, where, f"label {value!r}: allowed "
                                             f"{', '.join(SLIDE_LABELS)}")
                nodes = out.slides.setdefault(m.group(1), {})
                if int(m.group(2)) in nodes:
                    raise PathologyFileError(path, where, f"{name} appears twice")
                nodes[int(m.group(2))] = label
            else:
                raise PathologyFileError(path, where, f"first column {name!r} must be "
                                         "patient_XXX.zip or patient_XXX_node_Y.tif")
    return out


def stages_from_slides(labels: LabelFile) -> dict[str, str]:
    """Each patient's stage by the CAMELYON17 rule from its slide labels (file order)."""
    patients = list(labels.slides)
    index = {p: i for i, p in enumerate(patients)}
    pairs = [(index[p], SLIDE_LABELS.index(lab))
             for p, nodes in labels.slides.items() for lab in nodes.values()]
    who, code = (np.array(v, dtype=np.int64) for v in zip(*pairs, strict=True)) if pairs \
        else (np.zeros(0, np.int64), np.zeros(0, np.int64))
    try:
        stages = stage_codes_from_labels(who, code, len(patients))
    except ValueError:
        positive = [p for p, n in labels.slides.items()
                    if sum(v in ("micro", "macro") for v in n.values()) > 9]
        raise PathologyFileError(labels.path, ", ".join(positive), "more than 9 positive "
                                 "slides: the CAMELYON17 rule has no pN3") from None
    return {p: STAGES[int(s)] for p, s in zip(patients, stages, strict=True)}


def write_labels(path: str | Path, stages: dict[str, str],
                 slides: dict[str, dict[int, str]]) -> None:
    """Write patient rows, each followed by its slide rows, in the CAMELYON17 layout."""
    with Path(path).open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(HEADER)
        for patient, stage in stages.items():
            w.writerow((f"{patient}.zip", stage))
            for node in sorted(slides.get(patient, {})):
                w.writerow((f"{patient}_node_{node}.tif", slides[patient][node]))


@dataclass(frozen=True)
class KappaResult:
    """Quadratic weighted kappa over patients, with the confusion matrix it came from."""

    kappa: float
    patients: tuple[str, ...]
    confusion: np.ndarray  # reference class (rows) x submitted class (columns), STAGES order


def kappa_from_files(reference: str | Path, submission: str | Path) -> KappaResult:
    """Kappa of a submission's patient stages against the reference's (slide rows ignored)."""
    ref, sub = read_labels(reference), read_labels(submission)
    if not ref.stages:
        raise PathologyFileError(reference, "", "no patient rows (patient_XXX.zip,<stage>)")
    missing = [p for p in ref.stages if p not in sub.stages]
    if missing:
        raise PathologyFileError(submission, ", ".join(f"{p}.zip" for p in missing),
                                 "missing: every reference patient needs a stage")
    extra = [p for p in sub.stages if p not in ref.stages]
    if extra:
        raise PathologyFileError(reference, ", ".join(f"{p}.zip" for p in extra),
                                 "missing: submitted patient(s) not in the reference")
    patients = tuple(ref.stages)
    r = np.array([STAGES.index(ref.stages[p]) for p in patients])
    s = np.array([STAGES.index(sub.stages[p]) for p in patients])
    return KappaResult(quadratic_weighted_kappa(r, s), patients, confusion(r, s))
