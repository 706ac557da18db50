"""The built-in decoders, registered through this distribution's entry point (see ``hooks``)."""

from __future__ import annotations

from .av_decoder import AvDecoder
from .pcm import G711Decoder, PcmDecoder
from .wav import WavDecoder

__all__ = ["AvDecoder", "G711Decoder", "PcmDecoder", "WavDecoder"]
