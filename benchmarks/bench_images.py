"""agentutils-images vs livekit-agents: a camera frame to JPEG, as a vision agent sends it.

The reference is ``livekit.agents.utils.images.encode`` (livekit's native conversion to
RGBA, then Pillow). Ours is ``agentutils_images.encode`` with each built-in encoder, given
the very same ``livekit.rtc.VideoFrame``. JPEG at quality 75, 720p and 1080p, I420 (what
cameras and livekit's video streams deliver) and RGBA, with and without a resize to 1024
wide (``scale_aspect_fit`` into 1024x1024).

The machine is shared, so the cases compared are timed in interleaved rounds (each round
times every case once) and the medians over the rounds are reported.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

import agentutils_images as ai
from _common import Row, interleaved, print_rows

SIZES = {"720p": (1280, 720), "1080p": (1920, 1080)}


def _camera_rgb(width: int, height: int) -> np.ndarray:
    """A smooth scene with sensor noise: what a JPEG encoder meets from a camera."""
    rng = np.random.default_rng(7)
    x = np.linspace(0, 1, width)[None, :]
    y = np.linspace(0, 1, height)[:, None]
    r = 40 + 180 * x + 0 * y
    g = 60 + 150 * y + 0 * x
    b = 120 + 90 * np.sin(6 * x) * np.cos(4 * y)
    rgb = np.stack([r, g, b], axis=-1) + rng.normal(0, 3, (height, width, 3))
    return np.clip(rgb, 0, 255).astype(np.uint8)


def _rows(label: str, width: int, height: int, type_name: str) -> list[Row]:
    from livekit import rtc
    from livekit.agents.utils import images

    rgb = _camera_rgb(width, height)
    rgba_frame = ai.VideoFrame(
        width, height, "RGBA", np.concatenate([rgb, np.full((height, width, 1), 255, np.uint8)], -1).tobytes()
    )
    frame = rgba_frame if type_name == "RGBA" else ai.convert(rgba_frame, type_name)
    lk = rtc.VideoFrame(width, height, getattr(rtc.VideoBufferType, type_name), bytearray(frame.data))
    rows = []
    for resized in (False, True):
        resize = ai.ResizeOptions(1024, 1024, "scale_aspect_fit") if resized else None
        ref_resize = images.ResizeOptions(1024, 1024, "scale_aspect_fit") if resized else None
        ours_options = ai.EncodeOptions(format="JPEG", quality=75, resize_options=resize)
        ref_options = images.EncodeOptions(format="JPEG", quality=75, resize_options=ref_resize)
        cases: dict[str, Callable[[], object]] = {
            "reference": lambda o=ref_options: images.encode(lk, o),  # type: ignore[misc]
            "simplejpeg": lambda o=ours_options: ai.encode(lk, o, encoder="simplejpeg"),  # type: ignore[misc]
            "pillow": lambda o=ours_options: ai.encode(lk, o, encoder="pillow"),  # type: ignore[misc]
        }
        t = interleaved(cases, target=0.05)
        what = f"{label} {type_name}" + (" -> 1024 wide" if resized else "")
        i420 = type_name == "I420"
        rows += [
            Row(f"{what}, simplejpeg", t["simplejpeg"], t["reference"], ">= 2x" if i420 else ""),
            Row(f"{what}, pillow", t["pillow"], t["reference"], "" if i420 else ">= 1x"),
        ]
    return rows


def main() -> None:
    rows: list[Row] = []
    for label, (width, height) in SIZES.items():
        for type_name in ("I420", "RGBA"):
            rows += _rows(label, width, height, type_name)
    print_rows("images: encode a camera frame to JPEG q75 (vs livekit.agents.utils.images.encode)", rows)


if __name__ == "__main__":
    main()
