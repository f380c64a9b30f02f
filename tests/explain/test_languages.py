"""English, Welsh and Arabic catalogues: complete, direction set, review recorded, no advice.

The no-advice check runs for every language with that language's words for "should", "must",
"recommend" and "advise" (Welsh: dylech, rhaid i chi, argymell, cynghori; Arabic: يجب, ينبغي,
نوصي/يوصي/توصي, ننصح/ينصح, عليكِ/عليك أن).
"""

from __future__ import annotations

import re

import pytest

from axilla.explain.catalogue import available_languages, catalogue, message, placeholders

ADVICE = {
    "en": re.compile(r"\b(should|must|ought|recommend\w*|advis\w*|you need to|you have to|"
                     r"you had better)\b", re.IGNORECASE),
    "cy": re.compile(r"\b(dylech|dylai|dylwn|rhaid i chi|argymell\w*|cynghori\w*|"
                     r"cyngor)\b", re.IGNORECASE),
    "ar": re.compile(r"(يجب|ينبغي|نوصي|يوصي|توصي|ننصح|ينصح|تنصح|عليكِ أن|عليك أن|لا بد)"),
}


def test_the_three_languages_ship() -> None:
    assert {"en", "cy", "ar"} <= set(available_languages())


@pytest.mark.parametrize("lang", ["en", "cy", "ar"])
def test_direction_and_review_status_are_recorded(lang: str) -> None:
    cat = catalogue(lang)
    assert cat["direction"] == ("rtl" if lang == "ar" else "ltr")
    assert len(cat["review_status"]) > 10
    if lang != "en":
        assert cat["language"] != "English"


@pytest.mark.parametrize("lang", ["cy", "ar"])
def test_translations_are_translated(lang: str) -> None:
    """Patient texts differ from English (clinical glossary definitions stay in English)."""
    english, other = catalogue("en"), catalogue(lang)
    patient_keys = [k for k in english if not k.endswith(".clinical")
                    and k not in ("language", "direction", "review_status")]
    same = [k for k in patient_keys if other[k] == english[k] and re.search(r"[a-z]{4}",
                                                                            english[k])]
    allowed = {"glossary.predict.term", "glossary.her2.term", "glossary.cts5.term",
               "glossary.micrometastasis.term", "glossary.macrometastasis.term",
               "glossary.trastuzumab.term"}  # the same word in Welsh
    assert set(same) <= allowed, same
    if lang == "ar":
        arabic = sum(bool(re.search(r"[\u0600-\u06FF]", other[k])) for k in patient_keys)
        assert arabic >= 0.95 * len(patient_keys)


@pytest.mark.parametrize("lang", ["en", "cy", "ar"])
def test_no_patient_text_gives_advice_in_any_language(lang: str) -> None:
    for key, template in catalogue(lang).items():
        if key.endswith(".clinical"):
            continue
        values = {name: "3" for name in placeholders(template)}
        text = message(key, lang, **values)
        assert not ADVICE[lang].search(text), (lang, key, text)


def test_advice_checks_catch_advice() -> None:
    assert ADVICE["cy"].search("Dylech gael cemotherapi.")
    assert ADVICE["ar"].search("يجب أن تتلقي العلاج الكيميائي.")
