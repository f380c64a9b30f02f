"""An assessment carries one list of rule ids: the guidance engine's (issue 8 item 2).

Before the split, the recurrence engine kept its own list of rule ids beside the guidance one
and the two disagreed on most random events; now no rule id lives outside ``guidance``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from axilla.assess import assess
from axilla.case.recurrence import ALL_SITES

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "a_micrometastasis_sentinel.json"
RULE_ID = re.compile(r"^(?:[A-Z]{1,3}\d{0,2}-[A-Z]?\d{1,2})$")


def _ids_outside_guidance(node, path=()):
    """Every string that looks like a rule id, outside the guidance section and explanations."""
    if path[:1] in (("guidance",), ("explanations",)):
        return []
    if isinstance(node, dict):
        return [x for k, v in node.items() for x in _ids_outside_guidance(v, (*path, k))]
    if isinstance(node, list):
        return [x for v in node for x in _ids_outside_guidance(v, path)]
    return [(path, node)] if isinstance(node, str) and RULE_ID.match(node) else []


events = st.fixed_dictionaries(
    {"sites": st.lists(st.sampled_from(ALL_SITES), min_size=1, max_size=4, unique=True)},
    optional={
        "pathology_confirmed": st.booleans(),
        "restaging_complete": st.booleans(),
        "distant_disease_suspected": st.booleans(),
        "on_adjuvant_chemotherapy": st.booleans(),
        "uncontrolled_local_disease": st.booleans(),
        "prior_breast_rt": st.booleans(),
    },
)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(events)
def test_random_recurrence_events_have_one_list_of_rule_ids(event):
    case = json.loads(EXAMPLE.read_text("utf-8"))
    case["treatment"] = {**case.get("treatment", {}), "breast_surgery": "bcs"}
    case["recurrence"] = {**event, "breast_surgery": "bcs"}
    data = assess(case).model_dump(mode="json")
    assert _ids_outside_guidance(data) == []
    assert "guidance_rule_ids" not in json.dumps(data["recurrence"])
    assert "guidance_rules" not in json.dumps(data["recurrence"])
    assert isinstance(data["guidance"]["recommendations"], list)
