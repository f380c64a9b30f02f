"""Outline shapes with known extents for the pathology tests."""

from __future__ import annotations

import numpy as np


def square(x: float, y: float, side: float) -> tuple[np.ndarray]:
    """A square outline (one ring) with its lower-left corner at (x, y)."""
    return (np.array([[x, y], [x + side, y], [x + side, y + side], [x, y + side]], float),)


def rect(x: float, y: float, w: float, h: float) -> tuple[np.ndarray]:
    return (np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]], float),)


def disc(cx: float, cy: float, r: float, n: int = 720) -> tuple[np.ndarray]:
    """A regular n-gon inscribed in the circle: its diameter is exactly 2r for even n."""
    t = np.arange(n) * 2 * np.pi / n
    return (np.column_stack((cx + r * np.cos(t), cy + r * np.sin(t))),)
