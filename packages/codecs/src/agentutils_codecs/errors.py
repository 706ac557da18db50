"""Exceptions raised by agentutils-codecs."""

from __future__ import annotations

__all__ = ["DecodeError", "InputClosedError", "UnsupportedFormatError"]


class DecodeError(ValueError):
    """Corrupt or truncated audio data, raised from the decoder's iteration.

    Every complete sample decoded before the fault has been delivered when it is raised.

    Attributes:
        decoder: the name of the decoder that found the fault (``"wav"``, ``"av"``...).
        format: the format being decoded (a MIME type, or a name such as ``"wav"``).
        offset: the byte offset in the stream where the fault was found (``None`` when
            the decoder cannot tell).

    """

    def __init__(self, message: str, *, decoder: str, format: str | None, offset: int | None) -> None:
        where = f" at byte {offset}" if offset is not None else ""
        super().__init__(f"{decoder} decoder, format {format or 'unknown'}{where}: {message}")
        self._message = message
        self.decoder = decoder
        self.format = format
        self.offset = offset

    def __reduce__(self) -> tuple[object, ...]:
        # The default rebuilds from args (the whole message) without the keyword-only
        # fields, which fails: pickling (a process pool) and copying would raise TypeError.
        return (_rebuild, (type(self), self._message, self.decoder, self.format, self.offset), self.__dict__)


def _rebuild(
    cls: type[DecodeError], message: str, decoder: str, format: str | None, offset: int | None
) -> DecodeError:
    return cls(message, decoder=decoder, format=format, offset=offset)


class UnsupportedFormatError(LookupError):
    """No installed decoder handles the stream's format (the message names the extra to install)."""

    def __str__(self) -> str:
        # LookupError subclasses such as KeyError quote their message; keep it readable.
        return str(self.args[0]) if self.args else ""


class InputClosedError(RuntimeError):
    """``push()`` was called after ``end_input()`` or ``aclose()``."""
