"""The ``AudioBackend`` plugin contract and the registry that selects a backend.

Backends do the sample arithmetic on raw buffers; the frame functions of this package
validate the frames, call the backend once, and wrap the result. A backend is chosen by

1. the ``backend=`` argument of a function (a name, or a backend object),
2. then the ``AGENTUTILS_AUDIO_BACKEND`` environment variable,
3. then the highest ``priority`` among the available backends.

The built-in ``python`` (stdlib) and ``numpy`` backends are registered through this
distribution's ``agentutils`` entry point, as a third-party backend would be.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from agentutils_core import Provider, ProviderRegistry, check_provider, hookspec

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from .levels import AudioLevels

__all__ = [
    "BACKEND_ENV_VAR",
    "AudioBackend",
    "BytesLike",
    "audio_backends",
    "get_backend",
]

BACKEND_ENV_VAR = "AGENTUTILS_AUDIO_BACKEND"
"""Environment variable naming the audio backend to use when no ``backend=`` is passed."""

BytesLike = bytes | bytearray | memoryview
"""Buffers handed to and returned by backends: native-endian int16 samples, byte format."""

_OPERATIONS = ("combine", "mix", "apply_gain", "remix", "levels")


@runtime_checkable
class AudioBackend(Provider, Protocol):
    """What an audio backend implements.

    Every buffer passed in holds whole native-endian int16 samples (even length, byte
    format) and has already been validated by the caller; results are new buffers.
    Backends must give identical results on identical input: rounding is half to even,
    results saturate to ``[-32768, 32767]``. ``name``, ``priority`` and ``is_available()``
    are :class:`agentutils_core.Provider`'s: the name is what ``backend=`` and
    ``AGENTUTILS_AUDIO_BACKEND`` select (the built-ins: ``python``, priority 0, and
    ``numpy``, priority 10).
    """

    def combine(self, buffers: Sequence[BytesLike]) -> BytesLike:
        """Concatenate ``buffers`` in order."""
        ...

    def mix(self, buffers: Sequence[BytesLike], gains: Sequence[float] | None) -> BytesLike:
        """Sum equal-length buffers sample by sample, saturating.

        Without ``gains`` the sum is exact integer arithmetic. With ``gains`` (one finite
        linear factor per buffer) each sample is ``round(x0*g0 + x1*g1 + ...)``, summed
        in float64 left to right, then saturated.
        """
        ...

    def apply_gain(self, buffer: BytesLike, gain_db: float) -> BytesLike:
        """Scale every sample by ``10 ** (gain_db / 20)``, round half to even, saturate."""
        ...

    def remix(self, buffer: BytesLike, in_channels: int, out_channels: int) -> BytesLike:
        """Change the channel count: copy (N→N), duplicate (1→N) or average (N→1, floor)."""
        ...

    def levels(self, buffer: BytesLike) -> AudioLevels:
        """RMS and peak of every sample, in dBFS (see :meth:`AudioLevels.from_stats`)."""
        ...


@hookspec
def agentutils_audio_backends() -> Iterable[object] | None:
    """Return the audio backends this plugin provides.

    The specification of the kind, declared here and named in this distribution's
    ``agentutils.hookspecs`` entry point. Called once per process, when the registry is
    first used. Each item must satisfy :class:`AudioBackend`: a unique ``name``, an
    integer ``priority`` (higher wins when no backend is named), ``is_available()``, and
    the audio operations. Return an empty iterable, or ``None``, to provide none.
    """


def _check_backend(item: object) -> AudioBackend:
    check_provider(item, "audio backend", _OPERATIONS)
    return item  # type: ignore[return-value]


audio_backends: ProviderRegistry[AudioBackend] = ProviderRegistry(
    "agentutils_audio_backends",
    kind="audio backend",
    env_var=BACKEND_ENV_VAR,
    check=_check_backend,
)
"""The registry of audio backends discovered from plugins (``names()``, ``select()`` ...)."""


def get_backend(backend: str | AudioBackend | None = None) -> AudioBackend:
    """Return the backend to use: ``backend`` itself, the one it names, or the default.

    The default is the backend named by ``AGENTUTILS_AUDIO_BACKEND``, else the available
    backend with the highest priority. Discovery happens once; later calls are a cached
    lookup.

    Raises:
        agentutils_core.UnknownProviderError: no backend has that name (the message
            lists the known ones).
        agentutils_core.ProviderUnavailableError: the named backend cannot run here (for
            example ``numpy`` without numpy installed).
        TypeError: ``backend`` is neither a name nor a backend object.

    """
    return audio_backends.choose(backend)
