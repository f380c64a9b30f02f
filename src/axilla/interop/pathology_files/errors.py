"""The error every pathology file reader raises: which file, which element, what is wrong."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from axilla.errors import AxillaError


class PathologyFileError(AxillaError, ValueError):
    """A pathology file that cannot be read as it claims to be; names file and element."""

    def __init__(self, path: str | Path, element: str, problem: str):
        self.path, self.element, self.problem = str(path), element, problem
        where = f"{self.path}: {element}" if element else self.path
        super().__init__(f"{where}: {problem}")


def finite_vertices(path: str | Path, element: str, raw: object) -> np.ndarray:
    """Check a non-empty list of [x, y] pairs of finite numbers; return it as an (n, 2) array.

    Outlines of fewer than 3 vertices are passed on: the measurement notes them (no area).
    """
    if not isinstance(raw, list):
        raise PathologyFileError(path, element, f"expected a list of [x, y] pairs, got "
                                 f"{type(raw).__name__}")
    if not raw:
        raise PathologyFileError(path, element, "an outline needs vertices, got none")
    try:
        array = np.array(raw)
    except ValueError:  # ragged
        array = np.zeros(0)
    numeric = array.ndim == 2 and array.shape[1] >= 2 and array.dtype.kind in "iuf"
    if numeric:  # NumPy reads true/false among numbers as 1/0
        numeric = "True" not in (text := repr(raw)) and "False" not in text
    if numeric:
        array = array[:, :2].astype(float)
        if np.isfinite(array).all():
            return array
    for i, pair in enumerate(raw):  # find the first bad vertex to name it
        ok = (isinstance(pair, list | tuple) and len(pair) >= 2
              and all(isinstance(v, int | float) and not isinstance(v, bool) for v in pair[:2]))
        if not ok or not all(math.isfinite(v) for v in pair[:2]):
            raise PathologyFileError(path, f"{element} vertex {i}",
                                     f"expected [x, y] with finite numbers, got {pair!r}")
    raise PathologyFileError(path, element, "vertices must all be [x, y] pairs of numbers")


def read_json(path: str | Path) -> object:
    """Parse a JSON file; a syntax error names the file, line and column."""
    try:
        return json.loads(Path(path).read_text("utf-8"))
    except json.JSONDecodeError as exc:
        raise PathologyFileError(path, "", f"not valid JSON ({exc.msg}, line {exc.lineno}, "
                                 f"column {exc.colno})") from None
    except UnicodeDecodeError:
        raise PathologyFileError(path, "", "not UTF-8 text") from None
