"""``AudioByteStream``: re-chunk a stream of PCM bytes into frames of a fixed size."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from agentutils_core.checks import check_count, check_num_channels, check_sample_rate

from .frame import AudioFrame, exact_frame_builder
from .pcm import pcm16_bytes

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["AudioByteStream"]

T = TypeVar("T")

_MIN_PROGRESSIVE_MS = 20


class AudioByteStream(Generic[T]):
    r"""Buffer bytes of 16-bit interleaved PCM and cut them into whole frames.

    Push chunks of any size (even ones that end inside a sample); every complete frame
    of ``samples_per_channel`` samples comes back, in order, and the rest waits for the
    next push. Time is linear in the bytes pushed.

    With ``progressive=True`` (as in ``livekit.agents``) the first frame holds 20 ms and
    each next frame doubles until ``samples_per_channel`` is reached, for a fast first
    frame.

    Args:
        sample_rate: samples per second per channel (> 0).
        num_channels: interleaved channels (> 0).
        samples_per_channel: samples per channel in each frame (> 0); 100 ms
            (``sample_rate // 10``) when omitted.
        progressive: start with small frames, see above.
        frame_type: what builds each frame, called with the keywords ``data``,
            ``sample_rate``, ``num_channels`` and ``samples_per_channel``:
            :class:`AudioFrame` by default, ``livekit.rtc.AudioFrame`` works as is.

    Raises:
        TypeError: a count is not an int.
        ValueError: a count is not positive.

    Example:
        >>> stream = AudioByteStream(sample_rate=8000, num_channels=1, samples_per_channel=2)
        >>> [bytes(f.data) for f in stream.push(b"\x01\x00\x02\x00\x03")]
        [b'\x01\x00\x02\x00']
        >>> stream.push(b"\x00"), [bytes(f.data) for f in stream.flush()]
        ([], [b'\x03\x00'])

    """

    @overload
    def __init__(
        self: AudioByteStream[AudioFrame],
        sample_rate: int,
        num_channels: int,
        samples_per_channel: int | None = None,
        progressive: bool = False,
    ) -> None: ...

    @overload
    def __init__(
        self: AudioByteStream[T],
        sample_rate: int,
        num_channels: int,
        samples_per_channel: int | None = None,
        progressive: bool = False,
        *,
        frame_type: Callable[..., T],
    ) -> None: ...

    def __init__(
        self,
        sample_rate: int,
        num_channels: int,
        samples_per_channel: int | None = None,
        progressive: bool = False,
        *,
        frame_type: Callable[..., Any] = AudioFrame,
    ) -> None:
        check_sample_rate(sample_rate)
        check_num_channels(num_channels)
        if samples_per_channel is None:
            samples_per_channel = max(1, sample_rate // 10)
        check_count(samples_per_channel, "samples_per_channel", minimum=1)
        if not callable(frame_type):
            raise TypeError(f"frame_type must be callable, got {type(frame_type).__name__}")
        self._sample_rate = sample_rate
        self._num_channels = num_channels
        self._samples_per_channel = samples_per_channel
        self._frame_type = frame_type
        self._bytes_per_sample = 2 * num_channels
        self._target = samples_per_channel * self._bytes_per_sample
        if progressive:
            first = max(1, sample_rate * _MIN_PROGRESSIVE_MS // 1000) * self._bytes_per_sample
            self._initial = min(first, self._target)
        else:
            self._initial = self._target
        self._current = self._initial
        self._buf = bytearray()
        # Builds a full-size frame from exactly its bytes: for AudioFrame, without checking
        # each frame again (the counts were checked above).
        self._make_full: Callable[[bytearray], Any]
        if frame_type is AudioFrame:
            self._make_full = exact_frame_builder(sample_rate, num_channels, samples_per_channel)
        else:
            self._make_full = self._frame

    @property
    def sample_rate(self) -> int:
        """Samples per second per channel of the frames produced."""
        return self._sample_rate

    @property
    def num_channels(self) -> int:
        """Channels of the frames produced."""
        return self._num_channels

    @property
    def samples_per_channel(self) -> int:
        """Samples per channel of each full frame."""
        return self._samples_per_channel

    @property
    def buffered_duration(self) -> float:
        """Seconds of audio waiting for the next frame (whole samples only)."""
        return len(self._buf) // self._bytes_per_sample / self._sample_rate

    def _frame(self, data: bytearray) -> T:
        return self._frame_type(  # type: ignore[no-any-return]
            data=data,
            sample_rate=self._sample_rate,
            num_channels=self._num_channels,
            samples_per_channel=len(data) // self._bytes_per_sample,
        )

    def push(self, data: object) -> list[T]:
        """Append ``data`` and return the complete frames now available (maybe none).

        Args:
            data: bytes, or any C-contiguous buffer of bytes or native int16 items (a
                memoryview, ``array('h')``, an int16 numpy array of any shape); chunks may
                end inside a sample.

        Raises:
            TypeError: ``data`` is not a buffer, or holds items other than bytes or int16
                (float or int32 samples: convert them with :func:`to_pcm16`).
            ValueError: ``data`` is not C-contiguous.

        """
        buf = self._buf
        # Through the package's one ingestion path: ``buf += data`` would let numpy add the
        # bytearray to an array (a broadcasting error, or a new array and lost samples).
        buf += data if type(data) is bytes else pcm16_bytes(data)
        size = self._current
        end = len(buf)
        if end < size:
            return []
        if size == self._target:  # the steady state: frames of one size
            end -= end % size
            make = self._make_full
            frames = [make(buf[start : start + size]) for start in range(0, end, size)]
        else:
            frames, end = self._progressive(buf, size)
        # Deleting a prefix of a bytearray is O(1) in CPython (it moves its start), so the
        # whole stream stays linear however small the pushes are.
        del buf[:end]
        return frames

    def _progressive(self, buf: bytearray, size: int) -> tuple[list[T], int]:
        """Cut frames doubling from ``size`` up to the target; return them and the bytes used."""
        frames: list[T] = []
        start = 0
        end = len(buf)
        while end - start >= size:
            frames.append(self._frame(buf[start : start + size]))
            start += size
            if size < self._target:
                size = min(size * 2, self._target)
        self._current = size
        return frames, start

    write = push
    """Alias of :meth:`push`."""

    def flush(self) -> list[T]:
        """Return the buffered whole samples as one (shorter) frame, or ``[]`` if none.

        A trailing partial sample stays buffered for the next :meth:`push`, so a flush in
        the middle of a stream never misaligns what follows. Progressive sizing is not
        reset (see :meth:`reset_progressive`).
        """
        whole = len(self._buf) - len(self._buf) % self._bytes_per_sample
        if whole == 0:
            return []
        frame = self._frame(self._buf[:whole])
        del self._buf[:whole]
        return [frame]

    def reset_progressive(self) -> None:
        """Start again from the small first frame, keeping what is buffered."""
        self._current = self._initial

    def clear(self) -> None:
        """Drop everything buffered and reset progressive sizing."""
        self._buf.clear()
        self.reset_progressive()

    def __repr__(self) -> str:
        return (
            f"AudioByteStream(sample_rate={self._sample_rate}, num_channels={self._num_channels}, "
            f"samples_per_channel={self._samples_per_channel}, buffered={len(self._buf)} bytes)"
        )
