"""Every code set of axilla, once: node sites, found_by, T/N/M, receptors, grade, event classes,
node categories, and the node-size thresholds.

Sources: AJCC Cancer Staging Manual, 8th edition, chapter 48 (Breast), revised form effective
1 January 2018 (categories, regional node sites, ITC/micrometastasis boundaries); Nottingham
grading (Elston CW, Ellis IO. Histopathology 1991;19:403-10); docs/recurrence.md §1 (event
classes). Each code set is a ``Literal`` (for the pydantic models and the OpenAPI ``enum``)
and the tuple read from it (for messages, CLI choices and form options); the two cannot drift.
Older spellings are kept as deprecated aliases (``ALIASES``) where files already use them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, get_args

# --------------------------------------------------------------------------------------------
# Lymph nodes (AJCC 8th, breast chapter: regional lymph nodes; pN definitions)
# --------------------------------------------------------------------------------------------

#: Where a node lies. Intramammary nodes count as axillary nodes (AJCC 8th).
NodeSite = Literal["axillary", "intramammary", "infraclavicular", "internal_mammary",
                   "supraclavicular"]
NODE_SITES: tuple[str, ...] = get_args(NodeSite)

#: How the node came to the pathologist: excised as a sentinel node, excised at dissection,
#: sampled by fine-needle aspiration or core biopsy only, or seen on imaging/exam only.
FoundBy = Literal["sentinel", "dissection", "needle_biopsy", "imaging"]
FOUND_BY: tuple[str, ...] = get_args(FoundBy)

#: Node findings that count toward the number of nodes removed (for the (sn) suffix).
EXCISED = ("sentinel", "dissection")

#: The axillary operation.
Procedure = Literal["sentinel", "dissection", "none"]
PROCEDURES: tuple[str, ...] = get_args(Procedure)

#: How tumour was detected in a node: H&E, immunohistochemistry, RT-PCR.
DetectionMethod = Literal["he", "ihc", "rtpcr"]
DETECTION_METHODS: tuple[str, ...] = get_args(DetectionMethod)

#: Node categories by the largest deposit (AJCC 8th): negative, isolated tumour cells,
#: micrometastasis, macrometastasis, positive without a measured size (as staging reports them).
NodeCategory = Literal["neg", "itc", "micro", "macro", "pos"]
NODE_CATEGORIES: tuple[str, ...] = get_args(NodeCategory)

#: Largest deposit still isolated tumour cells, mm (AJCC 8th: <= 0.2 mm).
ITC_MAX_MM = 0.2
#: Largest deposit still a micrometastasis, mm (AJCC 8th: > 0.2 mm to <= 2.0 mm).
MICROMET_MAX_MM = 2.0
#: Most tumour cells in one cross-section still ITC; more is a micrometastasis (AJCC 8th).
ITC_MAX_CELLS = 200

# --------------------------------------------------------------------------------------------
# Primary tumour, biomarkers, T / N / M (AJCC 8th, breast chapter)
# --------------------------------------------------------------------------------------------

PrimaryKind = Literal["invasive", "dcis", "paget", "none", "not_assessed"]
PRIMARY_KINDS: tuple[str, ...] = get_args(PrimaryKind)

Receptor = Literal["positive", "negative"]
RECEPTOR_STATUSES: tuple[str, ...] = get_args(Receptor)

#: Nottingham histological grade (Elston and Ellis 1991).
Grade = Literal[1, 2, 3]
GRADES: tuple[int, ...] = get_args(Grade)

T4Extension = Literal["a", "b", "c", "d"]
T4_EXTENSIONS: tuple[str, ...] = get_args(T4Extension)

MStatus = Literal["cM0", "cM0(i+)", "cM1", "pM1"]
M_STATUSES: tuple[str, ...] = get_args(MStatus)

ClinicalT = Literal["TX", "T0", "Tis", "T1mi", "T1a", "T1b", "T1c", "T1", "T2", "T3",
                    "T4a", "T4b", "T4c", "T4d", "T4"]
CLINICAL_T: tuple[str, ...] = get_args(ClinicalT)

ClinicalN = Literal["NX", "N0", "N1mi", "N1", "N2", "N2a", "N2b", "N3", "N3a", "N3b", "N3c"]
CLINICAL_N: tuple[str, ...] = get_args(ClinicalN)

Histology = Literal["nst", "lobular", "other"]
HISTOLOGIES: tuple[str, ...] = get_args(Histology)

# --------------------------------------------------------------------------------------------
# Patient and treatment
# --------------------------------------------------------------------------------------------

Sex = Literal["female", "male"]
SEXES: tuple[str, ...] = get_args(Sex)

MenopausalStatus = Literal["pre", "peri", "post"]
MENOPAUSAL_STATUSES: tuple[str, ...] = get_args(MenopausalStatus)

#: bcs = breast-conserving surgery (wide local excision).
BreastSurgery = Literal["bcs", "mastectomy", "none"]
BREAST_SURGERIES: tuple[str, ...] = get_args(BreastSurgery)

Chemotherapy = Literal["none", "second_generation", "third_generation"]
CHEMOTHERAPY: tuple[str, ...] = get_args(Chemotherapy)

# --------------------------------------------------------------------------------------------
# Recurrence event classes (docs/recurrence.md §1)
# --------------------------------------------------------------------------------------------

EventClass = Literal["local", "regional", "locoregional", "distant",
                     "contralateral_new_primary", "second_non_breast_primary",
                     "de_novo_metastatic"]
EVENT_CLASSES: tuple[str, ...] = get_args(EventClass)

# --------------------------------------------------------------------------------------------
# Older spellings (deprecated): accepted where files already use them, never written.
# --------------------------------------------------------------------------------------------

#: Old code -> the code of this vocabulary. The staging CSV format (tests/data/staging and the
#: shared reference vectors) writes sln/alnd and pos/neg; those files stay readable.
ALIASES: Mapping[str, str] = {
    "sln": "sentinel",
    "alnd": "dissection",
    "pos": "positive",
    "neg": "negative",
}

#: Old column or flag name -> the name of this vocabulary (American spelling of tumour).
NAME_ALIASES: Mapping[str, str] = {"tumor_sizes_mm": "tumour_sizes_mm"}


def canonical(code: str) -> str:
    """The vocabulary's code for ``code``, translating a deprecated alias."""
    return ALIASES.get(code, code)


def one_of(codes: tuple[object, ...]) -> str:
    """What a code set allows, in words: ``one of a, b, c``."""
    return "one of " + ", ".join(str(c) for c in codes)
