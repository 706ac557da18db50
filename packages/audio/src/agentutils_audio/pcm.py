"""Where audio data enters the package: PCM16 buffers, measured in bytes, and ``to_pcm16``.

Every API that takes audio data (``AudioFrame(data)``, ``AudioByteStream.push``, the
``data`` of a frame-like object passed to ``combine_frames`` and friends) goes through
:func:`pcm16_bytes`: it accepts byte-like buffers (items of format ``B``, ``b`` or ``c``)
and native-endian int16 buffers (``h``), of any shape, and returns a flat byte view of
them without copying, so sizes are counted in bytes whatever the item size or shape.
Anything else (float or int32 arrays, other byte orders) is refused: those are not PCM16,
:func:`to_pcm16` converts them.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs milliseconds
if TYPE_CHECKING:
    from typing import Any

__all__ = ["to_pcm16"]

_NATIVE = "<" if sys.byteorder == "little" else ">"
_OTHER = ">" if _NATIVE == "<" else "<"
# Items that are bytes: the buffer is raw PCM bytes.
_BYTE_FORMATS = frozenset({"B", "b", "c", "@B", "@b", "@c", "=B", "=b", "=c", "<B", ">B", "<b", ">b"})
# Native-endian signed 16-bit items.
_INT16_FORMATS = frozenset({"h", "@h", "=h", f"{_NATIVE}h"})
_FLOAT_CODES = frozenset("efd")
_SIGNED_CODES = frozenset("hilqn")
_PCM_MAX = 32767
_PCM_MIN = -32768

_HOW_TO_CONVERT = "convert it with agentutils_audio.to_pcm16()"


def _code(fmt: str) -> tuple[str, str]:
    """Split a struct format of one item into (byte order prefix, item code)."""
    if len(fmt) == 2 and fmt[0] in "@=<>!":
        return fmt[0], fmt[1]
    return "@", fmt


def _not_pcm16(view: memoryview, what: str) -> TypeError:
    order, code = _code(view.format)
    kind = f"{view.itemsize * 8}-bit float" if code in _FLOAT_CODES else None
    if kind is None and code.lower() in "bhilqn" and len(code) == 1:
        sign = "signed" if code in _SIGNED_CODES else "unsigned"
        kind = f"{sign} {view.itemsize * 8}-bit integer"
    if code == "h" and order in (_OTHER, "!"):
        kind = "int16 items of the other byte order"
    described = f"{kind} items (format {view.format!r})" if kind else f"items of format {view.format!r}"
    return TypeError(
        f"{what} must hold 16-bit PCM: bytes or native-endian int16 items, got {described}; "
        f"this is not PCM16, {_HOW_TO_CONVERT}"
    )


def pcm16_bytes(data: object, what: str = "data") -> bytes | bytearray | memoryview:
    """Return ``data`` as a flat byte buffer (bytes, bytearray or a ``B`` memoryview), without copying.

    Args:
        data: bytes, bytearray, or any C-contiguous buffer of bytes or native int16 items
            (memoryview, ``array.array('h')``, an int16 numpy array of any shape).
        what: how to name ``data`` in error messages.

    Raises:
        TypeError: ``data`` is not a buffer, or its items are neither bytes nor native
            int16 (the message points to :func:`to_pcm16`).
        ValueError: the buffer is not C-contiguous (a strided slice, a Fortran-order array).

    """
    if type(data) is bytes or type(data) is bytearray:
        return data
    try:
        view = memoryview(data)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(
            f"{what} must be a bytes-like object (bytes, bytearray, memoryview or another buffer "
            f"of int16 samples), got {type(data).__name__}"
        ) from None
    fmt = view.format
    if fmt not in _BYTE_FORMATS and fmt not in _INT16_FORMATS:
        raise _not_pcm16(view, what)
    if not view.c_contiguous:
        raise ValueError(
            f"{what} must be a C-contiguous buffer (interleaved samples in order), got a "
            f"non-contiguous {type(data).__name__} of shape {view.shape} and strides {view.strides}; "
            "copy it first (bytes(), numpy.ascontiguousarray())"
        )
    if fmt == "B" and view.ndim == 1:
        return view
    if not view.nbytes:  # cast() refuses shapes with a zero
        return b""
    return view.cast("B")


def to_pcm16(samples: object) -> bytes:
    """Convert samples to 16-bit PCM bytes (native-endian int16), the format of every frame.

    - float items (an ``array('f')``/``array('d')``, a float numpy array, a sequence of
      floats): full scale is ``[-1.0, 1.0]``; each sample is multiplied by 32767, rounded
      half to even and saturated to ``[-32768, 32767]``;
    - wider signed integer items (int32, int64): full scale to full scale, that is shifted
      right by the extra bits (``x >> 16`` for int32, rounding down);
    - bytes and int16 items are returned as bytes, unchanged.

    numpy arrays are converted with numpy (the same results, vectorised).

    Raises:
        TypeError: unsigned integers, other item types, or a sequence holding non-floats.
        ValueError: a float sample is NaN, or the buffer is not C-contiguous.

    Example:
        >>> from array import array
        >>> array("h", to_pcm16([0.0, 0.5, -1.0, 2.0])).tolist()
        [0, 16384, -32767, 32767]

    """
    if isinstance(samples, (list, tuple)):
        for item in samples:
            if not isinstance(item, float):
                raise TypeError(
                    f"to_pcm16 expects float samples in a sequence, got {type(item).__name__}; "
                    "pass int16 samples as array('h', values)"
                )
        return _floats_to_pcm16(samples)
    try:
        view = memoryview(samples)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(
            f"to_pcm16 expects a buffer (array, numpy array, memoryview) or a sequence of floats, "
            f"got {type(samples).__name__}"
        ) from None
    if view.format in _BYTE_FORMATS or view.format in _INT16_FORMATS:
        return bytes(pcm16_bytes(view, "samples"))
    order, code = _code(view.format)
    if order in ("<", ">", "!") and order != _NATIVE:
        raise TypeError(f"to_pcm16 expects native-endian samples, got format {view.format!r}")
    if not view.c_contiguous:
        raise ValueError(
            f"to_pcm16 expects a C-contiguous buffer, got a non-contiguous {type(samples).__name__}"
        )
    np = sys.modules.get("numpy")
    if np is not None and isinstance(samples, np.ndarray):
        return _numpy_to_pcm16(np, samples, code)
    if code not in _FLOAT_CODES and (code not in _SIGNED_CODES or view.itemsize <= 2):
        raise _conversion_refused(view)
    import struct  # not memoryview.cast: it cannot give half floats ('e') before Python 3.12

    values = struct.unpack(f"@{view.nbytes // view.itemsize}{code}", view.cast("B") if view.nbytes else b"")
    if code in _FLOAT_CODES:
        return _floats_to_pcm16(values)
    shift = 8 * (view.itemsize - 2)
    return _ints_to_pcm16([x >> shift for x in values])


def _conversion_refused(view: memoryview) -> TypeError:
    return TypeError(
        f"to_pcm16 converts float or signed integer samples, got items of format {view.format!r} "
        f"({view.itemsize * 8}-bit)"
    )


def _floats_to_pcm16(values: Any) -> bytes:
    from array import array

    out = array("h")
    for x in values:
        v = x * 32767.0
        if v != v:
            raise ValueError("to_pcm16: a float sample is NaN")
        out.append(_PCM_MAX if v >= _PCM_MAX else _PCM_MIN if v <= _PCM_MIN else round(v))
    return out.tobytes()


def _ints_to_pcm16(values: list[int]) -> bytes:
    from array import array

    return array("h", values).tobytes()


def _numpy_to_pcm16(np: Any, samples: Any, code: str) -> bytes:
    if code in _FLOAT_CODES:
        wide = samples.astype(np.float64) * 32767.0
        if np.isnan(wide).any():
            raise ValueError("to_pcm16: a float sample is NaN")
        return bytes(np.rint(np.clip(wide, _PCM_MIN, _PCM_MAX)).astype(np.int16).tobytes())
    if code in _SIGNED_CODES and samples.itemsize > 2:
        shift = 8 * (samples.itemsize - 2)
        return bytes((samples >> shift).astype(np.int16).tobytes())
    raise _conversion_refused(memoryview(samples))
