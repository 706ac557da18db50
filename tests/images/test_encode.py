"""encode / encode_async: every type, format and encoder, decoded back with Pillow."""

from __future__ import annotations

import io
import threading

import pytest
from tests.conftest import require
from tests.images._frames import (
    ALL_TYPES,
    frame_from_rgb,
    random_frame,
    rgb_gradient,
    rgb_noise,
    upstream_images,
)

from agentutils_images import (
    EncodeOptions,
    ResizeOptions,
    UnsupportedFormatError,
    VideoBufferType,
    encode,
    encode_async,
    resize_plan,
    to_rgb,
)

# (encoder, format): what the built-in encoders write
WRITERS = [("pillow", "JPEG"), ("pillow", "PNG"), ("pillow", "WEBP"), ("simplejpeg", "JPEG")]
LOSSY = {"JPEG", "WEBP"}


def decode(data: bytes):
    np = require("numpy")
    image_module = require("PIL.Image")
    with image_module.open(io.BytesIO(data)) as image:
        return image.format, np.asarray(image.convert("RGB")).astype(float)


def needs(encoder: str) -> None:
    require("numpy")
    require("PIL")  # to decode
    if encoder == "simplejpeg":
        require("simplejpeg")


def luma(rgb):
    return rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114


def gradient_bound(quality: int) -> float:
    """Mean error per channel allowed on a smooth gradient: shrinks as quality rises."""
    return 1.5 + (100 - quality) / 15


def noise_luma_bound(quality: int) -> float:
    """Mean luma error allowed on noise (chroma of noise is lost to 4:2:0 at any quality)."""
    return 1 + 0.4 * (100 - quality)


@pytest.mark.parametrize("type", ALL_TYPES, ids=lambda t: t.name)
@pytest.mark.parametrize(("encoder", "fmt"), WRITERS)
@pytest.mark.parametrize("quality", [10, 75, 95])
def test_gradient_in_every_type_format_and_encoder(type, encoder, fmt, quality):
    needs(encoder)
    np = require("numpy")
    frame = frame_from_rgb(np, rgb_gradient(np, 96, 64), type)
    data = encode(frame, EncodeOptions(format=fmt, quality=quality), encoder=encoder)
    decoded_format, decoded = decode(data)
    assert decoded_format == fmt
    assert decoded.shape == (64, 96, 3)
    source = to_rgb(frame).astype(float)
    if fmt == "PNG":
        assert np.array_equal(decoded, source)  # lossless: exactly the frame's RGB
    else:
        assert np.abs(decoded - source).mean() < gradient_bound(quality)


@pytest.mark.parametrize("type", ALL_TYPES, ids=lambda t: t.name)
@pytest.mark.parametrize(("encoder", "fmt"), WRITERS)
def test_noise_in_every_type_format_and_encoder(type, encoder, fmt):
    needs(encoder)
    np = require("numpy")
    frame = frame_from_rgb(np, rgb_noise(np, 48, 32, seed=5), type, alpha=17)  # alpha is dropped
    source = to_rgb(frame).astype(float)
    errors = []
    for quality in (10, 50, 95):
        _, decoded = decode(encode(frame, EncodeOptions(format=fmt, quality=quality), encoder=encoder))
        assert decoded.shape == source.shape
        if fmt == "PNG":
            assert np.array_equal(decoded, source)
            return
        errors.append(np.abs(luma(decoded) - luma(source)).mean())
        assert errors[-1] < noise_luma_bound(quality)
    assert errors[0] > errors[1] > errors[2]  # quality is passed through


@pytest.mark.parametrize(("encoder", "fmt"), WRITERS)
def test_quality_none_is_the_encoders_default(encoder, fmt):
    needs(encoder)
    np = require("numpy")
    frame = frame_from_rgb(np, rgb_gradient(np, 32, 32), VideoBufferType.I420)
    _, decoded = decode(encode(frame, EncodeOptions(format=fmt, quality=None), encoder=encoder))
    assert np.abs(decoded - to_rgb(frame)).mean() < gradient_bound(50)


@pytest.mark.parametrize("type", ALL_TYPES, ids=lambda t: t.name)
@pytest.mark.parametrize(("encoder", "fmt"), WRITERS)
@pytest.mark.parametrize(
    "resize",
    [
        ResizeOptions(40, 40, "center_aspect_fit"),
        ResizeOptions(40, 40, "center_aspect_cover"),
        ResizeOptions(41, 23, "scale_aspect_fit"),
        ResizeOptions(41, 23, "scale_aspect_cover"),
        ResizeOptions(33, 17, "skew"),
    ],
    ids=lambda r: r.strategy,
)
def test_resized_output_has_the_planned_size(type, encoder, fmt, resize):
    needs(encoder)
    np = require("numpy")
    frame = random_frame(np, type, 64, 36, seed=2)
    plan = resize_plan(64, 36, resize)
    _, decoded = decode(encode(frame, EncodeOptions(format=fmt, resize_options=resize), encoder=encoder))
    assert decoded.shape == (plan.height, plan.width, 3)


def test_default_options_are_jpeg_quality_75():
    needs("pillow")
    np = require("numpy")
    frame = frame_from_rgb(np, rgb_gradient(np, 32, 32), VideoBufferType.RGBA)
    assert encode(frame) == encode(frame, EncodeOptions())
    assert decode(encode(frame))[0] == "JPEG"


def test_format_is_case_insensitive_and_jpg_is_jpeg():
    needs("pillow")
    np = require("numpy")
    frame = frame_from_rgb(np, rgb_gradient(np, 16, 16), VideoBufferType.RGB24)
    assert decode(encode(frame, EncodeOptions(format="png")))[0] == "PNG"
    assert decode(encode(frame, EncodeOptions(format="jpg"), encoder="pillow"))[0] == "JPEG"


def test_channel_order_survives_every_packed_type():
    needs("pillow")
    np = require("numpy")
    colours = {"red": (255, 0, 0), "green": (0, 255, 0), "blue": (0, 0, 255)}
    for type in ALL_TYPES:
        if type.is_yuv420:
            continue
        for rgb in colours.values():
            frame = frame_from_rgb(np, np.full((4, 4, 3), rgb, dtype=np.uint8), type, alpha=0)
            _, decoded = decode(encode(frame, EncodeOptions(format="PNG")))
            assert (decoded == rgb).all(), (type, rgb)


async def test_encode_async_runs_in_a_worker_thread_and_gives_the_same_bytes():
    require("numpy")
    np = require("numpy")
    from agentutils_images import RawImage

    seen: list[int] = []

    class Recorder:
        name, priority, formats = "recorder", 0, frozenset({"RAW"})

        def is_available(self):
            return True

        def encode(self, image: RawImage, format, quality):
            seen.append(threading.get_ident())
            return image.rgb().tobytes()

    frame = frame_from_rgb(np, rgb_gradient(np, 8, 8), VideoBufferType.I420)
    options = EncodeOptions(format="RAW")
    data = await encode_async(frame, options, encoder=Recorder())
    assert data == encode(frame, options, encoder=Recorder()) == to_rgb(frame).tobytes()
    assert seen[0] != threading.get_ident()  # the async call ran elsewhere
    assert seen[1] == threading.get_ident()


async def test_encode_async_validates_before_starting_the_thread():
    with pytest.raises(TypeError, match=r"expected a VideoFrame or a livekit.rtc.VideoFrame"):
        await encode_async(object())


# ---------------------------------------------------------------- bad options


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"quality": 101}, ValueError, r"quality must be from 0 to 100, got 101"),
        ({"quality": -1}, ValueError, r"quality must be from 0 to 100, got -1"),
        ({"quality": 7.5}, TypeError, r"quality must be an int from 0 to 100 or None, got float"),
        ({"quality": True}, TypeError, r"quality must be an int from 0 to 100 or None, got bool"),
        ({"format": 3}, TypeError, r"image format must be a str such as 'JPEG', got int"),
        ({"resize_options": "big"}, TypeError, r"resize_options must be a ResizeOptions or None, got str"),
    ],
)
def test_bad_encode_options(kwargs, error, message):
    with pytest.raises(error, match=message):
        EncodeOptions(**kwargs)


def test_options_changed_after_construction_are_checked_at_encode():
    np = require("numpy")
    options = EncodeOptions()
    options.quality = 500
    with pytest.raises(ValueError, match=r"quality must be from 0 to 100, got 500"):
        encode(random_frame(np, VideoBufferType.RGBA, 2, 2), options)


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((0, 10, "skew"), ValueError, r"ResizeOptions.width must be greater than 0, got 0"),
        ((10, -1, "skew"), ValueError, r"ResizeOptions.height must be greater than 0, got -1"),
        ((10.0, 10, "skew"), TypeError, r"ResizeOptions.width must be an int, got float"),
        (
            (10, 10, "stretch"),
            ValueError,
            r"unknown resize strategy 'stretch'; expected one of center_aspect_fit",
        ),
    ],
)
def test_bad_resize_options(args, error, message):
    with pytest.raises(error, match=message):
        ResizeOptions(*args)


def test_unknown_format():
    np = require("numpy")
    frame = random_frame(np, VideoBufferType.RGBA, 2, 2)
    with pytest.raises(
        UnsupportedFormatError, match=r"unknown image format 'GIF'; the registered image encoders write"
    ):
        encode(frame, EncodeOptions(format="GIF"))


def test_frame_of_the_wrong_kind():
    with pytest.raises(TypeError, match=r"expected a VideoFrame or a livekit.rtc.VideoFrame .*got bytes"):
        encode(b"\xff" * 16)


# ---------------------------------------------------------------- upstream's objects and frames


def lk_frame(rtc, frame):
    return rtc.VideoFrame(frame.width, frame.height, int(frame.type), bytearray(frame.data))


def test_upstream_options_are_accepted():
    np = require("numpy")
    rtc = require("livekit.rtc")
    images = upstream_images()
    require("PIL")
    frame = frame_from_rgb(np, rgb_gradient(np, 64, 48), VideoBufferType.I420)
    theirs = images.EncodeOptions(
        format="PNG", resize_options=images.ResizeOptions(32, 32, "center_aspect_fit")
    )
    ours = EncodeOptions(format="PNG", resize_options=ResizeOptions(32, 32, "center_aspect_fit"))
    assert encode(lk_frame(rtc, frame), theirs) == encode(frame, ours)


@pytest.mark.parametrize("type", ALL_TYPES, ids=lambda t: t.name)
@pytest.mark.parametrize(("encoder", "fmt"), WRITERS)
def test_livekit_frames_of_every_type_livekit_builds(type, encoder, fmt):
    needs(encoder)
    np = require("numpy")
    rtc = require("livekit.rtc")
    frame = frame_from_rgb(np, rgb_gradient(np, 48, 32), type)
    lk = lk_frame(rtc, frame)
    assert lk.type == getattr(rtc.VideoBufferType, type.name)
    options = EncodeOptions(format=fmt, resize_options=ResizeOptions(20, 20, "center_aspect_cover"))
    assert encode(lk, options, encoder=encoder) == encode(frame, options, encoder=encoder)


@pytest.mark.parametrize("name", ["I420A", "I422", "I444", "I010"])
def test_livekit_types_not_supported_say_so(name):
    rtc = require("livekit.rtc")
    from agentutils_images import InvalidFrameError

    lk = rtc.VideoFrame(2, 2, getattr(rtc.VideoBufferType, name), bytearray(64))
    with pytest.raises(InvalidFrameError, match=rf"livekit's {name} \(\d\) is not supported"):
        encode(lk)


# upstream converts a frame with livekit's native code first; it can for these types only
# (ARGB and RGB24 raise, ABGR aborts the process).
UPSTREAM_TYPES = [VideoBufferType.RGBA, VideoBufferType.BGRA, VideoBufferType.I420, VideoBufferType.NV12]


@pytest.mark.parametrize("type", UPSTREAM_TYPES, ids=lambda t: t.name)
@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_close_to_upstream_encode(type, fmt):
    np = require("numpy")
    rtc = require("livekit.rtc")
    images = upstream_images()
    frame = frame_from_rgb(np, rgb_gradient(np, 96, 64), type)
    lk = lk_frame(rtc, frame)
    _, theirs = decode(images.encode(lk, images.EncodeOptions(format=fmt)))
    _, ours = decode(encode(lk, EncodeOptions(format=fmt), encoder="pillow"))
    assert ours.shape == theirs.shape
    assert np.abs(ours - theirs).mean() < (1 if fmt == "PNG" else 1.5)


@pytest.mark.parametrize(("encoder", "fmt"), [w for w in WRITERS if w[1] in LOSSY])
def test_the_ends_of_the_quality_range(encoder, fmt):
    needs(encoder)
    np = require("numpy")
    frame = frame_from_rgb(np, rgb_gradient(np, 32, 32), VideoBufferType.BGRA)
    worst = encode(frame, EncodeOptions(format=fmt, quality=0), encoder=encoder)
    best = encode(frame, EncodeOptions(format=fmt, quality=100), encoder=encoder)
    assert len(worst) < len(best)
    assert decode(worst)[1].shape == decode(best)[1].shape == (32, 32, 3)
