"""Hook implementations of agentutils-codecs, named by its ``agentutils`` entry point.

The built-in decoders are registered here exactly as a third-party plugin registers its
own: nothing is registered when :mod:`agentutils_codecs` is imported.
"""

from __future__ import annotations

from agentutils_core import hookimpl

from .decoders import AvDecoder, G711Decoder, PcmDecoder, WavDecoder

__all__ = ["agentutils_audio_decoders"]


@hookimpl
def agentutils_audio_decoders() -> list[object]:
    """Provide the ``wav``, ``pcm`` and ``g711`` decoders, and ``av`` (available with PyAV)."""
    return [WavDecoder(), PcmDecoder(), G711Decoder(), AvDecoder()]
