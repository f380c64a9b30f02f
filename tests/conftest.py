"""Settings for the whole suite.

Hypothesis: no per-example deadline. The properties check what is computed, not how fast; speed
is measured in benchmarks/. A shared machine can take longer than the default 200 ms for one
example, which would fail a test for a reason that has nothing to do with its assertion. The
random whole cases of the property tests are drawn and then checked by the case vocabulary,
which refuses many of them (as it should); that filtering is expected, not a fault.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

settings.register_profile("axilla", deadline=None,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.filter_too_much])
settings.load_profile("axilla")
