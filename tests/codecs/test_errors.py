"""The member's exceptions: what they say, and that they survive pickling and copying."""

from __future__ import annotations

import copy
import pickle
import sys

import pytest

from agentutils_codecs import DecodeError, InputClosedError, UnsupportedFormatError


@pytest.mark.parametrize("clone", [copy.copy, copy.deepcopy, lambda e: pickle.loads(pickle.dumps(e))])
def test_decode_error_survives_pickling_and_copying(clone):
    """As a process pool or a job runner passes it on: same message, same fields."""
    error = DecodeError("truncated: 10 more bytes", decoder="wav", format="audio/wav", offset=1002)
    if sys.version_info >= (3, 11):
        error.add_note("while decoding reply 3")
    again = clone(error)
    assert type(again) is DecodeError
    assert str(again) == "wav decoder, format audio/wav at byte 1002: truncated: 10 more bytes"
    assert (again.decoder, again.format, again.offset) == ("wav", "audio/wav", 1002)
    assert getattr(again, "__notes__", None) == getattr(error, "__notes__", None)


def test_decode_error_without_offset_or_format():
    error = DecodeError("no audio stream found", decoder="av", format=None, offset=None)
    assert str(error) == "av decoder, format unknown: no audio stream found"
    assert str(pickle.loads(pickle.dumps(error))) == str(error)
    assert isinstance(error, ValueError)


@pytest.mark.parametrize(
    "error", [InputClosedError("push() after end_input()"), UnsupportedFormatError("no decoder for 'x'")]
)
def test_the_other_errors_pickle(error):
    again = pickle.loads(pickle.dumps(error))
    assert (type(again), str(again)) == (type(error), str(error))
