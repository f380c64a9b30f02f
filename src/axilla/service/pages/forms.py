"""The case form: its fields (named by their path in ``axilla.case.assessment.Case``), help
texts, and the conversion of a submitted form into a case mapping.

Values that are not numbers where a number is needed are refused here with the form field's
name; every other check is the case vocabulary's own (``parse_case``), so the form, the API and
the library refuse the same things with the same words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from axilla.case.codes import FOUND_BY, NODE_SITES
from axilla.case.predict import PREDICT_INPUT_RULES
from axilla.case.ranges import RANGES
from axilla.case.recurrence import ALL_SITES, MAX_INTERVAL_MONTHS
from axilla.case.strict import number_from_text
from axilla.errors import FieldProblem, InputError
from axilla.models.predict import CURRENT_VERSION, available_versions, load_version

#: Node rows shown on an empty form; "Add another lymph node" adds more, without a limit.
NODE_ROWS = 8
UNKNOWN = ("", "Not known")
YES_NO = (UNKNOWN, ("yes", "Yes"), ("no", "No"))
POS_NEG = (UNKNOWN, ("positive", "Positive"), ("negative", "Negative"))


@dataclass(frozen=True)
class FormField:
    """One input of the case form."""

    name: str
    label: str
    kind: Literal["number", "int", "text", "select", "check", "sizes", "yesno"]
    help: str = ""
    required: bool = False
    options: tuple[tuple[str, str], ...] = ()
    lo: float | None = None
    hi: float | None = None
    step: str = "any"
    default: str = ""

    @property
    def id(self) -> str:
        return "f-" + re.sub(r"[^A-Za-z0-9]+", "-", self.name).strip("-")


@dataclass(frozen=True)
class Section:
    title: str
    fields: tuple[FormField, ...]
    help: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _ranged(path: str, label: str, *, name: str = "", help: str = "",
            required: bool = False) -> FormField:
    """A numeric form field whose bounds, step and range text come from ``case/ranges.py``."""
    r = RANGES[path]
    text = f"{r.describe()[:1].upper()}{r.describe()[1:]}." + (f" {help}" if help else "")
    return FormField(name or path, label, "int" if r.whole else "number", text, required,
                     lo=r.lo, hi=r.hi, step="1" if r.whole else "any")


def _predict_versions() -> tuple[tuple[str, str], ...]:
    out = []
    for v in available_versions():
        pv = load_version(v)
        if pv.logic["output"] not in ("benefit_matrix", "survival"):
            continue
        out.append((v, f"{v} (current)" if v == CURRENT_VERSION else v))
    return tuple(out)


SECTIONS: tuple[Section, ...] = (
    Section("Patient", (
        _ranged("patient.age_years", "Age at diagnosis (years)", required=True,
                help=f"PREDICT is valid from {PREDICT_INPUT_RULES['age'].describe()}."),
        FormField("patient.sex", "Sex", "select",
                  options=(("female", "Female"), ("male", "Male")), default="female",
                  help="As recorded. Some NICE recommendations differ by sex."),
        FormField("patient.menopausal_status", "Menopausal status", "select",
                  options=(UNKNOWN, ("pre", "Pre-menopausal"), ("peri", "Peri-menopausal"),
                           ("post", "Post-menopausal")),
                  help="Used by CTS5 and by NICE options such as bisphosphonates after the "
                  "menopause."),
        FormField("patient.current_smoker", "Current smoker", "yesno", options=YES_NO,
                  help="Used by PREDICT 3.x for deaths from other causes."),
        FormField("guidance_facts.pregnant", "Pregnant now", "yesno", options=YES_NO,
                  help="Changes the timing of radiotherapy, chemotherapy and scans."),
    )),
    Section("Tumour", (
        FormField("tumour.invasive_sizes_mm", "Invasive tumour size (mm)", "sizes",
                  required=True, help="Greatest dimension of the invasive tumour, in mm. "
                  "Several separate tumours: separate the sizes with ; (e.g. 14; 9)."),
        FormField("tumour.grade", "Grade", "select",
                  options=(UNKNOWN, ("1", "1"), ("2", "2"), ("3", "3")),
                  help="Nottingham histological grade."),
        FormField("tumour.er", "ER status", "select", options=POS_NEG,
                  help="Oestrogen receptor: positive means at least 1 % of nuclei stained."),
        FormField("tumour.pr", "PR status", "select", options=POS_NEG,
                  help="Progesterone receptor. Used by PREDICT 3.x."),
        FormField("tumour.her2", "HER2 status", "select", options=POS_NEG,
                  help="Equivocal after ISH counts as negative."),
        _ranged("tumour.ki67_percent", "Ki-67 (% of cells)", help="Optional."),
        FormField("histology", "Histological type", "select",
                  options=(UNKNOWN, ("nst", "No special type (ductal)"), ("lobular", "Lobular"),
                           ("other", "Other")),
                  help="Used by NICE options that name a type, e.g. MRI for lobular cancer."),
        FormField("screen_detected", "Found by screening", "yesno", options=YES_NO,
                  help="Used by PREDICT. Unknown is allowed."),
        FormField("lymphovascular_invasion", "Lymphovascular invasion", "yesno",
                  options=YES_NO, help="Cancer cells in small vessels near the tumour. Used by "
                  "the recurrence checklist and some radiotherapy options."),
    )),
    Section("Operation and lymph nodes", (
        FormField("treatment.breast_surgery", "Breast surgery", "select",
                  options=(UNKNOWN, ("bcs", "Breast-conserving (wide local excision)"),
                           ("mastectomy", "Mastectomy"), ("none", "None")),
                  help="Decides which NICE radiotherapy options apply."),
        FormField("procedure.kind", "Axillary procedure", "select", required=True,
                  options=(("sentinel", "Sentinel node biopsy"),
                           ("dissection", "Axillary dissection (clearance)"),
                           ("none", "None")), default="sentinel",
                  help="Sentinel biopsy adds (sn) to pN; it also shapes the options for the "
                  "armpit."),
        _ranged("treatment.radial_margin_min_mm", "Closest radial margin (mm)",
                help="0 = tumour at the inked margin. Empty if not known."),
        _ranged("procedure.nodes_removed", "Nodes removed", help="Optional: all nodes the "
                "pathologist examined. Empty = the nodes listed below."),
        FormField("m", "Distant metastasis (M)", "select",
                  options=(("cM0", "cM0: none known"), ("cM0(i+)", "cM0(i+)"),
                           ("cM1", "cM1"), ("pM1", "pM1")), default="cM0",
                  help="cM0(i+): cells of 0.2 mm or less found in blood, marrow or distant "
                  "tissue, with no other sign. cM1: spread seen by examination or scans. pM1: "
                  "spread of more than 0.2 mm proven on a biopsy."),
        FormField("neoadjuvant", "Systemic therapy before surgery (neoadjuvant)", "check",
                  help="Staging then uses the yp prefix; NPI and CTS5 were built on untreated "
                  "tumours and are flagged."),
    ), help="List each lymph node examined below; leave unused rows empty."),
    Section("Treatment plan", (
        FormField("treatment.chemotherapy", "Chemotherapy", "select",
                  options=(("none", "None"), ("second_generation", "Second generation"),
                           ("third_generation", "Third generation")), default="none",
                  help="As PREDICT defines it: second generation is anthracycline-based; "
                  "third generation adds a taxane."),
        FormField("treatment.endocrine_therapy", "Endocrine (hormone) therapy", "check",
                  help="Tamoxifen or an aromatase inhibitor. PREDICT counts it for "
                  "ER-positive cancer."),
        FormField("treatment.trastuzumab", "Trastuzumab", "check",
                  help="An antibody against HER2. PREDICT counts it for HER2-positive cancer."),
        FormField("treatment.bisphosphonates", "Bisphosphonates", "check",
                  help="A bone drug such as zoledronic acid, given to lower the chance of the "
                  "cancer coming back."),
        FormField("treatment.radiotherapy", "Radiotherapy", "check",
                  help="Planned after surgery. PREDICT 3.x includes it; 2.x does not."),
        _ranged("treatment.mean_heart_dose_gy", "Mean heart dose (Gy)",
                help="Optional; used by PREDICT 3.x with radiotherapy."),
        FormField("predict_version", "PREDICT version", "select",
                  options=_predict_versions(), default=CURRENT_VERSION,
                  help="The version of PREDICT Breast used for survival estimates."),
    )),
    Section("Recurrence (only if the cancer has come back)", (
        FormField("recurrence.sites", "Where it came back", "select",
                  options=(("", "No recurrence"),
                           *((s, s.replace("_", " ").capitalize()) for s in ALL_SITES)),
                  help="The site of the new disease. Leave as No recurrence for a first "
                  "diagnosis."),
        FormField("recurrence.months_since_primary_surgery", "Months since the first operation",
                  "number", f"0 to {MAX_INTERVAL_MONTHS:g} months. Empty if not known.",
                  lo=0, hi=MAX_INTERVAL_MONTHS),
        FormField("recurrence.breast_surgery", "Breast operation for the first cancer",
                  "select", options=(UNKNOWN, ("bcs", "Breast-conserving"),
                                     ("mastectomy", "Mastectomy"), ("none", "None")),
                  help="Decides the options for a recurrence in the breast or chest wall."),
        FormField("recurrence.prior_axillary_surgery", "Earlier armpit operation", "select",
                  options=(UNKNOWN, ("none", "None"), ("slnb", "Sentinel node biopsy"),
                           ("anc", "Axillary clearance")),
                  help="Shapes the options for a recurrence in the armpit."),
        FormField("recurrence.prior_breast_rt", "Earlier radiotherapy to the breast",
                  "yesno", options=YES_NO,
                  help="Limits further radiotherapy to the same place."),
        FormField("recurrence.pathology_confirmed", "Confirmed by biopsy or cytology", "check",
                  help="Without it the class stays suspected."),
        FormField("recurrence.on_adjuvant_chemotherapy", "Found during chemotherapy", "check",
                  help="Tick when it was found while chemotherapy for the first cancer was "
                  "under way."),
    ), help="Leave empty for a first diagnosis."),
)

_FOUND_BY = {"sentinel": "Sentinel biopsy", "dissection": "Dissection",
             "needle_biopsy": "Needle biopsy", "imaging": "Imaging only"}
NODE_FIELDS: tuple[FormField, ...] = (
    FormField("found_by", "Found by", "select",
              options=tuple((f, _FOUND_BY.get(f, f)) for f in FOUND_BY),
              help="How the node was examined."),
    FormField("site", "Site", "select",
              options=tuple((s, s.replace("_", " ").capitalize()) for s in NODE_SITES),
              help="Internal mammary and supraclavicular nodes count apart."),
    _ranged("nodes.deposit_mm", "Largest deposit (mm)", name="deposit_mm",
            help="0 for a node without cancer."),
    FormField("tumour_present", "Cancer found, size not given", "check",
              help="Tick when the report gives no size."),
    _ranged("nodes.cells_per_section", "Tumour cells (optional)", name="cells_per_section",
            help="Largest count in one cross-section, if counted."),
    FormField("extranodal_extension", "Extranodal extension", "check",
              help="Cancer growing through the node's capsule."),
)


def node_field(i: int, f: FormField) -> FormField:
    """The field of node row ``i`` (0-based), named by its path in the case."""
    return FormField(f"nodes[{i}].{f.name}", f.label, f.kind, f.help, f.required, f.options,
                     f.lo, f.hi, f.step, f.default)


#: The fields of an empty form (the rows it shows); ``form_field`` finds a node field of any row.
ALL_FIELDS: dict[str, FormField] = {
    f.name: f for s in SECTIONS for f in s.fields
} | {node_field(i, f).name: node_field(i, f) for i in range(NODE_ROWS) for f in NODE_FIELDS}


def form_field(name: str) -> FormField | None:
    """The field of the form called ``name`` (a node field of any row), or None."""
    if name in ALL_FIELDS:
        return ALL_FIELDS[name]
    m = re.match(r"nodes\[(\d+)\]\.(\w+)$", name)
    base = next((f for f in NODE_FIELDS if m and f.name == m.group(2)), None)
    return node_field(int(m.group(1)), base) if m and base else None


def field_label(name: str) -> str:
    """A field's name in the form's own words (node fields with their row)."""
    f = form_field(name)
    if f is None:
        return name.split(".")[-1].replace("_", " ")
    m = re.match(r"nodes\[(\d+)\]", name)
    return f"Lymph node {int(m.group(1)) + 1}: {f.label}" if m else f.label


def _put(target: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


def _convert(f: FormField, raw: str, problems: list[FieldProblem]) -> Any:
    text = raw.strip()
    if f.kind == "check":
        return text in ("on", "1", "true", "yes")
    if text == "":
        return None
    if f.kind == "yesno":
        return {"yes": True, "no": False}.get(text, text)
    if f.kind in ("number", "int"):
        whole = f.kind == "int"
        try:
            value = number_from_text(text, whole)
        except ValueError:
            what = "a whole number" if whole else "a number"
            problems.append(FieldProblem(f.name, text, f"must be {what}"))
            return None
        return int(value) if whole else value
    if f.kind == "sizes":
        sizes = []
        for part in re.split(r"[;,\s]+", text):
            if not part:
                continue
            try:
                sizes.append(number_from_text(part))
            except ValueError:
                problems.append(FieldProblem(f.name, text, "sizes in mm, separated by ;"))
                return None
        return sizes
    if f.name == "tumour.grade":
        return int(text) if text in ("1", "2", "3") else text
    return text


def node_rows(form: Mapping[str, str]) -> list[int]:
    """The node row numbers a submitted form holds (any number of rows, none dropped)."""
    found = {int(m.group(1)) for k in form if (m := re.match(r"nodes\[(\d+)\]\.", k))}
    return sorted(found)


def filled_rows(form: Mapping[str, str]) -> list[int]:
    """The node rows with a finding (a deposit, a cell count or cancer without a size)."""
    return [i for i in node_rows(form)
            if any(form.get(f"nodes[{i}].{k}", "").strip()
                   for k in ("deposit_mm", "cells_per_section", "tumour_present"))]


def _node(form: Mapping[str, str], i: int, problems: list[FieldProblem]) -> dict[str, Any]:
    fields = {f.name: node_field(i, f) for f in NODE_FIELDS}
    node: dict[str, Any] = {}
    for key, f in fields.items():
        value = _convert(f, form.get(f.name, ""), problems)
        if value is not None and not (key == "tumour_present" and value is False):
            node[key] = value
    if node.get("found_by") == "imaging":  # known from imaging only: clinically detected
        node["clinically_detected"] = True
    return node


def case_from_form(form: Mapping[str, str]) -> tuple[dict[str, Any], list[int], str]:
    """A case mapping from submitted form values, the form row of each node, the PREDICT
    version. Raises InputError naming form fields for values that are not numbers."""
    problems: list[FieldProblem] = []
    case: dict[str, Any] = {}
    for section in SECTIONS:
        for f in section.fields:
            if f.name == "predict_version":
                continue
            value = _convert(f, form.get(f.name, ""), problems)
            if value is not None:
                _put(case, f.name, value)
    case.setdefault("tumour", {}).setdefault("primary", "invasive")
    recurrence = case.pop("recurrence", {})
    if recurrence.get("sites"):
        recurrence["sites"] = [recurrence["sites"]]
        case["recurrence"] = recurrence
    nodes, rows = [], []
    for i in filled_rows(form):
        nodes.append(_node(form, i, problems))
        rows.append(i)
    case["nodes"] = nodes
    if problems:
        raise InputError(problems)
    version = form.get("predict_version", "").strip() or CURRENT_VERSION
    return case, rows, version


def form_values_from_case(case: Mapping[str, Any]) -> dict[str, str]:
    """Form values that reproduce a case mapping (to refill the form)."""
    values: dict[str, str] = {}

    def text(f: FormField, value: Any) -> str:
        if value is None:
            return ""
        if f.kind == "check":
            return "on" if value else ""
        if f.kind == "yesno":
            return "yes" if value else "no"
        if f.kind == "sizes":
            return "; ".join(f"{x:g}" for x in value)
        if isinstance(value, list | tuple):  # recurrence sites: the form shows the first
            return str(value[0]) if value else ""
        if isinstance(value, float):
            return f"{value:g}"
        return str(value)

    for section in SECTIONS:
        for f in section.fields:
            node: Any = case
            for part in f.name.split("."):
                node = node.get(part) if isinstance(node, Mapping) else None
            values[f.name] = text(f, node)
    for i, nd in enumerate(list(case.get("nodes") or [])):
        for f in NODE_FIELDS:
            values[node_field(i, f).name] = text(f, nd.get(f.name))
    return values


def errors_by_field(problems: list[FieldProblem], rows: list[int]) -> dict[str, list[str]]:
    """Problems keyed by the form field they belong to (node indices mapped to form rows);
    problems of fields the form does not show are keyed by their own path."""
    out: dict[str, list[str]] = {}
    for p in problems:
        name = p.field
        m = re.match(r"nodes\.(\d+)(\..*)?$", name)
        if m and int(m.group(1)) < len(rows):
            name = f"nodes[{rows[int(m.group(1))]}]{m.group(2) or ''}"
        name = name if name.startswith("nodes") else re.sub(r"\.\d+$", "", name)
        target = name
        if form_field(target) is None:
            candidates = [n for n in ALL_FIELDS if target.startswith(n)]
            target = max(candidates, key=len) if candidates else name
        out.setdefault(target, []).append(p.reason)
    return out
