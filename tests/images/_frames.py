"""Frames made in the tests: gradients, noise, random bytes, in every buffer type."""

from __future__ import annotations

import sys
from functools import cache
from importlib import metadata, util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from tests.conftest import full_leg, require

from agentutils_images import VideoBufferType, VideoFrame, video_frame_size

ALL_TYPES = list(VideoBufferType)
PACKED_TYPES = [t for t in VideoBufferType if not t.is_yuv420]
YUV_TYPES = [t for t in VideoBufferType if t.is_yuv420]


def rgb_gradient(np: Any, width: int, height: int) -> Any:
    """A smooth (height, width, 3) uint8 image: red across, green down, blue diagonal."""
    x = np.linspace(0, 255, width)[None, :]
    y = np.linspace(0, 255, height)[:, None]
    r = np.broadcast_to(x, (height, width))
    g = np.broadcast_to(y, (height, width))
    b = (r + g) / 2
    return np.stack([r, g, b], axis=-1).round().astype(np.uint8)


def rgb_noise(np: Any, width: int, height: int, seed: int = 0) -> Any:
    """Uniform noise, (height, width, 3) uint8."""
    return np.random.default_rng(seed).integers(0, 256, (height, width, 3), dtype=np.uint8)


def frame_from_rgb(np: Any, rgb: Any, type: VideoBufferType, alpha: int = 255) -> VideoFrame:
    """A frame of ``type`` holding ``rgb`` (for 4:2:0 types, its conversion)."""
    from agentutils_images import convert

    h, w = rgb.shape[:2]
    source = VideoFrame(w, h, "RGB24", np.ascontiguousarray(rgb).tobytes())
    if type.is_yuv420:
        return convert(source, type)
    rgba = np.concatenate([rgb, np.full((h, w, 1), alpha, dtype=np.uint8)], axis=-1)
    with_alpha = VideoFrame(w, h, "RGBA", rgba.tobytes())
    return convert(with_alpha, type)


def random_frame(np: Any, type: VideoBufferType, width: int, height: int, seed: int = 0) -> VideoFrame:
    """A frame of random bytes (any value in any channel or plane)."""
    data = np.random.default_rng(seed).integers(0, 256, video_frame_size(type, width, height), dtype=np.uint8)
    return VideoFrame(width, height, type, data.tobytes())


@cache
def _load_upstream_images() -> ModuleType | None:
    """Upstream's ``livekit/agents/utils/images/image.py``, loaded alone.

    Importing ``livekit.agents`` takes seconds (it imports the whole framework); its image
    module needs only ``livekit.rtc`` and Pillow, so the test oracle loads that file.
    """
    try:
        dist = metadata.distribution("livekit-agents")
    except metadata.PackageNotFoundError:
        return None
    path = Path(str(dist.locate_file("livekit/agents/utils/images/image.py")))
    spec = util.spec_from_file_location("_upstream_livekit_images", path)
    assert spec is not None
    assert spec.loader is not None
    module = util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    module.import_pil()
    return module


def upstream_images() -> ModuleType:
    """Upstream's image module (``encode``, ``EncodeOptions``...), or skip; fail in the full leg."""
    require("livekit.rtc")
    require("PIL")
    module = _load_upstream_images()
    if module is None:
        if full_leg():
            pytest.fail("livekit-agents must be installed in the full matrix leg")
        pytest.skip("livekit-agents is not installed")
    return module
