"""Hook implementations of the example plugin (named by its ``agentutils`` entry point)."""

from __future__ import annotations

import importlib.util

from agentutils_core import hookimpl

__all__: list[str] = ["agentutils_audio_backends", "agentutils_audio_decoders", "agentutils_pool_connectors"]


@hookimpl
def agentutils_audio_backends() -> list[object] | None:
    """Provide the ``example`` audio backend (a counting wrapper of the ``python`` one).

    Returns ``None`` when agentutils-audio is not installed, so the plugin's other hooks
    keep working without it.
    """
    if importlib.util.find_spec("agentutils_audio") is None:
        return None
    from .audio_backend import CountingBackend

    return [CountingBackend()]


@hookimpl
def agentutils_pool_connectors() -> list[object]:
    """Provide the ``memory`` pool connector: an in-memory echo for ``memory://<name>`` URLs."""
    from .memory_connector import MemoryConnector

    return [MemoryConnector()]


# optionalhook: the hook is declared by agentutils-codecs; without it installed, the rest
# of this plugin still loads.
@hookimpl(optionalhook=True)
def agentutils_audio_decoders() -> list[object]:
    """Provide the ``s8`` audio decoder: headerless signed 8-bit PCM (``audio/x-s8``)."""
    from .s8_decoder import S8Decoder

    return [S8Decoder()]
