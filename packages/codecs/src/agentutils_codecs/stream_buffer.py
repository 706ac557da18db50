"""``StreamBuffer``: a thread-safe byte pipe between an event loop and a decoding thread."""

from __future__ import annotations

import threading

__all__ = ["StreamBuffer"]


class StreamBuffer:
    r"""A thread-safe byte pipe: one side writes, the other reads and blocks until data comes.

    It is the file object a decoder library (PyAV) reads from in a worker thread while the
    event loop writes what the network delivers. Consumed bytes are dropped as reading
    goes (compacted in place once they make up half of the storage), so memory holds what
    is written and not yet read, not the whole stream. It is not seekable.

    Example:
        >>> buf = StreamBuffer()
        >>> buf.write(b"abc")
        >>> buf.end_input()
        >>> buf.read(2), buf.read(), buf.read()
        (b'ab', b'c', b'')

    """

    _COMPACT_MIN = 64 * 1024  # below this many consumed bytes, compaction is not worth a copy

    def __init__(self) -> None:
        self._buf = bytearray()
        self._pos = 0  # bytes of _buf already read
        self._cond = threading.Condition(threading.Lock())
        self._eof = False
        self._closed = False
        self._total_read = 0

    def write(self, data: bytes | bytearray | memoryview) -> None:
        """Append ``data`` and wake a blocked reader; ignored once the buffer is closed.

        Raises:
            TypeError: ``data`` is not a bytes-like object.
            RuntimeError: after :meth:`end_input`.

        """
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"data must be bytes, bytearray or memoryview, got {type(data).__name__}")
        with self._cond:
            if self._closed:
                return
            if self._eof:
                raise RuntimeError("StreamBuffer.write() after end_input(): no more data can be written")
            self._buf += data
            self._cond.notify_all()

    def read(self, size: int = -1) -> bytes:
        """Return up to ``size`` bytes (all that are available when ``size < 0``).

        Blocks until at least one byte is available; returns ``b""`` at the end of input
        (after :meth:`end_input`, once everything was read) or as soon as the buffer is
        closed.
        """
        if size == 0:
            return b""
        with self._cond:
            while True:
                if self._closed:
                    return b""
                available = len(self._buf) - self._pos
                if available > 0:
                    n = available if size < 0 else min(size, available)
                    data = bytes(self._buf[self._pos : self._pos + n])
                    self._pos += n
                    self._total_read += n
                    self._compact()
                    return data
                if self._eof:
                    return b""
                self._cond.wait()

    def _compact(self) -> None:
        if self._pos == len(self._buf):
            self._buf.clear()
            self._pos = 0
        elif self._pos >= self._COMPACT_MIN and self._pos * 2 >= len(self._buf):
            del self._buf[: self._pos]
            self._pos = 0

    def end_input(self) -> None:
        """Mark the end of input: reads return ``b""`` once the remaining bytes are read."""
        with self._cond:
            self._eof = True
            self._cond.notify_all()

    def close(self) -> None:
        """Drop what is buffered and make every read (pending or future) return ``b""``."""
        with self._cond:
            self._closed = True
            self._buf = bytearray()
            self._pos = 0
            self._cond.notify_all()

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    @property
    def pending(self) -> int:
        """Bytes written and not read yet."""
        with self._cond:
            return len(self._buf) - self._pos

    @property
    def total_read(self) -> int:
        """Bytes read since the buffer was created (the reader's offset in the stream)."""
        return self._total_read
