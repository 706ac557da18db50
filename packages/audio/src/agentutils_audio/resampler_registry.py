"""The audio resampler plugin kind: the ``ResamplerBackend`` contract, its hook, its registry.

This module is named in the ``agentutils.hookspecs`` entry-point group, so core adds the
:func:`agentutils_audio_resamplers` specification before any plugin loads. A backend is
chosen by

1. the ``backend=`` argument (a name, or a backend object),
2. then the ``AGENTUTILS_AUDIO_RESAMPLER`` environment variable,
3. then the highest ``priority`` among the available backends (``soxr`` 20, ``numpy``
   10, ``python`` 0).

The built-ins are registered through this distribution's ``agentutils`` entry point
(``agentutils_audio.hooks``), as a third-party backend would be.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from agentutils_core import Provider, ProviderRegistry, check_provider, hookspec

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .backend import BytesLike

__all__ = [
    "RESAMPLER_ENV_VAR",
    "ResamplerBackend",
    "ResamplerStream",
    "agentutils_audio_resamplers",
    "audio_resamplers",
    "get_resampler_backend",
]

RESAMPLER_ENV_VAR = "AGENTUTILS_AUDIO_RESAMPLER"
"""Environment variable naming the resampler backend to use when no ``backend=`` is passed."""


class ResamplerStream(Protocol):
    """One resampling stream, opened by :meth:`ResamplerBackend.open`.

    Buffers hold whole interleaved native-endian int16 samples (the caller checks them).
    """

    def push(self, data: BytesLike) -> bytes:
        """Take input samples; return the output samples now complete (maybe none)."""
        ...

    def flush(self) -> bytes:
        """Return every remaining output sample, then be ready for a new stream.

        A whole stream of ``n`` input samples gives ``round(n * output_rate /
        input_rate)`` outputs (±1), the first aligned with the first input (no delay).
        """
        ...


@runtime_checkable
class ResamplerBackend(Provider, Protocol):
    """What a resampler backend implements."""

    def open(self, input_rate: int, output_rate: int, num_channels: int, quality: str) -> ResamplerStream:
        """Return a new stream converting ``input_rate`` to ``output_rate``.

        The caller has checked the arguments: distinct positive rates, a positive channel
        count, a name of ``agentutils_audio.RESAMPLER_QUALITIES``.
        """
        ...


@hookspec
def agentutils_audio_resamplers() -> Iterable[object] | None:
    """Return the audio resampler backends this plugin provides.

    Called once per process, when the resampler registry is first used. Each item must
    satisfy :class:`ResamplerBackend`: a unique ``name``, an integer ``priority``,
    ``is_available()`` and ``open()``. Return an empty iterable, or ``None``, to provide
    none.
    """


def _check_resampler(item: object) -> ResamplerBackend:
    check_provider(item, "audio resampler", ("open",))
    return item  # type: ignore[return-value]


audio_resamplers: ProviderRegistry[ResamplerBackend] = ProviderRegistry(
    "agentutils_audio_resamplers",
    kind="audio resampler",
    env_var=RESAMPLER_ENV_VAR,
    check=_check_resampler,
    extra="agentutils-audio[soxr]",
)
"""The registry of resampler backends discovered from plugins (``names()``, ``select()`` ...)."""


def get_resampler_backend(backend: str | ResamplerBackend | None = None) -> ResamplerBackend:
    """Return the resampler backend to use: ``backend`` itself, the one it names, or the default.

    Raises:
        agentutils_core.UnknownProviderError: no backend has that name (the message lists
            the known ones).
        agentutils_core.ProviderUnavailableError: the backend cannot run here (``soxr``
            without python-soxr: the message names ``agentutils-audio[soxr]``).
        TypeError: ``backend`` is neither a name, a backend object, nor ``None``.

    """
    return audio_resamplers.choose(backend, wanted="audio resampling")
