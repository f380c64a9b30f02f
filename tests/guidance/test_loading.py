"""Rule files are checked when loaded: anything the engine could not evaluate is refused with a
message naming the file, the rule and the problem. Source: axilla guidance specification
section 0 (rule record, strength vocabulary) and the field schema of section 0.2.
"""

from __future__ import annotations

import textwrap
from importlib import resources

import pytest

from axilla.errors import DataFileError
from axilla.guidance import evaluate
from axilla.guidance.rules import load_rule_paths, load_rule_set
from axilla.guidance.schema import parse_fields

RULESET = resources.files("axilla.guidance").joinpath("ruleset.yaml").read_text("utf-8")

HEADER = """
source: {guideline: NICE NG101, version: "test"}
rules:
"""


def rule(when: str, **extra: str) -> str:
    fields = {"id": "T-01", "topic": "axilla", "strength": "offer", "text": "Test rule.",
              "cite": '{number: "1.0"}', **extra}
    body = "".join(f"    {k}: {v}\n" for k, v in fields.items())
    return HEADER + "  - " + body.lstrip() + "    when: " + when + "\n"


def load(*texts: str):
    return load_rule_set([(f"test{i}.yaml", t) for i, t in enumerate(texts)], RULESET)


def test_a_valid_rule_file_loads_and_evaluates():
    rules = load(rule("{sln_macromet_count: {ge: 1}}"))
    assert evaluate({"sln_macromet_count": 1}, rules=rules).ids == ("T-01",)


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ("{sln_macro_count: {ge: 1}}", "unknown field 'sln_macro_count' (did you mean"),
        ("{sln_macromet_count: {greater: 1}}", "unknown operator 'greater'"),
        ("{breast_surgery: mastectomyy}", "not a valid value of breast_surgery"),
        ("{breast_surgery: {in: [bcs, lumpectomy]}}", "not a valid value of breast_surgery"),
        ("{invasive: {lt: 3}}", "operator 'lt' does not apply to a bool field"),
        ("{size_mm: {ge: ten}}", "is not a number"),
        ("{size_mm: {between: [5]}}", "needs [low, high]"),
        ("{size_mm: {between: [9, 5]}}", "low 9 is above high 5"),
        ("{cardiac_flags: {contains: flu}}", "is not a value of cardiac_flags"),
        ("{fired: [XX-99]}", "unknown rule id 'XX-99'"),
        ("{param: no_such_param}", "unknown parameter 'no_such_param'"),
        ("{param: profiling_intermediate_npi_above}", "is not a bool"),
        ("{npi: {gt: {param: bisphosphonate_counts_micromets}}}", "cannot be compared"),
        ("{invasive: true, anc_done: true}", "exactly one key"),
        ("{all: []}", "non-empty list"),
        ("{predict_version: v2}", "is text and cannot be tested"),
        ("__import__('os')", "exactly one key"),
    ],
)
def test_bad_conditions_are_refused(when, message):
    with pytest.raises(DataFileError) as err:
        load(rule(when))
    assert message in str(err.value)
    assert "test0.yaml" in str(err.value) or "rule" in str(err.value)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"strength": "recommend"}, "strength 'recommend' is not one of"),
        ({"strength": "practice"}, "belongs to source kind 'practice'"),
        ({"topic": "cardiology"}, "topic 'cardiology' is not one of"),
        ({"source_kind": "blog"}, "source_kind 'blog' is not one of"),
        ({"cite": "NG101 1.4.12"}, "'cite' must be a mapping"),
        ({"colour": "red"}, "unknown key(s) ['colour']"),
        ({"also_fires": "[ZZ-1]"}, "unknown rule id 'ZZ-1'"),
    ],
)
def test_bad_rule_records_are_refused(extra, message):
    with pytest.raises(DataFileError) as err:
        load(rule("{invasive: true}", **extra))
    assert message in str(err.value)


def test_duplicate_ids_and_cycles_are_refused():
    with pytest.raises(DataFileError, match="defined twice"):
        load(rule("{invasive: true}"), rule("{invasive: false}"))
    cyclic = HEADER + textwrap.dedent("""\
      - {id: A-1, topic: axilla, strength: offer, text: a, cite: {number: "1"}, when: {fired: A-2}}
      - {id: A-2, topic: axilla, strength: offer, text: b, cite: {number: "2"}, when: {fired: A-1}}
    """)
    with pytest.raises(DataFileError, match="cycle"):
        load(cyclic)


def test_file_without_source_header_is_refused():
    with pytest.raises(DataFileError, match="needs a 'source' header"):
        load("rules:\n  - {id: X}\n")


def test_invalid_yaml_is_refused():
    with pytest.raises(DataFileError, match="not valid YAML"):
        load("rules: [unclosed\n")


def test_field_schema_is_checked():
    with pytest.raises(DataFileError, match="unknown key"):
        parse_fields({"fields": {"x": {"type": "bool", "description": "a", "no invasive": None}}})
    with pytest.raises(DataFileError, match="type 'boolean'"):
        parse_fields({"fields": {"x": {"type": "boolean", "description": "a"}}})
    with pytest.raises(DataFileError, match="needs 'values'"):
        parse_fields({"fields": {"x": {"type": "enum", "description": "a"}}})


def test_rule_files_on_disk_can_be_loaded_for_review(tmp_path):
    path = tmp_path / "unit.yaml"
    path.write_text(rule("{anc_done: true}"), encoding="utf-8")
    assert load_rule_paths([path]).ids == ("T-01",)
    path.write_text(rule("{anc_done: {is: true}}"), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"unit\.yaml.*unknown operator 'is'"):
        load_rule_paths([path])


# --- caveats, conditions where the guideline is silent, checked text (issue 9) ----------------
@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"caveat": "{kind: mood, text: x, topics: [axilla]}"}, "caveat kind 'mood'"),
        ({"caveat": "{kind: pregnancy, text: x, topics: [astrology]}"}, "unknown topic"),
        ({"caveat": "{kind: pregnancy, text: x}"}, "needs the topics or rules"),
        ({"caveat": "{kind: pregnancy, text: x, rules: [NO-01]}"}, "unknown rule id 'NO-01'"),
        ({"conditional": "[{when: {invasive: true}}]"}, "needs exactly 'when' and 'text'"),
        ({"cite": '{number: "1.0", text_date: "April 2025"}'}, "is not an ISO date"),
    ],
)
def test_bad_annotations_are_refused_at_load(extra, message):
    with pytest.raises(DataFileError, match=message):
        load(rule("{invasive: true}", **extra))


def test_a_caveat_rule_qualifies_the_recommendations_it_names():
    caveat = rule("{pregnant: true}", caveat="{kind: pregnancy, text: Wait., topics: [axilla]}")
    other = rule("{invasive: true}").replace("T-01", "T-02").replace("axilla", "radiotherapy")
    target = rule("{invasive: true}").replace("T-01", "T-03")
    result = evaluate({"pregnant": True, "invasive": True}, rules=load(caveat, other, target))
    by_id = {r.id: r for r in result.recommendations}
    (c,) = by_id["T-03"].caveats
    assert (c.kind, c.rule_id, c.text) == ("pregnancy", "T-01", "Wait.")
    assert by_id["T-02"].caveats == () and by_id["T-01"].caveats == ()


def test_a_conditional_recommendation_carries_the_ambiguity_in_words():
    rules = load(rule("{invasive: true}", conditional="[{when: {pn_category: pN1mi}, "
                                                      "text: NICE does not say.}]"))
    assert evaluate({"invasive": True, "pn_category": "pN1mi"},
                    rules=rules).recommendations[0].conditional_on == "NICE does not say."
    assert evaluate({"invasive": True, "pn_category": "pN1a"},
                    rules=rules).recommendations[0].conditional_on is None


def test_pending_rules_say_what_they_wait_for():
    rules = load(rule("{radial_margin_min_mm: {gt: 0}}"))
    (pending,) = evaluate({}, rules=rules).undecided
    assert pending.decide_once == "to decide once radial_margin_min_mm is known"
    assert pending.text == "Test rule." and pending.strength == "offer"
    assert evaluate({}, rules=rules).model_dump()["undecided"][0]["decide_once"].startswith(
        "to decide once")
