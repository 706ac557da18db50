"""Colour conversions: exact moves between packed types, BT.601 limited range for 4:2:0."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st
from tests.conftest import require
from tests.images._frames import ALL_TYPES, PACKED_TYPES, YUV_TYPES, random_frame

from agentutils_images import InvalidFrameError, VideoBufferType, convert, to_rgb

ORDER = {"RGBA": "RGBA", "ABGR": "ABGR", "ARGB": "ARGB", "BGRA": "BGRA", "RGB24": "RGB"}


def reference_yuv_to_rgb(np, y, u, v):
    """BT.601 limited range in floating point (the textbook formula), chroma repeated 2x2."""
    h, w = y.shape
    uu = np.repeat(np.repeat(u.astype(float), 2, 0), 2, 1)[:h, :w] - 128
    vv = np.repeat(np.repeat(v.astype(float), 2, 0), 2, 1)[:h, :w] - 128
    yy = (y.astype(float) - 16) * 1.164
    rgb = np.stack([yy + 1.596 * vv, yy - 0.391 * uu - 0.813 * vv, yy + 2.018 * uu], axis=-1)
    return np.clip(np.round(rgb), 0, 255)


def reference_rgb_to_yuv(np, rgb):
    """BT.601 limited range in floating point; U and V of each 2x2 block's mean colour."""
    f = rgb.astype(float)
    r, g, b = f[..., 0], f[..., 1], f[..., 2]
    y = 16 + 0.257 * r + 0.504 * g + 0.098 * b
    h, w = r.shape
    mean = f.reshape(h // 2, 2, w // 2, 2, 3).mean(axis=(1, 3))
    mr, mg, mb = mean[..., 0], mean[..., 1], mean[..., 2]
    u = 128 - 0.148 * mr - 0.291 * mg + 0.439 * mb
    v = 128 + 0.439 * mr - 0.368 * mg - 0.071 * mb
    return y, u, v


def planes_of(np, frame):
    from agentutils_images import yuv420_planes

    return [np.asarray(p) for p in yuv420_planes(frame)]


def channels_of(np, frame):
    from agentutils_images import packed_pixels

    pixels = packed_pixels(frame)
    return {c: pixels[..., i] for i, c in enumerate(ORDER[frame.type.name])}


sizes = st.tuples(st.integers(1, 24), st.integers(1, 24)).map(lambda s: (2 * s[0], 2 * s[1]))
seeds = st.integers(0, 2**32 - 1)
packed = st.sampled_from(PACKED_TYPES)
yuv = st.sampled_from(YUV_TYPES)


@settings(max_examples=40)
@given(
    src=st.sampled_from(PACKED_TYPES),
    dst=st.sampled_from(PACKED_TYPES),
    size=sizes,
    seed=st.integers(0, 2**32 - 1),
)
def test_packed_to_packed_moves_bytes_exactly(src, dst, size, seed):
    np = require("numpy")
    frame = random_frame(np, src, *size, seed=seed)
    out = convert(frame, dst)
    assert (out.type, out.width, out.height) == (dst, *size)
    before, after = channels_of(np, frame), channels_of(np, out)
    for channel, values in after.items():
        if channel in before:
            assert np.array_equal(values, before[channel])
        else:
            assert (values == 255).all()  # alpha added to a frame that had none


@settings(max_examples=40)
@given(
    src=st.sampled_from(YUV_TYPES),
    dst=st.sampled_from(PACKED_TYPES),
    size=sizes,
    seed=st.integers(0, 2**32 - 1),
)
def test_420_to_packed_is_bt601_limited_range(src, dst, size, seed):
    np = require("numpy")
    frame = random_frame(np, src, *size, seed=seed)
    channels = channels_of(np, convert(frame, dst))
    expected = reference_yuv_to_rgb(np, *planes_of(np, frame))
    got = np.stack([channels[c] for c in "RGB"], axis=-1).astype(float)
    # libyuv's 6-bit coefficients (blue 2.0 instead of 2.018) stay within 3 of the textbook
    assert np.abs(got - expected).max() <= 3
    assert np.abs(got - expected).mean() < 0.6
    if "A" in channels:
        assert (channels["A"] == 255).all()


@settings(max_examples=40)
@given(
    src=st.sampled_from(PACKED_TYPES),
    dst=st.sampled_from(YUV_TYPES),
    size=sizes,
    seed=st.integers(0, 2**32 - 1),
)
def test_packed_to_420_is_bt601_limited_range(src, dst, size, seed):
    np = require("numpy")
    frame = random_frame(np, src, *size, seed=seed)
    rgb = np.stack([channels_of(np, frame)[c] for c in "RGB"], axis=-1)
    y, u, v = planes_of(np, convert(frame, dst))
    ey, eu, ev = reference_rgb_to_yuv(np, rgb)
    for got, expected in ((y, ey), (u, eu), (v, ev)):
        assert np.abs(got - expected).max() <= 1.5


@settings(max_examples=20)
@given(
    src=st.sampled_from(YUV_TYPES), dst=st.sampled_from(YUV_TYPES), size=sizes, seed=st.integers(0, 2**32 - 1)
)
def test_420_to_420_keeps_the_planes(src, dst, size, seed):
    np = require("numpy")
    frame = random_frame(np, src, *size, seed=seed)
    out = convert(frame, dst)
    for a, b in zip(planes_of(np, frame), planes_of(np, out), strict=True):
        assert np.array_equal(a, b)


@pytest.mark.parametrize("type", ALL_TYPES)
def test_round_trip_through_i420_of_a_smooth_image(type):
    np = require("numpy")
    from tests.images._frames import frame_from_rgb, rgb_gradient

    rgb = rgb_gradient(np, 128, 64)  # 2 levels a pixel across, 4 down
    frame = frame_from_rgb(np, rgb, type)
    back = to_rgb(convert(frame, "I420")).astype(int)
    # limited range rounds a little; 2x2 chroma blurs a little more on a gradient
    assert np.abs(back - rgb).mean() < 2
    assert to_rgb(frame).shape == (64, 128, 3)


@pytest.mark.parametrize("type", ALL_TYPES)
def test_to_rgb_equals_convert_to_rgb24(type):
    np = require("numpy")
    frame = random_frame(np, type, 6, 4, seed=3)
    assert to_rgb(frame).tobytes() == bytes(convert(frame, "RGB24").data)


@pytest.mark.parametrize("type", ALL_TYPES)
def test_converting_to_its_own_type_copies(type):
    np = require("numpy")
    frame = random_frame(np, type, 4, 2, seed=1)
    out = frame.convert(type)
    assert out is not frame
    assert bytes(out.data) == bytes(frame.data)


def test_convert_accepts_a_frame_like_object_and_a_type_number():
    np = require("numpy")

    class Like:
        width, height, type = 2, 2, 4  # livekit's RGB24
        data = memoryview(bytes([255, 0, 0] * 4))

    out = convert(Like(), 5)  # livekit's I420
    assert out.type is VideoBufferType.I420
    y, u, v = planes_of(np, out)
    ey, eu, ev = reference_rgb_to_yuv(np, np.array([[[255, 0, 0]] * 2] * 2))
    assert np.abs(y - ey).max() <= 1
    assert abs(int(u[0, 0]) - eu[0, 0]) <= 1
    assert abs(int(v[0, 0]) - ev[0, 0]) <= 1


@pytest.mark.parametrize("dst", ["I420", "NV12"])
def test_odd_sized_frame_to_420(dst):
    np = require("numpy")
    frame = random_frame(np, VideoBufferType.RGBA, 3, 4)
    with pytest.raises(
        InvalidFrameError, match=rf"cannot convert a 3x4 RGBA frame to {dst}: it needs an even width"
    ):
        convert(frame, dst)


def test_convert_to_an_unknown_type():
    np = require("numpy")
    frame = random_frame(np, VideoBufferType.RGBA, 2, 2)
    with pytest.raises(InvalidFrameError, match=r"unknown video buffer type 'YUV9'"):
        convert(frame, "YUV9")


def test_convert_something_else():
    with pytest.raises(TypeError, match=r"expected a VideoFrame or a livekit.rtc.VideoFrame"):
        convert(b"\0\0\0\0", "RGBA")


# ---------------------------------------------------------------- livekit as the oracle

# The conversions livekit's native VideoFrame.convert performs (it refuses the others,
# and aborts the process on any ABGR source, so ABGR sources are not asked of it).
LIVEKIT_PAIRS = [
    ("RGBA", "BGRA"),
    ("BGRA", "RGBA"),
    ("RGBA", "I420"),
    ("BGRA", "I420"),
    ("ARGB", "I420"),
    ("RGB24", "I420"),
    ("I420", "RGBA"),
    ("I420", "BGRA"),
    ("I420", "ARGB"),
    ("I420", "ABGR"),
    ("I420", "RGB24"),
    ("NV12", "RGBA"),
    ("NV12", "BGRA"),
    ("NV12", "I420"),
]


@settings(max_examples=60)
@given(pair=st.sampled_from(LIVEKIT_PAIRS), size=sizes, seed=seeds)
def test_within_2_of_livekit_convert(pair, size, seed):
    np = require("numpy")
    rtc = require("livekit.rtc")
    src, dst = pair
    frame = random_frame(np, VideoBufferType[src], *size, seed=seed)
    lk = rtc.VideoFrame(*size, getattr(rtc.VideoBufferType, src), bytearray(frame.data))
    expected = np.frombuffer(lk.convert(getattr(rtc.VideoBufferType, dst)).data, dtype=np.uint8).astype(int)
    ours = np.frombuffer(convert(frame, dst).data, dtype=np.uint8).astype(int)
    assert ours.shape == expected.shape
    assert np.abs(ours - expected).max() <= 2
    # and livekit's frame itself is accepted as the input
    assert bytes(convert(lk, dst).data) == bytes(convert(frame, dst).data)


@pytest.mark.parametrize("type", ALL_TYPES)
def test_a_raw_images_rgb_is_the_frames(type):
    np = require("numpy")
    from agentutils_images import prepare_image

    frame = random_frame(np, type, 6, 4, seed=9)
    image = prepare_image(frame, None)
    assert (image.width, image.height) == (6, 4)
    assert image.layout == ("YUV420" if type.is_yuv420 else ORDER[type.name])
    assert np.array_equal(image.rgb(), to_rgb(frame))
