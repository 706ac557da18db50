"""VideoFrame: construction, validation, planes, and frame-like objects (no numpy needed)."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from agentutils_images import (
    InvalidFrameError,
    VideoBufferType,
    VideoFrame,
    as_video_frame,
    buffer_type,
    video_frame_size,
)

BYTES_PER_PIXEL = {"RGBA": 4, "ABGR": 4, "ARGB": 4, "BGRA": 4, "RGB24": 3}


def test_buffer_types_keep_livekits_numbers():
    # livekit's proto enum: RGBA 0, ABGR 1, ARGB 2, BGRA 3, RGB24 4, I420 5, ..., NV12 10
    expected = {"RGBA": 0, "ABGR": 1, "ARGB": 2, "BGRA": 3, "RGB24": 4, "I420": 5, "NV12": 10}
    assert {t.name: t.value for t in VideoBufferType} == expected


@pytest.mark.parametrize("type", list(VideoBufferType))
def test_type_given_as_enum_name_lowercase_name_or_number(type):
    assert buffer_type(type) is type
    assert buffer_type(type.name) is type
    assert buffer_type(type.name.lower()) is type
    assert buffer_type(int(type)) is type


@pytest.mark.parametrize(("width", "height"), [(2, 2), (4, 6), (640, 360)])
@pytest.mark.parametrize("name", ["RGBA", "ABGR", "ARGB", "BGRA", "RGB24", "I420", "NV12"])
def test_frame_size_is_what_livekit_allocates(name, width, height):
    # livekit: packed w*h*bpp; I420 and NV12 w*h + 2 * ceil(w/2) * ceil(h/2)
    if name in BYTES_PER_PIXEL:
        expected = width * height * BYTES_PER_PIXEL[name]
    else:
        expected = width * height + 2 * ((width + 1) // 2) * ((height + 1) // 2)
    assert video_frame_size(buffer_type(name), width, height) == expected
    frame = VideoFrame(width, height, name, bytes(expected))
    assert len(frame.data) == expected


def test_properties_and_data_shared_not_copied():
    buf = bytearray(2 * 2 * 4)
    frame = VideoFrame(2, 2, "RGBA", buf)
    assert (frame.width, frame.height, frame.type) == (2, 2, VideoBufferType.RGBA)
    buf[0] = 7
    assert frame.data[0] == 7
    assert repr(frame) == "VideoFrame(width=2, height=2, type=RGBA)"


def test_longer_data_is_cut_to_the_frame():
    frame = VideoFrame(2, 2, "RGB24", bytes(range(20)))
    assert bytes(frame.data) == bytes(range(12))


def test_data_of_any_item_size_is_read_as_bytes():
    import array

    words = array.array("H", [0x0102] * 4)  # 8 bytes as 2-byte items
    frame = VideoFrame(1, 2, "RGBA", words)
    assert frame.data.format == "B"
    assert bytes(frame.data) == words.tobytes()


def test_planes_of_i420_and_nv12():
    w, h = 4, 2
    y, u, v = bytes([1] * 8), bytes([2] * 2), bytes([3] * 2)
    i420 = VideoFrame(w, h, "I420", y + u + v)
    assert [bytes(i420.get_plane(n)) for n in range(3)] == [y, u, v]
    assert i420.get_plane(3) is None
    nv12 = VideoFrame(w, h, "NV12", y + bytes([2, 3, 2, 3]))
    assert [bytes(nv12.get_plane(n)) for n in range(2)] == [y, bytes([2, 3, 2, 3])]
    assert nv12.get_plane(2) is None
    rgba = VideoFrame(1, 1, "RGBA", b"abcd")
    assert bytes(rgba.get_plane(0)) == b"abcd"
    assert rgba.get_plane(1) is None
    assert rgba.get_plane(-1) is None


class LivekitLike:
    """Duck-typed like livekit.rtc.VideoFrame: an int type and a memoryview."""

    def __init__(self, width, height, type, data):
        self.width, self.height, self.type, self.data = width, height, type, memoryview(data)


def test_as_frame_wraps_a_frame_like_object_without_copying():
    buf = bytearray(12)
    frame = as_video_frame(LivekitLike(2, 2, 4, buf))  # 4 is livekit's RGB24
    assert isinstance(frame, VideoFrame)
    assert frame.type is VideoBufferType.RGB24
    buf[5] = 9
    assert frame.data[5] == 9
    assert as_video_frame(frame) is frame


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("name", "width", "height"),
    [("RGBA", 3, 2), ("RGB24", 5, 5), ("I420", 4, 4), ("NV12", 6, 2), ("BGRA", 1, 1)],
)
def test_short_data_says_expected_and_received(name, width, height):
    needed = video_frame_size(buffer_type(name), width, height)
    with pytest.raises(
        InvalidFrameError,
        match=rf"data is too short for a {width}x{height} {name} frame: expected at least {needed} bytes, "
        rf"got {needed - 1}",
    ):
        VideoFrame(width, height, name, bytes(needed - 1))


@pytest.mark.parametrize("name", ["I420", "NV12"])
@pytest.mark.parametrize(("width", "height"), [(3, 2), (2, 3), (5, 7)])
def test_odd_dimensions_for_420_types(name, width, height):
    with pytest.raises(
        InvalidFrameError, match=rf"{name} frames need an even width and height, got {width}x{height}"
    ):
        VideoFrame(width, height, name, bytes(1000))


def test_odd_dimensions_are_fine_for_packed_types():
    assert VideoFrame(3, 5, "RGB24", bytes(45)).width == 3


def test_unknown_type_name():
    with pytest.raises(
        InvalidFrameError, match=r"unknown video buffer type 'YUY2'; expected one of RGBA, ABGR"
    ):
        VideoFrame(2, 2, "YUY2", bytes(100))


def test_unknown_type_number():
    with pytest.raises(
        InvalidFrameError, match=r"video buffer type: unknown number 42; expected one of RGBA"
    ):
        VideoFrame(2, 2, 42, bytes(100))


@pytest.mark.parametrize(("number", "name"), [(6, "I420A"), (7, "I422"), (8, "I444"), (9, "I010")])
def test_livekit_types_this_package_does_not_read(number, name):
    with pytest.raises(
        InvalidFrameError, match=rf"livekit's {name} \({number}\) is not supported; expected one of"
    ):
        buffer_type(number)


@pytest.mark.parametrize("value", [None, 1.0, True, b"I420"])
def test_type_of_the_wrong_kind(value):
    with pytest.raises(
        TypeError, match=r"video buffer type must be a VideoBufferType, its name or livekit's number"
    ):
        buffer_type(value)


@pytest.mark.parametrize(("field", "value"), [("width", 0), ("height", -2)])
def test_dimension_below_one(field, value):
    kwargs = {"width": 2, "height": 2, field: value}
    with pytest.raises(InvalidFrameError, match=rf"{field} must be greater than 0, got {value}"):
        VideoFrame(kwargs["width"], kwargs["height"], "RGBA", bytes(100))


@pytest.mark.parametrize("value", [2.0, "2", True])
def test_dimension_not_an_int(value):
    with pytest.raises(TypeError, match=r"width must be an int, got"):
        VideoFrame(value, 2, "RGBA", bytes(100))


def test_data_not_a_buffer():
    with pytest.raises(TypeError, match=r"data must be a bytes-like object, got list"):
        VideoFrame(1, 1, "RGBA", [0, 0, 0, 0])


def test_non_contiguous_data():
    view = memoryview(bytes(32))[::2]
    with pytest.raises(InvalidFrameError, match=r"data must be a C-contiguous buffer"):
        VideoFrame(2, 2, "RGBA", view)


@pytest.mark.parametrize("value", [object(), b"abcd", None])
def test_as_frame_of_something_else(value):
    with pytest.raises(TypeError, match=r"expected a VideoFrame or a livekit.rtc.VideoFrame .*got "):
        as_video_frame(value)


@given(
    type=st.sampled_from(list(VideoBufferType)),
    width=st.integers(1, 64),
    height=st.integers(1, 64),
    extra=st.integers(-3, 3),
)
def test_validation_property(type, width, height, extra):
    """A frame builds exactly when its data is long enough and a 4:2:0 frame's sides are even."""
    size = max(video_frame_size(type, width, height) + extra, 0)
    ok = size >= video_frame_size(type, width, height) and not (type.is_yuv420 and (width % 2 or height % 2))
    if ok:
        assert len(VideoFrame(width, height, type, bytes(size)).data) == video_frame_size(type, width, height)
    else:
        with pytest.raises(InvalidFrameError):
            VideoFrame(width, height, type, bytes(size))
