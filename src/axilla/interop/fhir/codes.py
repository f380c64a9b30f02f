"""Every FHIR code axilla reads or writes, once: systems, SNOMED CT, LOINC, AJCC and axilla's own.

Source: the project's FHIR specification (shared spec fhir.md sections 2-4), which lists each
code with the public implementation guides it was found in: HL7 mCODE STU4 (4.0.0), CMS EOM,
NZ CanShare TNM value sets, HL7 ICHOM Breast Cancer IG, the German MII oncology modules and
Synthea. Codes marked unverified there are not used here.
"""

from __future__ import annotations

from axilla.case.codes import FOUND_BY as CASE_FOUND_BY
from axilla.case.codes import NODE_SITES as CASE_NODE_SITES

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
AJCC = "http://cancerstaging.org"
UICC = "https://www.uicc.org/resources/tnm"
ICDO3 = ("http://terminology.hl7.org/CodeSystem/icd-o-3", "urn:oid:2.16.840.1.113883.6.43.1")
ICD10 = ("http://hl7.org/fhir/sid/icd-10", "http://hl7.org/fhir/sid/icd-10-cm",
         "http://fhir.de/CodeSystem/bfarm/icd-10-gm", "http://fhir.de/CodeSystem/dimdi/icd-10-gm")
NCIT = "http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl"
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
MCODE_SD = "http://hl7.org/fhir/us/mcode/StructureDefinition/"
LATERALITY_EXT = MCODE_SD + "mcode-laterality-qualifier"
HISTOLOGY_EXT = MCODE_SD + "mcode-histology-morphology-behavior"
ASSERTED_DATE_EXT = "http://hl7.org/fhir/StructureDefinition/condition-assertedDate"
BIRTHSEX_EXT = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex"
UICC_PREFIX_EXT = ("https://www.medizininformatik-initiative.de/fhir/ext/modul-onko/"
                   "StructureDefinition/mii-ex-onko-tnm-cp-praefix")

#: axilla's own canonical base (CodeSystem and extensions). One constant: the project's public
#: address replaces it when one is registered (spec section 4, open point).
AXILLA = "https://axilla.example.org/fhir"
AXILLA_CODES = AXILLA + "/CodeSystem/axilla"
ABSOLUTE_BENEFIT_EXT = AXILLA + "/StructureDefinition/absolute-benefit"

# --- 2.2 primary breast cancer ---------------------------------------------------------------
BREAST_PRIMARY = {"254837009", "372137005", "353431000119107", "93796005", "408643008"}
#: Condition codes that say "female breast" (pitfall: a male patient with one of them).
FEMALE_BREAST = {"353431000119107", "93796005"}
GENERIC_MALIGNANT = "363346000"
BREAST_SITES = {"80248007": "left", "73056007": "right", "76752008": None}
LATERALITY = {"7771000": "left", "24028007": "right", "51440002": "bilateral",
              "399488007": "midline"}
CONDITION_LATERALITY = {"353431000119107": "left"}
#: Secondary sites that are regional nodes, not distant metastasis (axillary lymph node).
REGIONAL_SECONDARY = {"94181007"}
#: Distant secondaries seen in the real bundles (liver, bone) and mCODE's history-of-metastatic-
#: cancer Observation code.
DISTANT_SECONDARY = {"94381002", "94222008"}
HISTORY_OF_METASTASIS = "1287652008"
LATERALITY_OBS = "20228-3"
MEAN_HEART_DOSE = "mean-heart-dose"

# Histology -> the case's histology / primary kind.
HISTOLOGY_NST = {"82711006", "408643008", "8500/3"}
HISTOLOGY_LOBULAR = {"722524005", "8520/3"}
HISTOLOGY_DCIS = {"399935008"}
HISTOLOGY_LCIS = {"77284006"}
HISTOLOGY_OBS = {"31206-6", "59847-4", "44638-5"}

# --- 2.1 / 2.3 patient, menopause ------------------------------------------------------------
MENOPAUSE_OBS = "161712005"
MENOPAUSE = {"309606002": "pre", "307429007": "post"}
SMOKING_OBS = "72166-2"
SMOKES_DAILY = "449868002"

# --- 2.4 size, 2.5 grade ---------------------------------------------------------------------
TUMOR_SIZE = "21889-1"
LONGEST_DIMENSION = "33728-7"
INVASIVE_SIZE = "44635-1"
SIZE_UNIT_MM = {"mm": 1.0, "cm": 10.0}
GRADE_OBS = {"C18000", "44648-4", "372276001"}
GRADE_VALUES = {"1155701009": 1, "1155703007": 2, "1155704001": 3, "LA27824-4": 2}
#: mCODE's low/intermediate/high grade: a number only when the method says Nottingham.
GRADE_WORDS = {"1155708003": 1, "1286893008": 2, "1155707008": 3}

# --- 2.6 markers -----------------------------------------------------------------------------
ER_STATUS = {"85337-4", "16112-5", "40556-3"}
ER_PERCENT = {"85329-1", "14228-1"}
PR_STATUS = {"85339-0", "16113-3", "40557-1"}
PR_PERCENT = {"85325-9", "14230-7"}
HER2_STATUS = {"48676-1", "85319-2", "18474-7", "85318-4", "1363314005"}
KI67_PERCENT = {"85330-9", "1237281001"}
ONCOTYPE = "509910"
POSITIVE = {"LA6576-8", "10828004", "52101004"}
NEGATIVE = {"LA6577-6", "260385009", "2667000"}
EQUIVOCAL = {"280414007"}
HER2_IHC_POSITIVE = {"LA11843-2"}
HER2_IHC_NEGATIVE = {"LA11841-6"}
#: Disorder-style receptor codes, as values or Condition codes: marker and status.
RECEPTOR_DISORDERS = {"416053008": ("er", "positive"), "441117001": ("er", "negative"),
                      "416561008": ("pr", "positive"), "441118006": ("pr", "negative"),
                      "427685000": ("her2", "positive"), "431396003": ("her2", "negative")}
TEXT_POSITIVE = {"positive", "pos", "+"}
TEXT_NEGATIVE = {"negative", "neg", "-"}

# --- 2.7 TNM ---------------------------------------------------------------------------------
#: Observation code -> (kind, prefix): kind T/N/M/stage, prefix c/p or "" (not said).
TNM_OBS = {
    "399390009": ("stage", ""), "399537006": ("stage", "c"), "399588009": ("stage", "p"),
    "21908-9": ("stage", "c"), "21902-2": ("stage", "p"), "21914-7": ("stage", ""),
    "78873005": ("T", ""), "399504009": ("T", "c"), "384625004": ("T", "p"),
    "21905-5": ("T", "c"), "21899-0": ("T", "p"), "21911-3": ("T", ""),
    "277206009": ("N", ""), "399534004": ("N", "c"), "371494008": ("N", "p"),
    "21906-3": ("N", "c"), "21900-6": ("N", "p"), "21912-1": ("N", ""), "21892-5": ("N", ""),
    "277208005": ("M", ""), "399387003": ("M", "c"), "371497001": ("M", "p"),
    "21907-1": ("M", "c"), "21901-4": ("M", "p"), "21913-9": ("M", ""),
}
AJCC8_METHODS = {"897275008", "C146985", "8"}
T_SNOMED = {
    "TX": ("1222604002", "1228950008"), "T0": ("1228882005", "1228951007"),
    "Tis": ("1228885007", "1228954004"), "Tis(Paget)": ("1228888009", "1228956002"),
    "T1": ("1228889001", "1228957006"), "T1mi": ("1228891009", "1228958001"),
    "T1a": ("1228892002", "1228959009"), "T1b": ("1228895000", "1228962007"),
    "T1c": ("1228899006", "1229846008"), "T2": ("1228929004", "1229852009"),
    "T3": ("1228938002", "1229859000"), "T4": ("1228944003", "1229864001"),
    "T4a": ("1228945002", "1229865000"), "T4b": ("1228946001", "1229866004"),
    "T4c": ("1228947005", "1229867008"), "T4d": ("1228948000", "1229868003"),
}
CN_SNOMED = {"NX": "1229966003", "N0": "1229967007", "N1": "1229973008", "N1mi": "1229974002",
             "N2": "1229978004", "N2a": "1229981009", "N2b": "1229982002", "N3": "1229984001",
             "N3a": "1229985000", "N3b": "1229986004", "N3c": "1229987008"}
PN_SNOMED = {"NX": "1229945006", "N0": "1229947003", "N0(i+)": "1229949000",
             "N0(mol+)": "1229950000", "N1": "1229951001", "N1mi": "1229952008",
             "N1a": "1229954009", "N1a(sn)": "1229953003", "N1b": "1229955005",
             "N1c": "1229956006", "N2": "1229957002", "N2a": "1229959004",
             "N2b": "1229960009", "N3": "1229962001", "N3a": "1229963006",
             "N3b": "1229964000", "N3c": "1229965004"}
M_SNOMED = {"cM0": "1229901006", "cM0(i+)": "1229902004", "cM1": "1229903009",
            "pM1": "1229916009"}
STAGE_SNOMED = {"0": "1222605001", "IA": "1222724007", "IB": "1222728005",
                "IIA": "1222766008", "IIB": "1222769001", "IIIA": "1222802001",
                "IIIB": "1222805004", "IIIC": "1222806003", "IV": "1222837003"}
#: Legacy SNOMED findings (Synthea): no c/p, no subcategory.
LEGACY_TNM = {"58790005": "T0", "23351008": "T1", "67673008": "T2", "14410001": "T3",
              "65565005": "T4", "62455006": "N0", "53623008": "N1", "46059003": "N2",
              "5856006": "N3", "30893008": "M0", "55440008": "M1",
              "258224005": "III", "258228008": "IV", "261638004": "IIIA"}
#: AJCC code system stage codes are arabic strings ("2B"); the roman form is the label.
ARABIC_STAGE = {"0": "0", "1": "I", "1A": "IA", "1B": "IB", "2": "II", "2A": "IIA",
                "2B": "IIB", "3": "III", "3A": "IIIA", "3B": "IIIB", "3C": "IIIC", "4": "IV"}

# --- 2.8 nodes -------------------------------------------------------------------------------
NODES_EXAMINED = {"92833-3", "21894-1", "444025001"}
NODES_POSITIVE = {"92831-7", "21893-3", "443527007"}
SENTINEL_EXAMINED = {"85347-3"}
SENTINEL_POSITIVE = {"92832-5", "1264491009"}
NODES_MACRO, NODES_MICRO, NODES_ITC = "85343-2", "85344-0", "85352-3"
NODE_DEPOSIT = "85351-5"
NODE_SITES = {"68171009": "axillary", "245282001": "internal_mammary",
              "76838003": "supraclavicular"}
NODE_METHODS = {"he": "he", "ihc": "ihc", "rt-pcr": "rtpcr"}
NODE_CATEGORIES = ("negative", "itc", "micrometastasis", "macrometastasis")
#: Node sites and how a node reached the pathologist [L]: the case vocabulary's own words.
NODE_SITE_WORDS = CASE_NODE_SITES
FOUND_BY = CASE_FOUND_BY

# --- 2.9-2.11 procedures and therapy ---------------------------------------------------------
SLNB = {"396487001", "443497002"}
ANC = {"79544006"}
BCS = {"64368001", "392021009", "237371007"}
MASTECTOMY = {"172043006"}
RADIOTHERAPY = {"1217123003", "USCRS-33529", "53438000", "445232009"}
MAMMOGRAPHY = {"71651007", "241055006"}
SCREENING_INTENT, SYMPTOMATIC_MAMMOGRAM = "360156006", "241055006"
#: Drug classes by ingredient name (any code system; RxNorm ingredient codes where confirmed).
DRUGS = {
    "anthracycline": ("doxorubicin", "epirubicin"),
    "taxane": ("paclitaxel", "docetaxel"),
    "endocrine": ("tamoxifen", "anastrozole", "letrozole", "exemestane", "fulvestrant",
                  "goserelin", "leuprolide"),
    "anti_her2": ("trastuzumab", "pertuzumab"),
    "bisphosphonate": ("zoledronic", "ibandron", "clodron"),
    "cytotoxic": ("cyclophosphamide", "fluorouracil", "carboplatin", "capecitabine"),
}
RXNORM_INGREDIENTS = {"3639": "doxorubicin", "56946": "paclitaxel", "3002": "cyclophosphamide",
                      "84857": "anastrozole", "10324": "tamoxifen"}


def ajcc_stage_label(code: str) -> str | None:
    """The roman stage label of an AJCC stage code ("2B" -> "IIB"; "IIB" stays)."""
    code = code.strip().upper()
    return ARABIC_STAGE.get(code) or (code if code in STAGE_SNOMED else None)


def snomed_lookup(table: dict[str, str], code: str) -> str | None:
    """The key whose SNOMED code is ``code`` (a reverse look-up of one table)."""
    return next((k for k, v in table.items() if v == code), None)
