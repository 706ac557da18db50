"""G.711: bit-exact with audioop where it exists (3.10-3.12), in both the pure Python and numpy paths."""

from __future__ import annotations

import importlib.util
import sys
import warnings
from array import array

import pytest
from hypothesis import given, strategies as st
from tests.conftest import require

from agentutils_codecs import alaw_decode, alaw_encode, ulaw_decode, ulaw_encode

ALL_SAMPLES = array("h", range(-32768, 32768)).tobytes()
ALL_CODES = bytes(range(256))


def numpy_modes() -> list[bool]:
    return [False, True] if importlib.util.find_spec("numpy") else [False]


@pytest.fixture(scope="module")
def audioop():
    if sys.version_info >= (3, 13):
        pytest.skip("audioop left the standard library in Python 3.13")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import audioop
    return audioop


def test_decoding_every_code_matches_audioop(audioop):
    assert ulaw_decode(ALL_CODES) == audioop.ulaw2lin(ALL_CODES, 2)
    assert alaw_decode(ALL_CODES) == audioop.alaw2lin(ALL_CODES, 2)


@pytest.mark.parametrize("use_numpy", numpy_modes())
def test_encoding_every_sample_matches_audioop(audioop, use_numpy):
    assert ulaw_encode(ALL_SAMPLES, use_numpy=use_numpy) == audioop.lin2ulaw(ALL_SAMPLES, 2)
    assert alaw_encode(ALL_SAMPLES, use_numpy=use_numpy) == audioop.lin2alaw(ALL_SAMPLES, 2)


def test_numpy_path_equals_python_path():
    require("numpy")
    assert ulaw_encode(ALL_SAMPLES, use_numpy=True) == ulaw_encode(ALL_SAMPLES, use_numpy=False)
    assert alaw_encode(ALL_SAMPLES, use_numpy=True) == alaw_encode(ALL_SAMPLES, use_numpy=False)


def test_every_code_survives_a_round_trip():
    # µ-law has two zeros (0x7F and 0xFF, both decode to 0): 0 encodes to 0xFF.
    assert ulaw_encode(ulaw_decode(ALL_CODES)) == ALL_CODES.replace(b"\x7f", b"\xff")
    assert alaw_encode(alaw_decode(ALL_CODES)) == ALL_CODES


@given(st.lists(st.integers(min_value=-32768, max_value=32767), max_size=300))
def test_quantisation_error_is_within_the_segment_step(samples):
    pcm = array("h", samples).tobytes()
    for encode, decode, base in ((ulaw_encode, ulaw_decode, 4), (alaw_encode, alaw_decode, 8)):
        back = array("h", decode(encode(pcm)))
        for x, y in zip(samples, back, strict=True):
            assert (x >= 0) == (y >= 0) or abs(x) < 2 * base  # the sign survives except near 0
            assert abs(x - y) <= max(base * 2, abs(x) // 16 + base * 2)  # 4 bits of mantissa


def test_memoryview_and_bytearray_inputs():
    pcm = array("h", [0, 1000, -1000, 32767])
    assert ulaw_encode(memoryview(pcm)) == ulaw_encode(pcm.tobytes())
    assert alaw_decode(bytearray(b"\x01\x02")) == alaw_decode(b"\x01\x02")


@pytest.mark.parametrize("fn", [ulaw_encode, alaw_encode, ulaw_decode, alaw_decode])
def test_non_bytes_input_is_a_type_error(fn):
    with pytest.raises(TypeError, match=r"must be bytes, bytearray or memoryview, got list"):
        fn([1, 2])


@pytest.mark.parametrize("fn", [ulaw_encode, alaw_encode])
def test_odd_pcm_length_is_a_value_error(fn):
    with pytest.raises(ValueError, match=r"whole 16-bit samples \(an even number of bytes\), got 3 bytes"):
        fn(b"\0\0\0")


def test_use_numpy_without_numpy_says_so(monkeypatch):
    from agentutils_codecs import g711

    monkeypatch.setattr(g711, "_numpy", lambda: None)
    with pytest.raises(ModuleNotFoundError, match=r"use_numpy=True needs numpy installed"):
        ulaw_encode(b"\0\0", use_numpy=True)
    assert ulaw_encode(ALL_SAMPLES[:8192]) == ulaw_encode(ALL_SAMPLES[:8192], use_numpy=False)
