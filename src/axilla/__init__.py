"""axilla: breast cancer decision support centred on the lymph nodes.

Decision support, not a medical device: every figure names the model version and source that
produced it. The public names below are imported on first use, so ``import axilla`` (and the
command line's start-up) stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_LAZY = {
    "Case": "axilla.case.assessment",
    "parse_case": "axilla.case.assessment",
    "assess": "axilla.assess",
    "assess_many": "axilla.assess",
}

if TYPE_CHECKING:
    from axilla.assess import assess, assess_many
    from axilla.case.assessment import Case, parse_case


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'axilla' has no attribute {name!r}")


__all__ = ["Case", "__version__", "assess", "assess_many", "parse_case"]
