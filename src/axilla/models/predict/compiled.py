"""The benefit table's glue loops compiled (``_tablekernel.c``), reached through ctypes.

The extension is optional: an install without a C compiler has none, and
:func:`axilla.models.predict.benefits.benefit_table` then takes the NumPy path of
:func:`axilla.models.predict.kernel.table_chunk`, which stays the reference the compiled loops
are tested against (the same operations in the same order; spec sec. 1.3 and 1.5,
docs/models/predict.md). ctypes releases the GIL during a call, so the engine's threads run the
loops on every core. The library is loaded on first use (about 0.1 ms); nothing is compiled or
downloaded at run time.
"""

from __future__ import annotations

import ctypes
import functools
import importlib.util
from collections.abc import Callable

import numpy as np

from axilla.models.predict import kernel as k

EXTENSION = "axilla.models.predict._tablekernel"
ABI = 1  # axilla_table_abi() of the C source these argument lists are written for
MAX_COLUMNS, MAX_KEYS = 32, 8  # the C loops' fixed room (MAX_COLUMNS, MAX_KEYS there)

_i64, _f64, _ptr = ctypes.c_int64, ctypes.c_double, ctypes.c_void_p
_CELLS = (
    _i64, _ptr, _ptr, _ptr, _i64,  # m, scale, index, other, other_stride
    _ptr, _i64, _i64, _i64, _ptr, _ptr, _i64,  # hazard, n_index, rows, columns, base, keys, K
    _i64, _ptr, _ptr,  # pairs, pair_a, pair_b
    _f64, ctypes.c_int32, ctypes.c_int32, _f64, _f64, _f64,  # log_times ... near_tie
    _ptr, _i64, _i64, _ptr,  # out, stride_pair, stride_row, near
)
_QUOTIENTS = (_i64, _ptr, _f64, _ptr)  # n, k, divisor, out


@functools.cache
def library() -> ctypes.CDLL | None:
    """The compiled library with its functions typed, or None when the extension was not built,
    cannot be loaded, or was built from another revision of the C source (a stale build)."""
    spec = importlib.util.find_spec(EXTENSION)
    if spec is None or not spec.origin or np.dtype(np.intp).itemsize != 8:
        return None
    try:
        lib = ctypes.CDLL(spec.origin)
        abi = lib.axilla_table_abi
        abi.restype = _i64
        if abi() != ABI:
            return None
        lib.axilla_table_cells.restype = _i64
        lib.axilla_table_cells.argtypes = _CELLS
        lib.axilla_table_quotients.restype = None
        lib.axilla_table_quotients.argtypes = _QUOTIENTS
    except (OSError, AttributeError):
        return None
    return lib


def _address(a: np.ndarray) -> int:
    return int(a.__array_interface__["data"][0])


def quotients(k_values: np.ndarray, divisor: float) -> np.ndarray:
    """k / divisor as the compiled loops form it (for tests: it must equal IEEE division)."""
    lib = library()
    if lib is None:
        raise RuntimeError("the compiled table loops are not built")
    k_values = np.ascontiguousarray(k_values, dtype=np.float64)
    out = np.empty_like(k_values)
    lib.axilla_table_quotients(k_values.size, _address(k_values), divisor, _address(out))
    return out


class TableLoops:
    """One benefit table's constants for the compiled loops, ready for calls chunk by chunk."""

    __slots__ = ("_constant", "_fn", "_hazard", "_keep", "_n_columns", "_n_keys", "_shape")

    def __init__(
        self, fn: Callable[..., int], tp: k.TablePlan, pairs: tuple[tuple[int, int], ...], *,
        rounded: bool, times: float, times_after: float, divide_by: float, near_tie: float,
    ) -> None:
        hazard = np.ascontiguousarray(tp.hazard.T)  # [state x group, row x column]
        base = np.ascontiguousarray(tp.other_base.reshape(-1))
        keys = np.ascontiguousarray(tp.plan.key_of_column, dtype=np.int64)
        pair_a = np.array([a for a, _ in pairs], dtype=np.int64)
        pair_b = np.array([b for _, b in pairs], dtype=np.int64)
        self._fn = fn
        self._keep = (hazard, base, keys, pair_a, pair_b)  # alive while the addresses are used
        self._hazard = (_address(hazard), hazard.shape[0])
        self._n_columns, self._n_keys = len(tp.plan.columns), len(tp.plan.keys)
        self._shape = (len(pairs), len(tp.rows))  # [benefit, row] of the output
        log_times = float(np.log(times)) if times != 1.0 else 0.0  # as table_chunk forms it
        self._constant = (
            _address(base), _address(keys), self._n_keys, len(pairs), _address(pair_a),
            _address(pair_b), log_times, int(times != 1.0), int(rounded), times_after,
            divide_by, near_tie,
        )

    def __call__(self, cov: k.TableCovariates, out: np.ndarray, start: int) -> np.ndarray:
        """Fill out[:, :, start:start + m] ([benefit, row, patient]) for the m patients of
        ``cov``; return the positions in ``cov`` of the patients with a cell near a tie, which
        R's rule must decide."""
        m = cov.scale.shape[0]
        _, R, n = out.shape
        if (out.shape[:2] != self._shape or start < 0 or start + m > n
                or not out.flags.c_contiguous or out.dtype != np.float64):
            raise ValueError(f"the output must be C-ordered float64 {self._shape} x patients")
        scale = np.ascontiguousarray(cov.scale, dtype=np.float64)
        index = np.ascontiguousarray(cov.index, dtype=np.int64)
        other = np.asarray(cov.other, dtype=np.float64)
        if other.strides[1] != 8:
            other = np.ascontiguousarray(other)
        near = np.empty(m, dtype=np.uint8)
        found = self._fn(
            m, _address(scale), _address(index), _address(other), other.strides[0] // 8,
            *self._hazard, R, self._n_columns, *self._constant,
            _address(out) + 8 * start, R * n, n, _address(near),
        )
        if found < 0:
            raise ValueError("the benefit table is beyond the compiled loops' room")
        return np.flatnonzero(near) if found else np.empty(0, dtype=np.intp)


def table_loops(
    tp: k.TablePlan, pairs: tuple[tuple[int, int], ...], *, rounded: bool, times: float,
    times_after: float, divide_by: float, near_tie: float,
) -> TableLoops | None:
    """The compiled loops for this table, or None: not built, or a table beyond their room."""
    lib = library()
    if lib is None or len(tp.plan.columns) > MAX_COLUMNS or len(tp.plan.keys) > MAX_KEYS:
        return None
    return TableLoops(lib.axilla_table_cells, tp, pairs, rounded=rounded, times=times,
                      times_after=times_after, divide_by=divide_by, near_tie=near_tie)
