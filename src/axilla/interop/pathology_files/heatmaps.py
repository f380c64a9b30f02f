"""Heatmap files (NumPy .npy, TIFF) -> a 2-D array of tumour probabilities, memory-mapped.

Source: NumPy's .npy format (numpy.lib.format; read without pickles) and TIFF via tifffile.
Probabilities must be stored as floats from 0 to 1; an integer image is refused rather than
rescaled, because its scale (0-1, 0-255, a class map) cannot be known from the file. The grid
(stride, origin, spacing) is never read from the file: the caller gives it explicitly.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from axilla.interop.pathology_files.errors import PathologyFileError

SUFFIXES = (".npy", ".tif", ".tiff")


def read_heatmap(path: str | Path) -> np.ndarray:
    """The probability array of a heatmap file (memory-mapped where the format allows)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".npy":
        try:
            array = np.load(path, mmap_mode="r", allow_pickle=False)
        except ValueError as exc:
            raise PathologyFileError(path, "", f"not a readable .npy array ({exc})") from None
    elif suffix in (".tif", ".tiff"):
        array = _read_tiff(path)
    else:
        raise PathologyFileError(path, "", f"unknown heatmap suffix {suffix!r}; allowed: "
                                 f"{', '.join(SUFFIXES)}")
    if array.ndim != 2:
        raise PathologyFileError(path, "array", f"must be 2-D (rows x columns), got shape "
                                 f"{array.shape}")
    if not np.issubdtype(array.dtype, np.floating):
        raise PathologyFileError(path, "array", f"must hold probabilities as floats from 0 to "
                                 f"1, got {array.dtype}")
    return array


def _read_tiff(path: Path) -> np.ndarray:
    import tifffile

    try:
        try:
            return tifffile.memmap(path, mode="r")
        except ValueError:  # compressed or tiled: not mappable, read it whole
            return tifffile.imread(path)
    except (tifffile.TiffFileError, ValueError) as exc:
        raise PathologyFileError(path, "", f"not a readable TIFF image ({exc})") from None
