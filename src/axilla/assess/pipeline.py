"""The pipeline: a batch of cases -> figures (``compute``) -> assessments (``present``).

The only module that knows the order of the engines: the cases are flattened once into a case
table and a node table (``axilla.columns``); staging counts every node once; PREDICT, NPI and
CTS5 each run as one columnar call over the cases they apply to; then the recurrence checklist
and event class, and the guidance rules given the staging and model results as facts. Every
figure carries the model that produced it; every recommendation its rule id and citation.
Words and pictures are added afterwards by ``axilla.assess.present``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import islice, repeat
from typing import Any, TypeVar

import numpy as np

from axilla import __version__
from axilla.assess.inputs import (
    guidance_facts,
    index_inputs,
    index_values,
    predict_input_values,
    risk_inputs,
)
from axilla.assess.model import (
    Assessment,
    CTS5Section,
    Figures,
    NPISection,
    PredictSection,
    Provenance,
    RecurrenceSection,
)
from axilla.assess.present import present
from axilla.case.assessment import Case, parse_case
from axilla.case.index_rules import SMALL_BATCH
from axilla.columns import tables
from axilla.guidance import RULESET_VERSION, evaluate
from axilla.models.applicability import cts5_row_reasons, tumour_row_reasons
from axilla.models.cts5 import CTS5Result, cts5_applicability, cts5_results, cts5_row_results
from axilla.models.npi import NPIResult, npi_applicability, npi_results, npi_row_results
from axilla.models.predict import CURRENT_VERSION, load_version
from axilla.models.predict.results import PredictResult, ladder_and_added, results
from axilla.recurrence import classify_recurrence, risk_factor_summary
from axilla.staging import (
    CountColumns,
    StagingResult,
    counts_columns,
    index_node_inputs,
    stage_many,
)
from axilla.typed import CollectorHeld, built, field_defaults

PREDICT_YEARS = tuple(range(1, 16))
R = TypeVar("R")


def _predict(cases_t: Any, counts: Mapping[str, np.ndarray], predict_version: str
             ) -> tuple[list[PredictSection], list[list[str]]]:
    """PREDICT for every case it applies to, in one columnar call."""
    version = load_version(predict_version)
    cols, values, reasons, notes = predict_input_values(cases_t, counts)
    runnable = [i for i, why in enumerate(reasons) if not why]
    typed: dict[int, PredictResult] = {}
    if runnable:
        # checked by predict_inputs
        x = cols if len(runnable) == len(reasons) else {k: v[runnable] for k, v in cols.items()}
        out, added = ladder_and_added(version, x, validate=False)
        typed = dict(zip(runnable, results(out, PREDICT_YEARS, added), strict=True))
    # each case's inputs as the plain floats its columns were made from
    inputs = {i: {name: values[name][i] for name in cols} for i in runnable}
    # a bool, a new list of texts, a new dict of floats (``tolist``) and PREDICT's typed
    # result: built as validation records them, not validated again
    # (tests/assess/test_figures_built.py)
    sections = [built(PredictSection, {
        "applicable": not why, "not_applicable_reasons": why, "inputs": inputs.get(i),
        "result": typed.get(i)}) for i, why in enumerate(reasons)]
    return sections, notes


def _indices(cases_t: Any, counts: Mapping[str, np.ndarray]
             ) -> tuple[list[NPISection], list[CTS5Section]]:
    """NPI and CTS5 for every case each applies to, one call each over those cases (the inputs
    are read from parsed cases, which every index input rule accepts where the index applies:
    not checked again). A few cases go row by row on plain values, a batch as columns."""
    if len(cases_t) <= SMALL_BATCH and isinstance(counts, CountColumns):
        x = index_values(cases_t)
        nodes = [index_node_inputs(vars(c)) for c in counts.rows]
        x["positive_nodes"] = [float(p) for p, _ in nodes]
        x["micrometastatic_nodes"] = [float(m) for _, m in nodes]
        npi_why = list(map(tumour_row_reasons, repeat("NPI"), x["invasive"], x["size_mm"],
                           x["grade"]))
        cts5_why = list(map(cts5_row_reasons, x["invasive"], x["er_positive"], x["age_years"],
                            x["size_mm"], x["grade"]))
        npi = _rows_of(npi_why, x, _NPI_INPUTS, npi_row_results)
        cts5 = _rows_of(cts5_why, x, _CTS5_INPUTS, cts5_row_results)
    else:
        npi, cts5, npi_why, cts5_why = _index_columns(index_inputs(cases_t), counts)
    # Checked values of each field's exact type: built, not validated again (as the validated
    # constructor records them: tests/models/test_indices_speed4.py).
    return (
        [built(NPISection, {"name": "NPI", "applicable": not why, "not_applicable_reasons":
                            list(why), "result": npi.get(i)}, _SECTION_FIELDS)
         for i, why in enumerate(npi_why)],
        [built(CTS5Section, {"name": "CTS5", "applicable": not why, "not_applicable_reasons":
                             list(why), "result": cts5.get(i)}, _SECTION_FIELDS)
         for i, why in enumerate(cts5_why)],
    )


#: The inputs of each index's row results, as ``index_inputs`` and the node counts name them.
_NPI_INPUTS = ("size_mm", "positive_nodes", "grade", "micrometastatic_nodes",
               "neoadjuvant_therapy")
_CTS5_INPUTS = ("age_years", "size_mm", "grade", "positive_nodes", "micrometastatic_nodes",
                "neoadjuvant_therapy", "postmenopausal")


def _rows_of(why: list[tuple[str, ...]], x: Mapping[str, list[Any]], names: tuple[str, ...],
             row_results: Callable[[dict[str, list[float]]], list[R]]) -> dict[int, R]:
    """An index's results of the rows it applies to (no reasons against), by row."""
    rows = [i for i, reasons in enumerate(why) if not reasons]
    if not rows:
        return {}
    if len(rows) == len(why):
        found = row_results({name: x[name] for name in names})
    else:
        found = row_results({name: [x[name][i] for i in rows] for name in names})
    return dict(zip(rows, found, strict=True))


def _index_columns(cols: Mapping[str, np.ndarray], counts: Mapping[str, np.ndarray]) -> tuple[
        dict[int, NPIResult], dict[int, CTS5Result], list[tuple[str, ...]],
        list[tuple[str, ...]]]:
    """NPI and CTS5 of a batch as columns: results by row and the reasons of every row."""
    invasive = cols["invasive"]
    positive, micro = index_node_inputs(counts)
    npi_why = npi_applicability(invasive, cols["size_mm"], cols["grade"])
    cts5_why = cts5_applicability(invasive, cols["er_positive"], cols["age_years"],
                                  cols["size_mm"], cols["grade"])
    n = len(npi_why)

    def _picker(rows: list[int], n: int) -> Callable[[np.ndarray], np.ndarray]:
        """The given rows of a column: the column itself when every row is wanted."""
        if len(rows) == n:
            return lambda column: column
        index = np.array(rows, dtype=np.intp)
        return lambda column: column[index]

    npi: dict[int, NPIResult] = {}
    cts5: dict[int, CTS5Result] = {}
    if rows := [i for i in range(n) if not npi_why[i]]:
        pick = _picker(rows, n)
        found = npi_results(pick(cols["size_mm"]), pick(positive), pick(cols["grade"]),
                            pick(micro), pick(cols["neoadjuvant_therapy"]), accepted=True)
        npi = dict(zip(rows, found, strict=True))
    if rows := [i for i in range(n) if not cts5_why[i]]:
        pick = _picker(rows, n)
        found5 = cts5_results(pick(cols["age_years"]), pick(cols["size_mm"]),
                              pick(cols["grade"]), pick(positive), pick(micro),
                              pick(cols["neoadjuvant_therapy"]), pick(cols["postmenopausal"]),
                              accepted=True)
        cts5 = dict(zip(rows, found5, strict=True))
    return npi, cts5, npi_why, cts5_why


#: The fields an index section's validated constructor records as set (``name`` is a default).
_SECTION_FIELDS = ("applicable", "not_applicable_reasons", "result")


def _needle_note(staging: StagingResult) -> list[str]:
    """Say so when an axillary node positive on needle biopsy only is left out of the counts."""
    n = staging.counts.axillary_needle_only_positive
    if not n or not staging.counts.nodes_excised:
        return []
    return [f"{n} axillary node{'s' if n > 1 else ''} positive on needle biopsy only: not "
            "counted as positive by pN, PREDICT, NPI or CTS5, which count excised nodes "
            "(AJCC 8th; a node confirmed by needle biopsy alone is staged clinically)"]


def compute(cases: Sequence[Case], *, predict_version: str = CURRENT_VERSION) -> list[Figures]:
    """Figures for a batch of cases: staging, PREDICT, indices, recurrence, guidance; no text."""
    with CollectorHeld():
        return _compute(cases, predict_version)


def _compute(cases: Sequence[Case], predict_version: str) -> list[Figures]:
    """``compute``, with the collector held off by the caller."""
    version = load_version(predict_version)
    case_t, node_t = tables(cases)
    staged = stage_many([c.staging_case() for c in cases], nodes=node_t)
    counts = counts_columns([s.counts for s in staged])
    predict, notes = _predict(case_t, counts, predict_version)
    npi, cts5 = _indices(case_t, counts)
    facts = guidance_facts(case_t, counts, staged)
    risk = risk_inputs(case_t, counts, staged)
    found = []
    for i, (case, staging) in enumerate(zip(cases, staged, strict=True)):
        p = predict[i]
        event = classify_recurrence(case.recurrence) if case.recurrence else None
        case_facts = facts[i]
        if p.result is not None:
            chemo = next((b for b in p.result.benefits if b.letter == "c"), None)
            if chemo is not None and chemo.chosen:
                case_facts["predict_chemo_os_benefit_10y_pct"] = chemo.benefit_pp[10]
            case_facts["predict_version"] = p.result.model.version
        npi_result = npi[i].result
        if npi_result is not None:
            case_facts["npi"] = npi_result.score
        case_facts.update(event.guidance_facts if event else {})
        case_facts.update(case.guidance_facts)
        guidance = evaluate(case_facts)  # evaluate validates the facts (once)
        summary = risk_factor_summary(risk[i], validated_models={
            "npi": npi_result and {"score": npi_result.score, "group": npi_result.group6},
            "predict_version": version.id if p.result else None})
        # Records of the sections made above, strings and None: every value of its field's
        # exact type, so built as the validated constructors record them, not validated again
        # (tests/assess/test_figures_built.py)
        provenance = {"axilla_version": __version__, "staging_edition": staging.edition,
                      "predict_version": version.id if p.result else None,
                      "predict_source": version.source if p.result else None,
                      "ruleset_version": RULESET_VERSION, "input_sha256": case.input_hash()}
        figures = {
            "case_id": case.case_id,
            "provenance": built(Provenance, {**_PROVENANCE_DEFAULTS, **provenance}, provenance),
            "staging": staging, "predict": p, "indices": [npi[i], cts5[i]],
            "guidance": guidance,
            "recurrence": built(RecurrenceSection, {"risk_factors": summary, "event": event}),
            "warnings": [*notes[i], *(p.result.warnings if p.result else ()),
                         *_needle_note(staging)],
        }
        found.append(built(Figures, {**_FIGURES_DEFAULTS, **figures}, figures))
    return found


#: The defaults of the fields ``_compute`` leaves to them (schema versions: strings), in field
#: order, for records built without validating again.
_PROVENANCE_DEFAULTS = field_defaults(Provenance)
_FIGURES_DEFAULTS = {name: default for name, default in field_defaults(Figures).items()
                     if isinstance(default, str)}


def assess_many(cases: Sequence[Case], *, predict_version: str = CURRENT_VERSION,
                lang: str = "en") -> list[Assessment]:
    """Assess a batch of cases: ``compute`` over the batch, then ``present`` each."""
    with CollectorHeld():
        figures = _compute(cases, predict_version)
        return [present(case, f, lang=lang) for case, f in zip(cases, figures, strict=True)]


#: Cases assessed together by ``assess_iter``: large enough that the columnar engines run at
#: their batch speed, small enough that memory is bounded by the block, never by the run.
BLOCK_CASES = 1024


def assess_iter(cases: Iterable[Case], *, predict_version: str = CURRENT_VERSION,
                lang: str = "en", figures_only: bool = False, block: int = BLOCK_CASES
                ) -> Iterator[Assessment | Figures]:
    """Assess a stream of cases in blocks of ``block``, yielding results in input order.

    Each block goes through the same ``compute`` (and ``present`` unless ``figures_only``) as
    ``assess_many``; only one block's cases and results are held at a time, so a run of any
    length needs the memory of one block.
    """
    if block < 1:
        raise ValueError(f"block must be a positive number of cases, got {block}")
    it = iter(cases)
    while chunk := list(islice(it, block)):
        if figures_only:
            yield from compute(chunk, predict_version=predict_version)
        else:
            yield from assess_many(chunk, predict_version=predict_version, lang=lang)


def assess(case: Case | Mapping[str, Any], *, predict_version: str = CURRENT_VERSION,
           lang: str = "en") -> Assessment:
    """Assess one case: a batch of one through the same pipeline as a cohort."""
    if not isinstance(case, Case):
        case = parse_case(case)
    return assess_many([case], predict_version=predict_version, lang=lang)[0]
