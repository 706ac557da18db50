"""Resize strategies: upstream's sizes, black bars, centred crops, the resampling filter."""

from __future__ import annotations

import io

import pytest
from hypothesis import assume, given, settings, strategies as st
from tests.conftest import require
from tests.images._frames import ALL_TYPES, frame_from_rgb, upstream_images

from agentutils_images import (
    EncodeOptions,
    ResizeOptions,
    VideoBufferType,
    encode,
    paste_pixels,
    resample_pixels,
    resize_plan,
)

STRATEGIES = ["center_aspect_fit", "center_aspect_cover", "scale_aspect_fit", "scale_aspect_cover", "skew"]
sides = st.integers(1, 300)
small = st.integers(1, 160)


@given(w=sides, h=sides, width=sides, height=sides, strategy=st.sampled_from(STRATEGIES))
def test_plan_properties(w, h, width, height, strategy):
    plan = resize_plan(w, h, ResizeOptions(width, height, strategy))
    sw, sh = plan.scaled_width, plan.scaled_height
    assert sw >= 1
    assert sh >= 1
    if strategy == "skew":
        assert (plan.width, plan.height, sw, sh) == (width, height, width, height)
        return
    if strategy.startswith("center"):
        assert (plan.width, plan.height) == (width, height)
        assert (plan.x, plan.y) == ((width - sw) // 2, (height - sh) // 2)
    else:
        assert (plan.width, plan.height, plan.x, plan.y) == (sw, sh, 0, 0)
    assert sw == width or sh == height  # one side is the box's
    if strategy.endswith("fit"):
        assert sw <= width
        assert sh <= height
    else:
        assert sw >= width or sh >= height
    # the aspect ratio is kept, within the truncation of one side
    assert abs(sw / sh - w / h) <= w / h * (1 / sh + 1 / sw) + 1e-9 or min(sw, sh) == 1


def test_no_resize_keeps_the_size():
    plan = resize_plan(640, 360, None)
    assert (plan.width, plan.height, plan.scaled_width, plan.scaled_height) == (640, 360, 640, 360)


@settings(max_examples=100)
@given(w=small, h=small, width=small, height=small, strategy=st.sampled_from(STRATEGIES))
def test_sizes_identical_to_upstream(w, h, width, height, strategy):
    image_module = require("PIL.Image")
    upstream = upstream_images()
    plan = resize_plan(w, h, ResizeOptions(width, height, strategy))
    assume(plan.scaled_width * plan.scaled_height <= 100_000)  # upstream resizes a real image
    options = upstream.EncodeOptions(resize_options=upstream.ResizeOptions(width, height, strategy))
    try:
        resized = upstream._resize_image(image_module.new("RGB", (w, h)), options)
    except ValueError:  # upstream fails where a scaled side truncates to 0; ours is 1
        assert min(int(h * (width / w)), int(w * (height / h))) == 0
        return
    assert resized.size == (plan.width, plan.height)


def decoded_png(np, data):
    image_module = require("PIL.Image")
    with image_module.open(io.BytesIO(data)) as image:
        return np.asarray(image.convert("RGB")).astype(int)


def bright_frame(np, type, width, height):
    """A frame with no black pixel: a gradient lifted to 64..255."""
    x = np.linspace(64, 255, width)[None, :].repeat(height, 0)
    y = np.linspace(64, 255, height)[:, None].repeat(width, 1)
    rgb = np.stack([x, y, (x + y) / 2], axis=-1).round().astype(np.uint8)
    return frame_from_rgb(np, rgb, type)


@pytest.mark.parametrize("type", ALL_TYPES, ids=lambda t: t.name)
@pytest.mark.parametrize(("w", "h", "box"), [(96, 48, (50, 50)), (40, 80, (60, 30)), (64, 36, (65, 40))])
def test_letterbox_bars_are_black(type, w, h, box):
    np = require("numpy")
    require("PIL")
    frame = bright_frame(np, type, w, h)
    resize = ResizeOptions(*box, "center_aspect_fit")
    plan = resize_plan(w, h, resize)
    out = decoded_png(np, encode(frame, EncodeOptions(format="PNG", resize_options=resize)))
    assert out.shape == (box[1], box[0], 3)
    inside = np.zeros(out.shape[:2], dtype=bool)
    inside[plan.y : plan.y + plan.scaled_height, plan.x : plan.x + plan.scaled_width] = True
    assert (~inside).any()  # there are bars
    assert (out[~inside] == 0).all()
    assert (out[inside].max(axis=-1) >= 40).all()  # the image itself is bright, bars do not eat into it


@pytest.mark.parametrize("type", ALL_TYPES, ids=lambda t: t.name)
@pytest.mark.parametrize(("w", "h", "box"), [(120, 40, (40, 40)), (40, 120, (50, 40)), (102, 50, (33, 33))])
def test_cover_crops_the_centre(type, w, h, box):
    """A frame with a strong horizontal and vertical ramp: a shifted crop changes every pixel."""
    np = require("numpy")
    require("PIL")
    frame = bright_frame(np, type, w, h)
    resize = ResizeOptions(*box, "center_aspect_cover")
    plan = resize_plan(w, h, resize)
    assert plan.x <= 0
    assert plan.y <= 0
    out = decoded_png(np, encode(frame, EncodeOptions(format="PNG", resize_options=resize)))
    whole = ResizeOptions(plan.scaled_width, plan.scaled_height, "skew")
    full = decoded_png(np, encode(frame, EncodeOptions(format="PNG", resize_options=whole)))

    def luma(rgb):
        return rgb @ np.array([0.299, 0.587, 0.114])

    def error(dx, dy):
        x, y = -plan.x + dx, -plan.y + dy
        return np.abs(luma(out) - luma(full[y : y + box[1], x : x + box[0]])).mean()

    if type.is_yuv420:  # chroma blocks are cut at the nearest even offset
        assert error(0, 0) < 2
        shifts = [(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1) if (dx, dy) != (0, 0)]
        shifts = [(dx, dy) for dx, dy in shifts if 0 <= -plan.x + dx <= full.shape[1] - box[0]]
        shifts = [(dx, dy) for dx, dy in shifts if 0 <= -plan.y + dy <= full.shape[0] - box[1]]
        assert all(error(0, 0) < error(dx, dy) for dx, dy in shifts)
    else:
        assert error(0, 0) == 0
    # centred: what is cut on each side differs by at most one pixel
    assert abs((plan.scaled_width - box[0]) - 2 * -plan.x) <= 1
    assert abs((plan.scaled_height - box[1]) - 2 * -plan.y) <= 1


UPSTREAM_TYPES = [VideoBufferType.RGBA, VideoBufferType.BGRA, VideoBufferType.I420, VideoBufferType.NV12]


@pytest.mark.parametrize("type", UPSTREAM_TYPES, ids=lambda t: t.name)
@pytest.mark.parametrize("strategy", STRATEGIES)
def test_geometry_matches_upstream_with_livekit_frames(type, strategy):
    """Same size, bars in the same places, the same picture (bilinear here, bicubic there)."""
    np = require("numpy")
    rtc = require("livekit.rtc")
    images = upstream_images()
    frame = bright_frame(np, type, 96, 54)
    lk = rtc.VideoFrame(96, 54, int(type), bytearray(frame.data))
    theirs = decoded_png(
        np,
        images.encode(
            lk, images.EncodeOptions(format="PNG", resize_options=images.ResizeOptions(48, 40, strategy))
        ),
    )
    ours = decoded_png(
        np, encode(lk, EncodeOptions(format="PNG", resize_options=ResizeOptions(48, 40, strategy)))
    )
    assert ours.shape == theirs.shape
    black_theirs = theirs.max(axis=-1) == 0
    black_ours = ours.max(axis=-1) == 0
    assert np.array_equal(black_ours, black_theirs)
    # 4:2:0 frames are resized plane by plane here, after upsampling chroma there
    assert np.abs(ours - theirs).mean() < (3 if type.is_yuv420 else 1.5)


@settings(max_examples=40)
@given(
    h=st.integers(1, 40),
    w=st.integers(1, 40),
    height=st.integers(1, 40),
    width=st.integers(1, 40),
    channels=st.sampled_from([0, 3, 4]),
    seed=st.integers(0, 2**32 - 1),
)
def test_numpy_resampling_is_pillows_bilinear(h, w, height, width, channels, seed):
    np = require("numpy")
    require("PIL")
    from agentutils_images import resize

    shape = (h, w) if channels == 0 else (h, w, channels)
    pixels = np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8)
    by_pillow = resample_pixels(pixels, width, height).astype(int)
    by_numpy = resize._resample_numpy(pixels, width, height).astype(int)
    assert by_numpy.shape == by_pillow.shape == (height, width, *shape[2:])
    assert np.abs(by_numpy - by_pillow).max() <= 1


def test_without_pillow_resampling_uses_numpy(monkeypatch):
    np = require("numpy")
    from agentutils_images import resize

    monkeypatch.setattr(resize, "_pillow", lambda: None)
    pixels = np.arange(64, dtype=np.uint8).reshape(8, 8)
    out = resample_pixels(pixels, 4, 4)
    # each output pixel of a 2x downscale of a linear ramp is the mean of its 2x2 block (and neighbours)
    assert out.shape == (4, 4)
    assert np.array_equal(out, resize._resample_numpy(pixels, 4, 4))
    assert resample_pixels(pixels, 8, 8) is pixels  # no resize, no copy


def test_paste_clips_on_every_side():
    np = require("numpy")
    canvas = np.zeros((4, 4), dtype=np.uint8)
    image = np.arange(1, 10, dtype=np.uint8).reshape(3, 3)
    paste_pixels(canvas, image, -1, 2)
    assert canvas.tolist() == [[0, 0, 0, 0], [0, 0, 0, 0], [2, 3, 0, 0], [5, 6, 0, 0]]
    untouched = np.zeros((2, 2), dtype=np.uint8)
    assert paste_pixels(untouched, image, 5, 5).sum() == 0


@settings(max_examples=30)
@given(
    type=st.sampled_from(ALL_TYPES),
    half_w=st.integers(1, 40),
    half_h=st.integers(1, 40),
    width=st.integers(1, 90),
    height=st.integers(1, 90),
    strategy=st.sampled_from(STRATEGIES),
    writer=st.sampled_from([("pillow", "PNG"), ("pillow", "JPEG"), ("simplejpeg", "JPEG")]),
)
def test_any_frame_any_resize_any_encoder_gives_the_planned_size(
    type, half_w, half_h, width, height, strategy, writer
):
    np = require("numpy")
    require("PIL")
    require("simplejpeg")
    from tests.images._frames import random_frame

    frame = random_frame(np, type, 2 * half_w, 2 * half_h)
    resize = ResizeOptions(width, height, strategy)
    plan = resize_plan(frame.width, frame.height, resize)
    encoder, fmt = writer
    data = encode(frame, EncodeOptions(format=fmt, resize_options=resize), encoder=encoder)
    assert decoded_png(np, data).shape == (plan.height, plan.width, 3)
