"""The built-in resampler backends: ``soxr``, ``numpy`` and ``python``.

``numpy`` and ``python`` run the same polyphase windowed-sinc filter (designed once, in
``_design``); ``soxr`` wraps python-soxr. None imports numpy or soxr until a stream opens.
"""

from __future__ import annotations

from ._design import QUALITIES, QualitySpec
from .numpy_resampler import NumpyResampler
from .python_resampler import PythonResampler
from .soxr_resampler import SoxrResampler

__all__ = ["QUALITIES", "NumpyResampler", "PythonResampler", "QualitySpec", "SoxrResampler"]
