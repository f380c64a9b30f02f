"""axilla: breast cancer decision support centred on the lymph nodes.

Decision support, not a medical device: every figure names the model version and source that
produced it.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
