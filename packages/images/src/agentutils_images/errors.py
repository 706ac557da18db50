"""Exceptions raised by agentutils-images."""

from __future__ import annotations

__all__ = ["InvalidFrameError", "UnsupportedFormatError"]


class InvalidFrameError(ValueError):
    """A frame cannot be read as declared.

    Its buffer type is unknown or unsupported, its data is shorter than its width, height
    and type need, or its dimensions are odd for a 4:2:0 type (``I420``, ``NV12``). A
    ``ValueError`` subclass.
    """


class UnsupportedFormatError(ValueError):
    """An image format that no registered encoder writes, or that the chosen encoder does not.

    A ``ValueError`` subclass. A format that an encoder writes but that cannot be used here
    (its optional dependency is missing) raises ``agentutils_core.ProviderUnavailableError``
    instead, naming the extra to install.
    """
