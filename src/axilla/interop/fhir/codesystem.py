"""axilla's own FHIR CodeSystem: every local code the importer reads and the exporter writes.

Source: spec fhir.md sections 2.8 B, 3.2-3.4 and 4 (codes marked [L]: no LOINC or SNOMED CT
concept was found for them). Rule ids come from the guidance rule set, their one owner.
"""

from __future__ import annotations

from typing import Any

from axilla.interop.fhir import codes as C  # noqa: N812 (short name for the code tables)

#: Local code -> display. Node findings (2.8 B), staging (3.2), PREDICT (3.3), smoking.
LOCAL_CODES: dict[str, str] = {
    "node-category": "Category of the tumour deposit in one lymph node",
    "negative": "No tumour in the node", "itc": "Isolated tumour cells only",
    "micrometastasis": "Micrometastasis", "macrometastasis": "Macrometastasis",
    "max-cells-one-section": "Largest number of tumour cells in one cross-section",
    "sentinel": "Excised as a sentinel node",
    "found-by": "How the node reached the pathologist",
    "dissection": "Excised at axillary dissection",
    "needle_biopsy": "Sampled by needle biopsy only", "imaging": "Seen on imaging only",
    "clinically-detected": "Detected by imaging or clinical examination",
    "tumour-present": "Tumour reported in the node (size not measured)",
    "intranodal-deposit": "Part of the deposit inside the node capsule",
    "detection-method": "Method that detected the tumour in the node",
    "he": "Haematoxylin and eosin", "ihc": "Immunohistochemistry", "rt-pcr": "RT-PCR",
    "not-current-smoker": "Not a current smoker",
    "mean-heart-dose": "Mean heart dose of radiotherapy (Gy)",
    "anatomic-stage-group": "AJCC 8th anatomic stage group",
    "prognostic-stage-group": "AJCC 8th prognostic stage group",
    "predict-breast": "PREDICT Breast", "breast-cancer-survival":
        "Estimated survival after breast cancer surgery",
    "overall-survival": "Alive at the horizon", "breast-cancer-death":
        "Death from breast cancer by the horizon",
    "other-cause-death": "Death from other causes by the horizon",
    "not-applicable": "Not applicable to this patient (CDS override reason)",
}


def codesystem() -> dict[str, Any]:
    """The CodeSystem resource (R4) listing every local code and every guidance rule id."""
    from axilla.guidance import RULESET_VERSION, load_rules

    rules = load_rules()
    concepts = [{"code": k, "display": v} for k, v in LOCAL_CODES.items()]
    concepts += [{"code": r.id, "display": f"Guidance rule {r.id} ({r.citation.guideline})"}
                 for r in rules.rules]
    return {"resourceType": "CodeSystem", "id": "axilla", "url": C.AXILLA_CODES,
            "version": RULESET_VERSION, "name": "Axilla", "title": "axilla local codes",
            "status": "draft", "experimental": True, "content": "complete",
            "caseSensitive": True, "count": len(concepts), "concept": concepts}
