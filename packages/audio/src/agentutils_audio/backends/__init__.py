"""The built-in audio backends: ``python`` (stdlib only) and ``numpy`` (vectorised)."""

from __future__ import annotations

from .numpy_backend import NumpyBackend
from .python_backend import PythonBackend

__all__ = ["NumpyBackend", "PythonBackend"]
