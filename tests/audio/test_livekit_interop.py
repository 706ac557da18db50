"""livekit.rtc.AudioFrame in, livekit.rtc.AudioFrame out; the reference as the oracle (full leg)."""

from __future__ import annotations

from array import array

import pytest
from hypothesis import given, settings, strategies as st

import agentutils_audio as au

rtc = pytest.importorskip("livekit.rtc")
reference = pytest.importorskip("livekit.agents.utils.audio")


def lk_frame(samples: list[int], channels: int = 1, rate: int = 48000, buffer=bytearray) -> object:
    return rtc.AudioFrame(buffer(array("h", samples).tobytes()), rate, channels, len(samples) // channels)


def test_reference_aliases_are_the_oracle():
    assert reference.combine_frames is rtc.combine_audio_frames


@st.composite
def frame_lists(draw):
    channels = draw(st.sampled_from([1, 2]))
    rate = draw(st.sampled_from([16000, 48000]))
    counts = draw(st.lists(st.integers(0, 30), min_size=1, max_size=8))
    blocks = [
        draw(st.lists(st.integers(-32768, 32767), min_size=n * channels, max_size=n * channels))
        for n in counts
    ]
    return channels, rate, blocks


@settings(max_examples=60)
@given(frame_lists(), st.sampled_from(["python", "numpy"]))
def test_combine_equals_the_reference_byte_for_byte(case, backend):
    pytest.importorskip("numpy")
    channels, rate, blocks = case
    lk = [lk_frame(b, channels, rate) for b in blocks]
    ours = [au.AudioFrame(array("h", b).tobytes(), rate, channels, len(b) // channels) for b in blocks]
    expected = rtc.combine_audio_frames(lk)
    for frames in (lk, ours):
        out = au.combine_frames(frames, backend=backend)
        assert type(out) is type(frames[0])
        assert bytes(out.data) == bytes(expected.data)
        assert (out.sample_rate, out.num_channels, out.samples_per_channel) == (
            expected.sample_rate,
            expected.num_channels,
            expected.samples_per_channel,
        )


def test_livekit_in_livekit_out_for_every_operation():
    a = lk_frame([1, 2, 3, 4], channels=2)
    b = lk_frame([10, 20, 30, 40], channels=2)
    results = {
        "combine": au.combine_frames([a, b]),
        "mix": au.mix_frames([a, b]),
        "gain": au.apply_gain(a, 0.0),
        "remix": au.remix_frame(a, 1),
        "silence": au.silence_frame_like(a),
    }
    for name, out in results.items():
        assert type(out) is rtc.AudioFrame, name
    assert results["mix"].data.tolist() == [11, 22, 33, 44]
    assert results["remix"].data.tolist() == [1, 3]
    assert au.frame_levels(a) == au.frame_levels(au.AudioFrame(bytes(a.data), 48000, 2, 2))
    assert au.calculate_audio_duration([a, b]) == reference.calculate_audio_duration([a, b])


def test_single_livekit_frame_is_returned_as_is():
    a = lk_frame([1, 2])
    assert au.combine_frames(a) is a


def test_livekit_frame_with_a_longer_buffer_contributes_only_its_declared_samples():
    # livekit accepts data longer than declared; its combine copies the whole buffer,
    # agentutils only the declared samples (a documented difference).
    long = rtc.AudioFrame(bytearray(array("h", [1, 2, 99]).tobytes()), 48000, 1, 2)
    out = au.combine_frames([long, lk_frame([3])])
    assert type(out) is rtc.AudioFrame
    assert out.data.tolist() == [1, 2, 3]
    assert out.samples_per_channel == 3
    assert rtc.combine_audio_frames([long, lk_frame([3])]).data.tolist() == [1, 2, 99, 3]


@pytest.mark.parametrize(
    "frames",
    [
        # a livekit frame storing a memoryview, then one of ours: the public path is taken
        lambda: [lk_frame([1, 2], buffer=lambda b: memoryview(bytearray(b))), lk_frame([3])],
        lambda: [lk_frame([1, 2]), au.AudioFrame(array("h", [3]).tobytes(), 48000, 1, 1)],
        lambda: [au.AudioFrame(array("h", [1, 2]).tobytes(), 48000, 1, 2), lk_frame([3])],
    ],
)
def test_mixed_and_unusual_livekit_frames_give_the_same_samples(frames):
    items = frames()
    out = au.combine_frames(items)
    assert type(out) is type(items[0])
    assert list(out.data) == [1, 2, 3]


def test_mismatched_livekit_frames():
    with pytest.raises(au.FormatMismatchError, match="sample rate mismatch: expected 48000, got 16000"):
        au.combine_frames([lk_frame([1]), lk_frame([1], rate=16000)])
    with pytest.raises(au.FormatMismatchError, match="channel count mismatch: expected 2, got 1"):
        au.combine_frames([lk_frame([1, 1], channels=2), lk_frame([1])])


def test_byte_stream_produces_livekit_frames():
    stream = au.AudioByteStream(48000, 2, samples_per_channel=480, frame_type=rtc.AudioFrame)
    source = lk_frame(list(range(-2000, 2000)), channels=2)
    frames = stream.push(source.data)
    assert all(type(f) is rtc.AudioFrame for f in frames)
    assert [f.samples_per_channel for f in frames] == [480] * 4
    rest = stream.flush()
    assert type(rest[0]) is rtc.AudioFrame
    assert bytes(au.combine_frames(frames + rest).data) == bytes(source.data)


@settings(max_examples=40)
@given(st.binary(max_size=400), st.lists(st.integers(0, 400), max_size=8), st.booleans())
def test_byte_stream_equals_the_reference(payload, cuts, progressive):
    points = sorted(c for c in cuts if c <= len(payload))
    chunks = [payload[a:b] for a, b in zip([0, *points], [*points, len(payload)], strict=True)]
    ours = au.AudioByteStream(8000, 2, samples_per_channel=40, progressive=progressive)
    ref = reference.AudioByteStream(8000, 2, samples_per_channel=40, progressive=progressive)
    for chunk in chunks:
        assert [bytes(f.data) for f in ours.push(chunk)] == [bytes(f.data) for f in ref.push(chunk)]
    assert [bytes(f.data) for f in ours.flush()] == [bytes(f.data) for f in ref.flush()]


def test_wav_bytes_equal_livekit():
    a = lk_frame([1, -2, 3, -4], channels=2, rate=24000)
    ours = au.AudioFrame(bytes(a.data), 24000, 2, 2)
    assert ours.to_wav_bytes() == a.to_wav_bytes()


def test_the_livekit_shim_reads_the_private_fields_of_real_livekit_frames():
    """Fails loudly when livekit renames the fields the combine shim reads (_data, _sample_rate...)."""
    from agentutils_audio import _frames

    frames = [lk_frame([1, 2]), lk_frame([3])]
    stored = _frames.livekit_buffers(frames)
    assert stored is not None, "livekit.rtc.AudioFrame no longer has the fields _frames.livekit_buffers reads"
    parts, sr, nch = stored
    assert (b"".join(parts), sr, nch) == (bytes(frames[0].data) + bytes(frames[1].data), 48000, 1)


def test_the_livekit_shim_is_taken_only_when_its_guard_holds():
    from agentutils_audio import _frames

    as_view = [lk_frame([1], buffer=lambda b: memoryview(bytearray(b))), lk_frame([2])]
    longer = [rtc.AudioFrame(bytearray(4), 48000, 1, 1), lk_frame([2])]
    mixed = [lk_frame([1]), au.AudioFrame(b"\x02\x00", 48000, 1, 1)]
    other_rate = [lk_frame([1]), lk_frame([2], rate=16000)]
    for frames in (as_view, longer, mixed, other_rate):
        assert _frames.livekit_buffers(frames) is None
    # ...and the public path gives the same result (or the same error)
    assert au.combine_frames(as_view).data.tolist() == [1, 2]
    assert au.combine_frames(longer).data.tolist() == [0, 2]
    assert au.combine_frames(mixed).data.tolist() == [1, 2]
    with pytest.raises(au.FormatMismatchError, match="sample rate mismatch: expected 48000, got 16000"):
        au.combine_frames(other_rate)
