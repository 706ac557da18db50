"""The image-encoder kind: built-ins, selection rule, plugins, and what is said when none fits."""

from __future__ import annotations

import importlib.util
import warnings

import pytest
from tests.conftest import loaded_after, require
from tests.images._frames import random_frame

from agentutils_core import ProviderUnavailableError, UnknownProviderError
from agentutils_images import (
    ENCODER_ENV_VAR,
    EncodeOptions,
    ImageEncoder,
    PillowEncoder,
    SimpleJpegEncoder,
    UnsupportedFormatError,
    VideoBufferType,
    check_encoder,
    encode,
    get_encoder,
    image_encoders,
)

HAS_PILLOW = importlib.util.find_spec("PIL") is not None
HAS_SIMPLEJPEG = importlib.util.find_spec("simplejpeg") is not None


def test_builtins_are_registered_through_the_entry_point():
    entries = {e.name: e for e in image_encoders.entries()}
    assert {"pillow", "simplejpeg"} <= set(entries)
    for name in ("pillow", "simplejpeg"):
        assert entries[name].builtin
        assert entries[name].plugin.distribution == "agentutils-images"
    assert isinstance(entries["pillow"].provider, PillowEncoder)
    assert entries["pillow"].provider.formats == {"JPEG", "PNG", "WEBP"}
    assert entries["simplejpeg"].provider.formats == {"JPEG"}
    assert image_encoders.kind == "image encoder"
    assert image_encoders.env_var == ENCODER_ENV_VAR == "AGENTUTILS_IMAGE_ENCODER"


def test_availability_follows_the_installed_libraries():
    assert image_encoders.availability("pillow")[0] is HAS_PILLOW
    assert image_encoders.availability("simplejpeg")[0] is HAS_SIMPLEJPEG
    assert (
        PillowEncoder().unavailable_reason() == "Pillow is not installed: install agentutils-images[pillow]"
    )
    assert "install agentutils-images[simplejpeg]" in SimpleJpegEncoder().unavailable_reason()


def test_importing_the_member_registers_nothing():
    assert loaded_after("import agentutils_images", ["numpy", "PIL", "simplejpeg", "livekit", "pluggy"]) == []


def both_installed() -> None:
    require("numpy")
    require("PIL")
    require("simplejpeg")


def test_jpeg_goes_to_simplejpeg_by_priority_and_png_to_pillow():
    both_installed()
    assert get_encoder("JPEG").name == "simplejpeg"
    assert get_encoder("jpg").name == "simplejpeg"
    assert get_encoder("PNG").name == "pillow"
    assert get_encoder("webp").name == "pillow"
    selection = image_encoders.select(None, where=lambda e: "JPEG" in e.formats)
    assert selection.reason == "priority"


def test_the_encoder_argument_wins(monkeypatch):
    both_installed()
    monkeypatch.setenv(ENCODER_ENV_VAR, "simplejpeg")
    assert get_encoder("JPEG", "pillow").name == "pillow"
    encoder = PillowEncoder()
    assert get_encoder("JPEG", encoder) is encoder


def test_the_environment_variable_chooses_for_the_formats_it_writes(monkeypatch):
    both_installed()
    monkeypatch.setenv(ENCODER_ENV_VAR, "pillow")
    assert get_encoder("JPEG").name == "pillow"
    monkeypatch.setenv(ENCODER_ENV_VAR, "simplejpeg")
    assert get_encoder("JPEG").name == "simplejpeg"
    assert get_encoder("PNG").name == "pillow"  # ignored for a format simplejpeg does not write


def test_the_environment_variable_naming_no_encoder(monkeypatch):
    monkeypatch.setenv(ENCODER_ENV_VAR, "turbo")
    with pytest.raises(
        UnknownProviderError, match=r"unknown image encoder 'turbo' \(from environment variable"
    ):
        get_encoder("JPEG")


def test_encoder_that_does_not_write_the_format():
    with pytest.raises(
        UnsupportedFormatError, match=r"image encoder 'simplejpeg' does not write PNG; it writes JPEG"
    ):
        get_encoder("PNG", "simplejpeg")
    with pytest.raises(UnsupportedFormatError, match=r"image encoder 'simplejpeg' does not write WEBP"):
        get_encoder("WEBP", SimpleJpegEncoder())


def test_unknown_encoder_name_lists_the_known_ones():
    with pytest.raises(
        UnknownProviderError, match=r"unknown image encoder 'turbo'; known: .*pillow, simplejpeg"
    ):
        get_encoder("JPEG", "turbo")


def test_unknown_format_lists_the_written_ones():
    with pytest.raises(
        UnsupportedFormatError, match=r"unknown image format 'tiff'; .* write JPEG, PNG, WEBP"
    ):
        get_encoder("tiff")


@pytest.mark.parametrize("value", [1, b"pillow", object()])
def test_encoder_argument_of_the_wrong_kind(value):
    with pytest.raises(
        TypeError,
        match=r"encoder must be an image encoder name \(str\), an image encoder object or None, got",
    ):
        get_encoder("JPEG", value)


def test_an_encoder_object_that_is_not_available():
    class Missing(PillowEncoder):
        name = "missing"

        def is_available(self):
            return False

    with pytest.raises(
        ProviderUnavailableError, match=r"image encoder 'missing' is not available: Pillow is not"
    ):
        get_encoder("PNG", Missing())


@pytest.mark.parametrize(
    ("formats", "shown"),
    [
        (None, "None"),
        ("JPEG", "'JPEG'"),
        (frozenset(), r"frozenset\(\)"),
        ({"jpeg"}, r"\{'jpeg'\}"),
        ({1}, r"\{1\}"),
    ],
)
def test_check_encoder_wants_upper_case_format_names(formats, shown):
    class Bad:
        name, priority = "bad", 0
        is_available = encode = staticmethod(lambda *a: True)

    Bad.formats = formats
    with pytest.raises(TypeError, match=rf"image encoder 'bad' must have 'formats', .* got {shown}"):
        check_encoder(Bad())


def test_check_encoder_wants_encode():
    class NoEncode:
        name, priority, formats = "noencode", 0, {"JPEG"}

        def is_available(self):
            return True

    with pytest.raises(TypeError, match=r"image encoder 'noencode' must implement encode"):
        check_encoder(NoEncode())


# ---------------------------------------------------------------- nothing installed


@pytest.fixture
def nothing_installed(monkeypatch, fresh_plugins):
    """As if neither Pillow nor simplejpeg were installed (the isolated environment is really so)."""
    for cls in (PillowEncoder, SimpleJpegEncoder):
        monkeypatch.setattr(cls, "is_available", lambda self: False)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_no_encoder_installed_names_the_extra(nothing_installed, fmt):
    np = require("numpy")
    frame = random_frame(np, VideoBufferType.I420, 4, 4)
    with pytest.raises(
        ProviderUnavailableError, match=rf"no image encoder for format {fmt} is available: "
    ) as info:
        encode(frame, EncodeOptions(format=fmt))
    assert "pillow (Pillow is not installed: install agentutils-images[pillow])" in str(info.value)
    # simplejpeg is named where it would help, and only there
    assert ("agentutils-images[simplejpeg]" in str(info.value)) is (fmt == "JPEG")


def test_really_nothing_installed_names_the_extra():
    """In the isolated environment (numpy, no Pillow, no simplejpeg), encoding says what to install."""
    if HAS_PILLOW or HAS_SIMPLEJPEG:
        pytest.skip("an encoder is installed here; test_no_encoder_installed_names_the_extra simulates it")
    np = require("numpy")
    frame = random_frame(np, VideoBufferType.RGBA, 4, 4)
    with pytest.raises(ProviderUnavailableError, match=r"install agentutils-images\[pillow\]"):
        encode(frame)
    with pytest.raises(
        ProviderUnavailableError, match=r"image encoder 'pillow' is not available: Pillow is not"
    ):
        encode(frame, EncodeOptions(format="PNG"), encoder="pillow")


# ---------------------------------------------------------------- a third party's encoder

PPM_PLUGIN = """
from agentutils_core import hookimpl


class PpmEncoder:
    name = "ppm"
    priority = 5
    formats = frozenset({"PPM"})
    calls = []

    def is_available(self):
        return True

    def encode(self, image, format, quality):
        PpmEncoder.calls.append((image.layout, format, quality))
        rgb = image.rgb()
        return b"P6 %d %d 255\\n" % (image.width, image.height) + rgb.tobytes()


class FastJpeg:
    name = "fastjpeg"
    priority = PRIORITY
    formats = frozenset({"JPEG"})

    def is_available(self):
        return True

    def encode(self, image, format, quality):
        return b"fastjpeg"


@hookimpl
def agentutils_image_encoders():
    return [PpmEncoder(), FastJpeg()]
"""


def test_a_plugin_adds_a_format_and_can_take_over_jpeg(make_plugin):
    np = require("numpy")
    make_plugin("ppm", PPM_PLUGIN.replace("PRIORITY", "100"))
    frame = random_frame(np, VideoBufferType.NV12, 4, 2)
    from agentutils_images import to_rgb

    assert encode(frame, EncodeOptions(format="ppm")) == b"P6 4 2 255\n" + to_rgb(frame).tobytes()
    entry = next(e for e in image_encoders.entries() if e.name == "ppm")
    assert not entry.builtin
    assert entry.provider.calls == [("YUV420", "PPM", 75)]
    assert encode(frame) == b"fastjpeg"  # priority 100 beats the built-ins for JPEG
    assert get_encoder("PPM").name == "ppm"


def test_a_plugin_tying_a_builtin_is_skipped_with_a_warning(make_plugin):
    np = require("numpy")
    require("simplejpeg")
    from agentutils_core import PluginWarning

    make_plugin("ppm", PPM_PLUGIN.replace("PRIORITY", "20"))
    frame = random_frame(np, VideoBufferType.RGBA, 4, 4)
    with pytest.warns(PluginWarning, match=r"ties the built-in 'simplejpeg'"):
        data = encode(frame)
    assert data.startswith(b"\xff\xd8")  # simplejpeg's JPEG, not the newcomer's
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert encode(frame, encoder="fastjpeg") == b"fastjpeg"  # still usable by name


def test_protocol_is_runtime_checkable():
    assert isinstance(PillowEncoder(), ImageEncoder)
    assert isinstance(SimpleJpegEncoder(), ImageEncoder)
    assert repr(PillowEncoder()) == "PillowEncoder()"
    assert repr(SimpleJpegEncoder()) == "SimpleJpegEncoder()"
