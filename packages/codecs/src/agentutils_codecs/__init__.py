"""agentutils-codecs.

Stream-decode provider audio (WAV, PCM, G.711, mp3, opus, aac, flac) into PCM frames, with pluggable decoders.
"""

from __future__ import annotations

from .__about__ import __version__

__all__ = ["__version__"]
