"""Hook implementations of agentutils-audio, named by its ``agentutils`` entry point.

The built-in backends are registered here exactly as a third-party plugin registers its
own: nothing is registered when :mod:`agentutils_audio` is imported.
"""

from __future__ import annotations

from agentutils_core import hookimpl

from .backends import NumpyBackend, PythonBackend
from .resamplers import NumpyResampler, PythonResampler, SoxrResampler

__all__ = ["agentutils_audio_backends", "agentutils_audio_resamplers"]


@hookimpl
def agentutils_audio_backends() -> list[object]:
    """Provide the ``python`` backend and the ``numpy`` one (available when numpy imports)."""
    return [PythonBackend(), NumpyBackend()]


@hookimpl
def agentutils_audio_resamplers() -> list[object]:
    """Provide the ``soxr``, ``numpy`` and ``python`` resamplers (each available when it imports)."""
    return [SoxrResampler(), NumpyResampler(), PythonResampler()]
