"""Read and write WAV files (16-bit integer PCM) with the standard library ``wave`` module."""

from __future__ import annotations

import os
import stat
from typing import IO, TYPE_CHECKING

from agentutils_core.checks import check_count

from . import _frames
from .errors import WavFormatError
from .frame import AudioFrame

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .frame_like import FrameLike

__all__ = ["WavSource", "read_wav", "write_wav"]


WavSource = str | os.PathLike[str] | IO[bytes]
"""A path, or a binary file object (readable for :func:`read_wav`, writable for :func:`write_wav`)."""


def read_wav(source: WavSource, *, samples_per_channel: int | None = None) -> list[AudioFrame]:
    """Read a 16-bit PCM WAV file into frames.

    Args:
        source: a path or a binary file object.
        samples_per_channel: cut the audio into frames of this many samples (the last
            may be shorter); one frame holding the whole file when omitted.

    Returns:
        The frames, in order (empty for a file without samples).

    Raises:
        WavFormatError: (a ``ValueError``) the file is not a WAV file, is truncated (a
            chunk runs past its end) or corrupt, or is not 16-bit integer PCM; the message
            says what was found. Plain PCM and ``WAVE_FORMAT_EXTENSIBLE`` files with a PCM
            subformat are read alike on every Python version.
        OSError: the path cannot be opened.
        TypeError, ValueError: ``samples_per_channel`` is not a positive int.

    """
    if samples_per_channel is not None:
        check_count(samples_per_channel, "samples_per_channel", minimum=1)
    name = _name(source)
    rate, nch, data = _parse(_read_all(source), name)
    bytes_per_sample = 2 * nch
    total = len(data) // bytes_per_sample
    if total == 0:
        return []
    step = samples_per_channel or total
    frames = []
    for start in range(0, total, step):
        count = min(step, total - start)
        chunk = bytearray(data[start * bytes_per_sample : (start + count) * bytes_per_sample])
        frames.append(AudioFrame(chunk, rate, nch, count))
    return frames


def write_wav(destination: WavSource, frames: FrameLike | Iterable[FrameLike]) -> None:
    """Write a frame, or frames of one format, to a 16-bit PCM WAV file.

    Everything is checked before anything is written. A path is written to a temporary
    file in the same folder, then renamed into place, so a failed write never damages an
    existing file (which keeps its permissions when it is replaced; a read-only file raises
    ``PermissionError`` as ``open()`` would, and a device such as ``/dev/null`` is written to).

    Args:
        destination: a path (created or replaced) or a writable binary file object.
        frames: a frame or an iterable of frames with one sample rate and channel count.

    Raises:
        ValueError: there are no frames.
        FormatMismatchError: the frames differ in sample rate or channel count.
        WavFormatError: (a ``ValueError``) the format cannot be described by a WAV header
            (more than 32767 channels, a sample rate or byte rate above 2**32 - 1, more
            than 4 GiB of samples); the message names the limit.
        TypeError: an item is not frame-like.

    """
    if hasattr(frames, "samples_per_channel"):
        items: list[FrameLike] | tuple[FrameLike, ...] = [frames]  # type: ignore[list-item]
    else:
        items = _frames.frame_items(frames, "write_wav")
    if not items:
        raise ValueError("write_wav needs at least one frame, got none")
    parts = [_frames.pcm(f) for f in items]
    _frames.check_same_format(parts)
    _, rate, nch, _ = parts[0]
    check_wav_header(rate, nch, sum(len(p[0]) for p in parts))
    buffers = [p[0] for p in parts]
    if isinstance(destination, (str, os.PathLike)):
        _replace(os.fspath(destination), rate, nch, buffers)
    else:
        _write(destination, rate, nch, buffers)


_U16_MAX = 0xFFFF
_U32_MAX = 0xFFFFFFFF
_HEADER_SIZE = 36  # what the RIFF size counts besides the samples


def check_wav_header(rate: int, nch: int, nbytes: int) -> None:
    """Check that a WAV header can describe 16-bit samples of this format and size.

    Raises:
        WavFormatError: a field would not fit: the channel count (block align ``2 * nch``
            is a 16-bit field), the sample rate or byte rate (32-bit fields), or the
            data size (the RIFF size is a 32-bit field).

    """
    if 2 * nch > _U16_MAX:
        raise WavFormatError(
            f"cannot write {nch} channels: a WAV header holds at most {_U16_MAX // 2} channels of "
            "16-bit samples (its block align, 2 bytes x channels, is a 16-bit field)"
        )
    if rate > _U32_MAX:
        raise WavFormatError(f"cannot write sample rate {rate} Hz: a WAV header holds at most {_U32_MAX} Hz")
    if rate * nch * 2 > _U32_MAX:
        raise WavFormatError(
            f"cannot write byte rate {rate} Hz x {nch} channel(s) x 2 bytes = {rate * nch * 2}: "
            f"a WAV header holds at most {_U32_MAX} bytes per second"
        )
    if nbytes > _U32_MAX - _HEADER_SIZE:
        raise WavFormatError(
            f"cannot write {nbytes} bytes of samples: a WAV file holds at most {_U32_MAX - _HEADER_SIZE}"
        )


def _write(out: IO[bytes], rate: int, nch: int, buffers: list[bytes | bytearray | memoryview]) -> None:
    import wave

    with wave.open(out, "wb") as wav:
        wav.setnchannels(nch)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        for data in buffers:
            wav.writeframesraw(data)


def _replace(path: str, rate: int, nch: int, buffers: list[bytes | bytearray | memoryview]) -> None:
    """Write to a new file next to ``path``, then rename it over ``path`` (atomic on POSIX and Windows)."""
    target = os.path.realpath(path)  # a symlink keeps pointing to the file it names
    folder, name = os.path.split(target)
    try:
        st_mode: int | None = os.stat(target).st_mode
    except FileNotFoundError:
        st_mode = None
    if st_mode is not None and not stat.S_ISREG(st_mode):  # /dev/null, a FIFO: nothing to replace
        with open(target, "wb") as out:
            _write(out, rate, nch, buffers)
        return
    if st_mode is not None and not os.access(target, os.W_OK):
        # What open(path, "wb") would say: renaming over a read-only file would succeed.
        raise PermissionError(13, "Permission denied: the file is read-only", path)
    mode = None if st_mode is None else stat.S_IMODE(st_mode)
    while True:
        temporary = os.path.join(folder, f".{name}.{os.urandom(6).hex()}.tmp")
        try:
            # 0o666: created as open() would create the file, the umask applied.
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except FileExistsError:  # pragma: no cover - 48 random bits
            continue
        break
    try:
        with open(fd, "wb") as out:
            _write(out, rate, nch, buffers)
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        import contextlib

        with contextlib.suppress(OSError):  # already gone, or the folder became read-only
            os.remove(temporary)
        raise


_PCM = 1
_EXTENSIBLE = 0xFFFE
# The SubFormat GUID of WAVE_FORMAT_EXTENSIBLE is the format code followed by these bytes.
_GUID_TAIL = bytes.fromhex("000000001000800000aa00389b71")
_FORMAT_NAMES = {3: "IEEE float", 6: "A-law", 7: "mu-law", 0x11: "IMA ADPCM", 0x55: "MPEG layer 3"}


def _read_all(source: WavSource) -> bytes:
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as file:
            return file.read()
    return source.read()


def _parse(raw: bytes, name: str) -> tuple[int, int, memoryview]:
    """Return ``(sample_rate, num_channels, whole samples of the data chunk)`` of a WAV file.

    A small RIFF reader rather than :mod:`wave`, whose support of ``WAVE_FORMAT_EXTENSIBLE``
    and whose errors for truncated chunks differ between Python versions.
    """
    if len(raw) < 12 or raw[:4] != b"RIFF" or raw[8:12] != b"WAVE":
        found = "an empty file" if not raw else "the file does not start with a RIFF/WAVE header"
        raise WavFormatError(f"{name}: not a valid 16-bit PCM WAV file ({found})")
    fmt: tuple[int, int] | None = None
    pos, end = 12, len(raw)
    while pos + 8 <= end:
        chunk_id = raw[pos : pos + 4]
        size = int.from_bytes(raw[pos + 4 : pos + 8], "little")
        body = pos + 8
        if chunk_id == b"data":
            if fmt is None:
                raise WavFormatError(f"{name}: corrupt: the data chunk comes before the fmt chunk")
            rate, nch = fmt
            bps = 2 * nch
            if size > end - body:
                raise WavFormatError(
                    f"{name}: truncated: the header declares {size // bps} samples per channel, "
                    f"the data holds {(end - body) // bps}"
                )
            return rate, nch, memoryview(raw)[body : body + size - size % bps]
        if size > end - body:
            raise WavFormatError(
                f"{name}: truncated: the {chunk_id.decode('latin-1')!r} chunk declares {size} bytes, "
                f"the file ends {end - body} bytes after its header"
            )
        if chunk_id == b"fmt ":
            fmt = _parse_fmt(raw[body : body + size], name)
        pos = body + size + (size & 1)  # chunks are padded to an even size
    missing = "fmt and data chunks" if fmt is None else "data chunk"
    raise WavFormatError(f"{name}: truncated: the file ends before its {missing}")


def _parse_fmt(body: bytes, name: str) -> tuple[int, int]:
    if len(body) < 16:
        raise WavFormatError(f"{name}: corrupt fmt chunk: expected at least 16 bytes, got {len(body)}")
    tag = int.from_bytes(body[0:2], "little")
    nch = int.from_bytes(body[2:4], "little")
    rate = int.from_bytes(body[4:8], "little")
    align = int.from_bytes(body[12:14], "little")
    bits = int.from_bytes(body[14:16], "little")
    if tag == _EXTENSIBLE:
        if len(body) < 40:
            raise WavFormatError(
                f"{name}: corrupt fmt chunk: WAVE_FORMAT_EXTENSIBLE needs 40 bytes, got {len(body)}"
            )
        subformat = body[24:40]
        tag = int.from_bytes(subformat[:2], "little") if subformat[2:] == _GUID_TAIL else -1
    if tag != _PCM:
        kind = _FORMAT_NAMES.get(tag, "an unknown subformat" if tag == -1 else "unknown")
        shown = "" if tag == -1 else f"format tag {tag}, "
        raise WavFormatError(f"{name}: expected integer PCM (format tag 1), got {shown}{kind}")
    if bits != 16:
        raise WavFormatError(f"{name}: expected 16-bit PCM (sample width 2 bytes), got {bits}-bit samples")
    if nch <= 0 or rate <= 0 or align != 2 * nch:
        raise WavFormatError(
            f"{name}: corrupt header: {nch} channel(s) at {rate} Hz with {align} bytes per sample frame"
        )
    return rate, nch


def _name(source: object) -> str:
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    return getattr(source, "name", None) or type(source).__name__
