"""Input plumbing of the batch forms: numpy arrays stay arrays, anything else becomes a list.

numpy is optional: it is looked up once, on the first batch call, and never imported when
the package is imported.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable
    from types import ModuleType

    import numpy as np
    from numpy.typing import NDArray

__all__: list[str] = []

NUMPY_MIN_LEN = 256
"""Below this many samples a list is filtered in pure Python: the conversions to and from
an array would cost more than they save."""

_numpy: ModuleType | None = None
_numpy_checked = False


def numpy_module() -> ModuleType | None:
    """Numpy if it can be imported, else None (looked up once)."""
    global _numpy, _numpy_checked
    if not _numpy_checked:
        try:
            import numpy
        except ImportError:
            numpy = None  # type: ignore[assignment]
        _numpy = numpy
        _numpy_checked = True
    return _numpy


def is_array(samples: object) -> bool:
    """Whether ``samples`` is a numpy array (checked without importing numpy)."""
    np_mod = sys.modules.get("numpy")
    return np_mod is not None and isinstance(samples, np_mod.ndarray)


def array_input(samples: Any) -> NDArray[np.float64]:
    """A 1-D numpy array of real numbers as a contiguous float64 array.

    Raises:
        ValueError: the array is not one-dimensional.
        TypeError: its dtype is not boolean, integer or floating point.

    """
    import numpy as np

    if samples.ndim != 1:
        raise ValueError(f"samples must be a one-dimensional array, got an array of shape {samples.shape}")
    if samples.dtype.kind not in "biuf":
        raise TypeError(f"samples must hold real numbers, got an array of dtype {samples.dtype}")
    return np.ascontiguousarray(samples, dtype=np.float64)


def list_as_array(values: list[Any]) -> NDArray[np.float64] | None:
    """``values`` as a float64 array when numpy is available and it pays off, else None.

    None is also returned when the values are not all plain real numbers, so that the
    pure-Python path handles (or rejects) them exactly as the streaming filter would.
    """
    if len(values) < NUMPY_MIN_LEN:
        return None
    np_mod = numpy_module()
    if np_mod is None:
        return None
    import numpy as np

    try:
        array = np.asarray(values)
    except (TypeError, ValueError):
        return None
    if array.ndim != 1 or array.dtype.kind not in "biuf":
        return None
    return np.ascontiguousarray(array, dtype=np.float64)


def as_list(samples: Iterable[Any]) -> list[Any]:
    """The samples as a list (copied only when they are not one already).

    Raises:
        TypeError: ``samples`` is not iterable.

    """
    if isinstance(samples, list):
        return samples
    try:
        iterator = iter(samples)
    except TypeError:
        raise TypeError(
            f"samples must be an iterable of real numbers, got {type(samples).__name__}"
        ) from None
    return list(iterator)
