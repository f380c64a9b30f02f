"""Faster paths of one guidance evaluation, each checked against the general path it replaces.

- A fired rule whose deciding facts are the same fields whatever the case (a literal mask) gets
  them from the rule function as the dict its Recommendation shows (a list field's tuple as a
  list); so does a fired ``any`` of one-field tests (the fields of its true parts, built in
  place); the rest are decoded from their mask. Both give the interpreted reference's result.
- A rule waiting on a missing derived field shares its Undecided record between cases with the
  same missing mask and the same base facts of the derivations absent (which decide the names
  asked for), worked out once a case; cases lacking other base facts get their own records.
Source: axilla guidance specification section 0 (rule record: the facts that made a rule fire).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from axilla.errors import InputError
from axilla.guidance import evaluate, load_rules
from axilla.guidance.fast import tables
from support.guidance_same import assert_same

_spec = importlib.util.spec_from_file_location(
    "guidance_shared_records_speed6", Path(__file__).with_name("test_shared_records.py"))
_shared = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _shared
_spec.loader.exec_module(_shared)
EXAMPLE_A: dict[str, Any] = _shared.EXAMPLE_A
FACTS = _shared._program.FACTS

#: A distant recurrence with brain metastases: CG81 rules fire on the list field distant_sites.
DISTANT: dict[str, Any] = {
    "invasive": True, "recurrence_event": "distant", "distant_sites": ["brain", "bone"],
    "er_status": "positive", "her2_status": "negative", "sex": "female", "age_years": 61,
}


#: Example (a) node-negative: the default recurrence risk (derived from node status, size and
#: grade, spec K.0) is unknown when size or grade is missing and asked for by the one missing.
NODE_NEGATIVE: dict[str, Any] = {**EXAMPLE_A, "pn_category": "pN0", "positive_nodes_total": 0,
                                 "sln_micromet_count": 0}


def _fired_facts(facts: dict[str, Any]) -> list[tuple[int, object]]:
    """(rule index, facts or mask) of each rule the compiled function fires for ``facts``."""
    t = tables(load_rules())
    full = {**{n: d for n, d in load_rules().defaults}, **facts}
    fired, _ = t.program.run(full, load_rules().param_defaults)
    return [(f[1], f[2]) for f in fired]


def test_example_a_facts_given_by_the_rule_function_are_the_reference_facts() -> None:
    fast = assert_same(EXAMPLE_A)
    given_as_dicts = [k for k, m in _fired_facts(EXAMPLE_A) if isinstance(m, dict)]
    decoded = [k for k, m in _fired_facts(EXAMPLE_A) if isinstance(m, int)]
    assert given_as_dicts and decoded  # both kinds met in example (a)
    rules = load_rules().rules
    by_id = {r.id: r for r in fast.recommendations}
    # hand-checked from the rule files: GP-04 (an all: ER+, HER2-, invasive, pN0-pN1mi, NPI
    # above the unit threshold; literal mask) and SE-11 (an any: the parts true here; decoded)
    assert by_id["GP-04"].facts == {"er_status": "positive", "her2_status": "negative",
                                    "invasive": True, "npi": 4.36, "pn_category": "pN1mi"}
    assert by_id["SE-11"].facts == {"breast_rt_planned": True, "slnb_done": True}
    for k in given_as_dicts:
        assert by_id[rules[k].id].facts == dict(sorted(by_id[rules[k].id].facts.items()))


def test_a_list_field_is_shown_as_a_list_by_both_paths() -> None:
    result = assert_same(DISTANT)
    shown = [r.facts["distant_sites"] for r in result.recommendations
             if "distant_sites" in r.facts]
    assert shown and all(v == ["brain", "bone"] and type(v) is list for v in shown)
    assert any(isinstance(m, dict) and "distant_sites" in m
               for _, m in _fired_facts({**DISTANT, "distant_sites": ("brain", "bone")}))


def test_the_rule_function_writes_literal_facts_with_list_fields_converted() -> None:
    source = tables(load_rules()).program.source
    assert "'distant_sites': (list(" in source  # a list field: its tuple shown as a list
    assert "fire((" in source and "{'invasive': " in source


@settings(max_examples=200, deadline=None)
@given(facts=FACTS)
def test_random_facts_same_as_reference(facts: dict[str, Any]) -> None:
    try:
        evaluate(facts, compiled=False)
    except InputError:
        return
    assert_same(facts)


@settings(max_examples=100, deadline=None)
@given(sites=st.lists(st.sampled_from(["brain", "bone", "lung", "liver"]), unique=True,
                      max_size=4).map(tuple) | st.none(),
       event=st.sampled_from(["distant", "local", "regional", "none"]))
def test_recurrence_facts_with_list_fields_same_as_reference(sites: Any, event: str) -> None:
    assert_same({**DISTANT, "distant_sites": sites, "recurrence_event": event})


def test_a_rule_waiting_on_a_derived_field_asks_for_the_base_facts_each_case_lacks() -> None:
    no_size = assert_same({k: v for k, v in NODE_NEGATIVE.items() if k != "size_mm"})
    no_grade = assert_same({k: v for k, v in NODE_NEGATIVE.items() if k != "grade"})
    no_size_again = assert_same({k: v for k, v in NODE_NEGATIVE.items() if k != "size_mm"})
    waiting = {u.id: u for u in no_size.undecided}
    assert waiting["ET-06"].missing == ("size_mm",)  # ET-06 reads recurrence_risk
    assert {u.id: u for u in no_grade.undecided}["ET-06"].missing == ("grade",)
    # the same mask and the same absent base facts: the same frozen record
    assert all(a is b for a, b in zip(no_size.undecided, no_size_again.undecided, strict=True))


@settings(max_examples=100, deadline=None)
@given(dropped=st.sets(st.sampled_from(["size_mm", "grade", "pn_category", "er_status",
                                        "pr_status", "her2_status", "radial_margin_min_mm",
                                        "neoadjuvant_chemo_given", "neoadjuvant_et_given",
                                        "macromet_nodes_total", "sex"]), max_size=5),
       base=st.sampled_from([EXAMPLE_A, NODE_NEGATIVE]))
def test_cases_lacking_base_facts_of_derived_fields_same_as_reference(
        dropped: set[str], base: dict[str, Any]) -> None:
    assert_same({k: v for k, v in base.items() if k not in dropped})


def test_an_any_of_one_field_tests_shows_the_fields_of_its_true_parts() -> None:
    """PA-02 (NG101 assessment): any of invasive disease or DCIS only."""
    invasive = assert_same(EXAMPLE_A)
    dcis = assert_same({**EXAMPLE_A, "invasive": False, "dcis_only": True})
    assert invasive.get("PA-02").facts == {"invasive": True}
    assert dcis.get("PA-02").facts == {"dcis_only": True}
    k = [r.id for r in load_rules().rules].index("PA-02")
    assert any(i == k and isinstance(m, dict) for i, m in _fired_facts(EXAMPLE_A))
    source = tables(load_rules()).program.source
    assert "['invasive'] = " in source and "['dcis_only'] = " in source
