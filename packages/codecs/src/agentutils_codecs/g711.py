"""G.711 µ-law and A-law: 16-bit PCM <-> 8-bit codes, bit-exact with the former ``audioop``.

``audioop`` left the standard library in Python 3.13, yet telephony providers still send
G.711. These functions give the results of ``audioop.lin2ulaw(pcm, 2)``,
``audioop.ulaw2lin(data, 2)``, ``audioop.lin2alaw(pcm, 2)`` and ``audioop.alaw2lin(data, 2)``
byte for byte. PCM is signed 16-bit little-endian. Decoding is two ``bytes.translate``
calls; encoding looks every sample up in a 64 Ki-entry table (built once, on first use),
with numpy when it is installed and the input is large, in pure Python otherwise.
"""

from __future__ import annotations

import sys
from array import array
from typing import Any

__all__ = ["alaw_decode", "alaw_encode", "ulaw_decode", "ulaw_encode"]

_BIAS = 0x84
_CLIP = 8159
_NUMPY_MIN_SAMPLES = 2048  # below this, importing and converting costs more than it saves


def _ulaw_to_linear(code: int) -> int:
    u = ~code & 0xFF
    t = (((u & 0x0F) << 3) + _BIAS) << ((u & 0x70) >> 4)
    return _BIAS - t if u & 0x80 else t - _BIAS


def _alaw_to_linear(code: int) -> int:
    a = code ^ 0x55
    t = (a & 0x0F) << 4
    seg = (a & 0x70) >> 4
    if seg == 0:
        t += 8
    elif seg == 1:
        t += 0x108
    else:
        t = (t + 0x108) << (seg - 1)
    return t if a & 0x80 else -t


def _segment(value: int, ends: tuple[int, ...]) -> int:
    for i, end in enumerate(ends):
        if value <= end:
            return i
    return len(ends)


_ULAW_ENDS = (0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF)
_ALAW_ENDS = (0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF)


def _linear_to_ulaw(sample: int) -> int:
    value = sample >> 2  # 14-bit magnitude, as audioop
    if value < 0:
        value, mask = -value, 0x7F
    else:
        mask = 0xFF
    value = min(value, _CLIP) + (_BIAS >> 2)
    seg = _segment(value, _ULAW_ENDS)
    if seg >= 8:
        return 0x7F ^ mask
    return ((seg << 4) | ((value >> (seg + 1)) & 0x0F)) ^ mask


def _linear_to_alaw(sample: int) -> int:
    value = sample >> 3  # 13-bit magnitude, as audioop
    if value >= 0:
        mask = 0xD5
    else:
        mask = 0x55
        value = -value - 1
    seg = _segment(value, _ALAW_ENDS)
    if seg >= 8:
        return 0x7F ^ mask
    quant = (value >> 1) if seg < 2 else (value >> seg)
    return ((seg << 4) | (quant & 0x0F)) ^ mask


def _decode_tables(to_linear: Any) -> tuple[bytes, bytes]:
    values = [to_linear(code) & 0xFFFF for code in range(256)]
    return bytes(v & 0xFF for v in values), bytes(v >> 8 for v in values)


_ULAW_LO, _ULAW_HI = _decode_tables(_ulaw_to_linear)
_ALAW_LO, _ALAW_HI = _decode_tables(_alaw_to_linear)
_ENCODE_TABLES: dict[str, bytes] = {}


def _encode_table(law: str) -> bytes:
    """The code of every 16-bit sample, indexed by the sample as an unsigned int."""
    table = _ENCODE_TABLES.get(law)
    if table is None:
        fn = _linear_to_ulaw if law == "ulaw" else _linear_to_alaw
        table = bytes(fn(u - 0x10000 if u >= 0x8000 else u) for u in range(0x10000))
        _ENCODE_TABLES[law] = table
    return table


def _bytes_like(data: object, name: str) -> bytes | bytearray | memoryview:
    if isinstance(data, (bytes, bytearray)):
        return data
    if isinstance(data, memoryview):
        return data.cast("B") if data.format != "B" or data.ndim != 1 else data
    raise TypeError(f"{name} must be bytes, bytearray or memoryview, got {type(data).__name__}")


def _decode(data: object, lo: bytes, hi: bytes) -> bytes:
    codes = bytes(_bytes_like(data, "data"))
    out = bytearray(2 * len(codes))
    out[0::2] = codes.translate(lo)
    out[1::2] = codes.translate(hi)
    return bytes(out)


def _numpy() -> Any:
    try:
        import numpy
    except ImportError:
        return None
    return numpy


def _encode(pcm: object, law: str, use_numpy: bool | None) -> bytes:
    buf = _bytes_like(pcm, "pcm")
    if len(buf) % 2:
        raise ValueError(
            f"pcm must hold whole 16-bit samples (an even number of bytes), got {len(buf)} bytes"
        )
    table = _encode_table(law)
    np = _numpy() if use_numpy is not False and (use_numpy or len(buf) >= 2 * _NUMPY_MIN_SAMPLES) else None
    if use_numpy and np is None:
        raise ModuleNotFoundError("use_numpy=True needs numpy installed")
    if np is not None:
        lookup = np.frombuffer(table, dtype=np.uint8)
        return bytes(lookup[np.frombuffer(buf, dtype="<u2")].tobytes())
    samples = array("H", bytes(buf))
    if sys.byteorder == "big":
        samples.byteswap()
    return bytes(map(table.__getitem__, samples))


def ulaw_decode(data: bytes | bytearray | memoryview) -> bytes:
    """Decode µ-law codes to signed 16-bit little-endian PCM (two bytes per code).

    Raises:
        TypeError: ``data`` is not bytes-like.

    """
    return _decode(data, _ULAW_LO, _ULAW_HI)


def alaw_decode(data: bytes | bytearray | memoryview) -> bytes:
    """Decode A-law codes to signed 16-bit little-endian PCM (two bytes per code).

    Raises:
        TypeError: ``data`` is not bytes-like.

    """
    return _decode(data, _ALAW_LO, _ALAW_HI)


def ulaw_encode(pcm: bytes | bytearray | memoryview, *, use_numpy: bool | None = None) -> bytes:
    """Encode signed 16-bit little-endian PCM to µ-law (one byte per sample).

    Args:
        pcm: whole 16-bit samples.
        use_numpy: ``None`` uses numpy for large inputs when it is installed; ``False``
            never; ``True`` always (``ModuleNotFoundError`` without numpy).

    Raises:
        TypeError: ``pcm`` is not bytes-like.
        ValueError: ``pcm`` has an odd number of bytes.

    """
    return _encode(pcm, "ulaw", use_numpy)


def alaw_encode(pcm: bytes | bytearray | memoryview, *, use_numpy: bool | None = None) -> bytes:
    """Encode signed 16-bit little-endian PCM to A-law (one byte per sample).

    Args:
        pcm: whole 16-bit samples.
        use_numpy: as for :func:`ulaw_encode`.

    Raises:
        TypeError: ``pcm`` is not bytes-like.
        ValueError: ``pcm`` has an odd number of bytes.

    """
    return _encode(pcm, "alaw", use_numpy)
