"""Observations -> case facts: menopause, smoking, size, grade, markers, TNM, node findings.

Source: spec fhir.md sections 2.3-2.8 and 2.12 (codes in codes.py).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from axilla.interop.fhir import codes as C  # noqa: N812 (short name for the code tables)
from axilla.interop.fhir.bundle import Resource, key
from axilla.interop.fhir.elements import code_in, codings, text_of
from axilla.interop.fhir.report import Conflict

if TYPE_CHECKING:
    from axilla.interop.fhir.extract import Extractor

_NODE_COMPONENTS = ("node-category", "max-cells-one-section", "intranodal-deposit", "sentinel",
                    "clinically-detected", "tumour-present", "found-by", "detection-method",
                    "85350-7")
_LABEL = re.compile(r"^(yc|yp|c|p)?(T|N|M)(.+)$")



def _count(value: Any) -> int | None:
    if isinstance(value, dict) and isinstance(value.get("value"), int | float):
        v = value["value"]
        return int(v) if float(v).is_integer() and v >= 0 else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def status_of(res: Resource) -> str | None:
    """positive / negative / equivocal from any accepted encoding of a marker result."""
    cc = res.get("valueCodeableConcept")
    if code_in(cc, C.POSITIVE | C.HER2_IHC_POSITIVE):
        return "positive"
    if code_in(cc, C.NEGATIVE | C.HER2_IHC_NEGATIVE):
        return "negative"
    if code_in(cc, C.EQUIVOCAL):
        return "equivocal"
    disorder = code_in(cc, C.RECEPTOR_DISORDERS)
    if disorder:
        return C.RECEPTOR_DISORDERS[disorder][1]
    text = (res.get("valueString") or text_of(cc) or "").strip().lower()
    if text in ("3+",):
        return "positive"
    if text in ("0", "1+"):
        return "negative"
    if text in ("2+",):
        return "equivocal"
    return ("positive" if text in C.TEXT_POSITIVE else
            "negative" if text in C.TEXT_NEGATIVE else None)


def tnm_value(ex: Extractor, res: Resource, kind: str) -> tuple[str, str] | None:
    """(prefix, category) of a T/N/M value, e.g. ("p", "N1mi"), from any accepted encoding."""
    cc = res.get("valueCodeableConcept")
    if code_in(cc, ("not-applicable",)) or not isinstance(cc, dict):
        return None
    for system, code, _ in codings(cc):
        if system == C.SNOMED:
            if kind == "T":
                for cat, (c, p) in C.T_SNOMED.items():
                    if code in (c, p):
                        return ("c" if code == c else "p"), cat
            if kind == "N":
                clinical = C.snomed_lookup(C.CN_SNOMED, code)
                if clinical:
                    return "c", clinical
                pathological = C.snomed_lookup(C.PN_SNOMED, code)
                if pathological:
                    return "p", pathological
            if kind == "M":
                label = C.snomed_lookup(C.M_SNOMED, code)
                if label:
                    return label[0], label[1:]
            if code in C.LEGACY_TNM and C.LEGACY_TNM[code][0] == kind:
                ex.report.warnings.append(
                    f"{key(res)}: legacy SNOMED {code} ({C.LEGACY_TNM[code]}) has no c/p and no "
                    "subcategory; read as clinical")
                return "c", C.LEGACY_TNM[code]
        if system in (C.AJCC, C.UICC):
            m = _LABEL.match(code.strip())
            if m and m.group(2) == kind:
                prefix = m.group(1) or _uicc_prefix(res) or ""
                return prefix, kind + m.group(3)
    text = text_of(cc).strip()
    for part in text.split():
        m = _LABEL.match(part)
        if m and m.group(2) == kind:
            ex.report.warnings.append(f"{key(res)}: {kind} category read from text {text!r}")
            return m.group(1) or "", kind + m.group(3)
    return None


def _uicc_prefix(res: Resource) -> str | None:
    for ext in (res.get("code") or {}).get("extension") or []:
        if ext.get("url") == C.UICC_PREFIX_EXT:
            return code_in(ext.get("valueCodeableConcept"), ("c", "p", "yc", "yp")) or (
                ext.get("valueCode") if ext.get("valueCode") in ("c", "p", "yc", "yp") else None)
    return None


def read_observation(ex: Extractor, res: Resource) -> None:
    """Classify one Observation by its code and add its facts to the extractor."""
    code, cc = res.get("code"), res.get("valueCodeableConcept")
    menopause = code_in(cc, C.MENOPAUSE)
    if menopause:
        ex.add("menopausal_status", C.MENOPAUSE[menopause], res, "valueCodeableConcept")
        return
    if code_in(code, C.MENOPAUSE_OBS):
        if "peri" in text_of(cc).lower():
            ex.add("menopausal_status", "peri", res, "valueCodeableConcept.text")
        return
    if code_in(code, C.SMOKING_OBS):
        if code_in(cc, C.SMOKES_DAILY):
            ex.add("current_smoker", True, res, "valueCodeableConcept")
        elif code_in(cc, "not-current-smoker"):
            ex.add("current_smoker", False, res, "valueCodeableConcept")
        else:
            ex.report.warnings.append(f"{key(res)}: smoking status {text_of(cc)!r} not read "
                                      "(only 'smokes tobacco daily' is a confirmed code)")
        return
    if code_in(code, C.HISTORY_OF_METASTASIS):
        if code_in(cc, C.POSITIVE) or res.get("valueBoolean") is True or cc is None:
            ex.add("distant_secondary", "history of metastatic cancer", res, "code")
        return
    if code_in(code, C.LATERALITY_OBS):
        side = code_in(cc, C.LATERALITY)
        if side:
            ex.add("laterality", C.LATERALITY[side], res, "valueCodeableConcept")
        return
    if code_in(code, C.MEAN_HEART_DOSE) or "mean heart dose" in text_of(code).lower():
        q = res.get("valueQuantity") or {}
        if (q.get("code") or q.get("unit")) == "Gy" and isinstance(q.get("value"), int | float):
            ex.add("mean_heart_dose_gy", float(q["value"]), res, "valueQuantity")
        else:
            ex.report.warnings.append(f"{key(res)}: mean heart dose not in Gy; not read")
        return
    if code_in(code, C.TUMOR_SIZE):
        where = "pathology" if res.get("specimen") else "clinical"
        for i, comp in enumerate(res.get("component") or []):
            if code_in(comp.get("code"), C.LONGEST_DIMENSION):
                mm = ex.convert_mm(comp.get("valueQuantity"), res, "size_mm",
                                   f"component[{i}].valueQuantity")
                ex.add(f"size_mm_{where}", mm, res, f"component[{i}].valueQuantity")
        return
    if code_in(code, C.INVASIVE_SIZE) or code_in(code, C.LONGEST_DIMENSION):
        field = "size_mm_invasive" if code_in(code, C.INVASIVE_SIZE) else "size_mm_lesion"
        ex.add(field, ex.convert_mm(res.get("valueQuantity"), res, "size_mm", "valueQuantity"),
               res, "valueQuantity")
        return
    if code_in(code, C.GRADE_OBS):
        _grade(ex, res)
        return
    if code_in(code, C.HISTOLOGY_OBS):
        ex.histology(cc, res, "valueCodeableConcept")
        return
    if _marker(ex, res):
        return
    tnm = code_in(code, C.TNM_OBS)
    if tnm:
        _tnm(ex, res, *C.TNM_OBS[tnm])
        return
    _nodes(ex, res)


def _grade(ex: Extractor, res: Resource) -> None:
    cc = res.get("valueCodeableConcept")
    g = code_in(cc, C.GRADE_VALUES)
    if g:
        ex.add("grade", C.GRADE_VALUES[g], res, "valueCodeableConcept")
        return
    word = code_in(cc, C.GRADE_WORDS)
    if word and "nottingham" in text_of(res.get("method")).lower():
        ex.add("grade", C.GRADE_WORDS[word], res, "valueCodeableConcept")
    elif res.get("valueInteger") in (1, 2, 3):
        ex.add("grade", res["valueInteger"], res, "valueInteger")
    else:
        ex.report.warnings.append(f"{key(res)}: grade {text_of(cc)!r} not read as a "
                                  "Nottingham grade (no Nottingham method)")


def _marker(ex: Extractor, res: Resource) -> bool:
    code = res.get("code")
    for name, status_codes, pct_codes in (("er", C.ER_STATUS, C.ER_PERCENT),
                                          ("pr", C.PR_STATUS, C.PR_PERCENT),
                                          ("her2", C.HER2_STATUS, ()),
                                          ("ki67", (), C.KI67_PERCENT)):
        if code_in(code, status_codes):
            status = status_of(res)
            if status == "equivocal":
                ex.report.warnings.append(f"{key(res)}: {name} equivocal; needs the ISH result")
            elif status:
                ex.add(name, status, res, "value[x]")
            else:
                ex.report.warnings.append(f"{key(res)}: {name} result not recognised")
            return True
        if code_in(code, pct_codes):
            q = res.get("valueQuantity") or {}
            if isinstance(q.get("value"), int | float) and 0 <= q["value"] <= 100:
                ex.add(f"{name}_percent", float(q["value"]), res, "valueQuantity")
            return True
    if code_in(code, C.ONCOTYPE):
        ex.add("oncotype_rs", _count(res.get("valueQuantity")), res, "valueQuantity")
        return True
    return False


def _tnm(ex: Extractor, res: Resource, kind: str, code_prefix: str) -> None:
    method = res.get("method")
    if method and not code_in(method, C.AJCC8_METHODS):
        ex.report.warnings.append(f"{key(res)}: staging method {text_of(method)!r} is not "
                                  "AJCC 8th edition")
    if kind == "stage":
        label = ex.stage_value(res.get("valueCodeableConcept"))
        prefix = code_prefix or "c"
        ex.add(f"stage_{prefix}", label, res, "valueCodeableConcept")
        for ref in res.get("hasMember") or []:
            member = ex.index.resolve(ref)
            if member is None:
                ex.report.warnings.append(f"{key(res)} hasMember {ref.get('reference')} is not "
                                          "in the bundle")
                continue
            mcode = code_in(member.get("code"), C.TNM_OBS)
            mprefix = C.TNM_OBS[mcode][1] if mcode else ""
            if mprefix and mprefix != prefix:
                ex.report.conflicts.append(Conflict(
                    kind="stage-members", sources=[key(res), key(member)],
                    message=f"the {prefix}-stage group lists the {mprefix}-category "
                            f"Observation {key(member)}"))
        return
    value = tnm_value(ex, res, kind)
    if value is None:
        return
    prefix, category = value
    prefix = prefix or code_prefix or "c"
    if prefix.startswith("y"):
        ex.add("neoadjuvant", True, res, "valueCodeableConcept", f"{prefix}{category}")
        prefix = prefix[1:]
    if kind == "M":
        ex.add("m", f"{prefix}{category}", res, "valueCodeableConcept")
    else:
        ex.add(f"{prefix}{kind.lower()}", category, res, "valueCodeableConcept")


def _nodes(ex: Extractor, res: Resource) -> None:
    code = res.get("code")
    counts = ((C.NODES_EXAMINED, "nodes_examined"), (C.NODES_POSITIVE, "nodes_positive"),
              (C.SENTINEL_EXAMINED, "sentinel_examined"),
              (C.SENTINEL_POSITIVE, "sentinel_positive"), ({C.NODES_MACRO}, "nodes_macro"),
              ({C.NODES_MICRO}, "nodes_micro"), ({C.NODES_ITC}, "nodes_itc"))
    for wanted, field in counts:
        if code_in(code, wanted):
            n = _count(res.get("valueQuantity")) if "valueQuantity" in res else _count(
                res.get("valueInteger"))
            if n is not None:
                ex.add(field, n, res, "value[x]")
            for i, comp in enumerate(res.get("component") or []):
                if code_in(comp.get("code"), C.NODES_EXAMINED):
                    ex.add("nodes_examined", _count(comp.get("valueQuantity")), res,
                           f"component[{i}].valueQuantity",
                           None if n is not None else "the observation has no value of its own")
            return
    if code_in(code, C.NODE_DEPOSIT) and res.get("specimen"):
        ex.nodes.append((res, _node_components(ex, res)))


def _node_components(ex: Extractor, res: Resource) -> dict[str, Any]:
    """The per-node pattern (spec 2.8 B): deposit, category, cells, sentinel, method, site."""
    out: dict[str, Any] = {"deposit_mm": ex.convert_mm(res.get("valueQuantity"), res,
                                                       "nodes.deposit_mm", "valueQuantity")}
    for comp in res.get("component") or []:
        name = code_in(comp.get("code"), _NODE_COMPONENTS)
        value = comp.get("valueCodeableConcept")
        if name == "node-category":
            out["category"] = code_in(value, C.NODE_CATEGORIES)
        elif name == "max-cells-one-section":
            out["cells_per_section"] = _count(comp.get("valueQuantity"))
        elif name == "intranodal-deposit":
            out["intranodal_deposit_mm"] = ex.convert_mm(
                comp.get("valueQuantity"), res, "nodes.intranodal_deposit_mm", "component")
        elif name in ("sentinel", "clinically-detected", "tumour-present"):
            out[name] = comp.get("valueBoolean")
        elif name == "found-by":
            out["found_by"] = code_in(value, C.FOUND_BY)
        elif name == "detection-method":
            m = code_in(value, C.NODE_METHODS)
            out["method"] = C.NODE_METHODS[m] if m else None
        elif name == "85350-7":
            out["extranodal_extension"] = bool(code_in(value, C.POSITIVE))
    specimen = ex.index.resolve(res.get("specimen"))
    site = (specimen or {}).get("collection", {}).get("bodySite")
    s = code_in(site, C.NODE_SITES)
    words = text_of(site).strip().lower().replace(" ", "_")
    out["site"] = C.NODE_SITES[s] if s else words if words in C.NODE_SITE_WORDS else "axillary"
    return out
