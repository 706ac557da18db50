"""The agentutils meta-package: lazy flat API, and the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import full_leg, require

import agentutils
import agentutils_events
import agentutils_filters


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, **env}, check=False
    )


def test_import_loads_no_member():
    # Only the lazy-export helper of core (which imports nothing else) is loaded.
    result = run_python("import sys, agentutils; print(sorted(m for m in sys.modules if 'agentutils' in m))")
    loaded = ["agentutils", "agentutils.__about__"]
    loaded += ["agentutils_core", "agentutils_core.__about__", "agentutils_core.lazy"]
    assert result.stdout.strip() == str(loaded)
    result = run_python(
        "import sys, agentutils; print([m for m in ('typing', 'asyncio') if m in sys.modules])"
    )
    assert result.stdout.strip() == "[]"


def test_event_emitter_alone_never_imports_numpy_or_aiohttp():
    code = (
        "import sys, agentutils\n"
        "agentutils.EventEmitter[str]().emit('x')\n"
        "heavy = ('numpy', 'aiohttp', 'livekit', 'agentutils_audio', 'agentutils_pool')\n"
        "print([m for m in heavy if m in sys.modules])"
    )
    assert run_python(code).stdout.strip() == "[]"


# Where each flat name lives, written out here rather than read from agentutils._LAZY, so
# that a wrong mapping in the façade fails.
CORE = "NOT_GIVEN NotGiven NotGivenOr BoundedDict is_given log_exceptions nodename shortuuid time_ms"
CORE += " resolve_env_var resolve_env_int is_dev_mode is_hosted"
RTC = "wait_for_agent wait_for_participant wait_for_participant_attribute wait_for_track_publication"
HOMES = {
    **dict.fromkeys(CORE.split(), "agentutils_core"),
    **dict.fromkeys(["EventEmitter", "AsyncEventEmitter"], "agentutils_events"),
    **dict.fromkeys(
        [
            "AudioFrame",
            "AudioByteStream",
            "AudioBuffer",
            "AudioArrayBuffer",
            "combine_frames",
            "merge_frames",
        ],
        "agentutils_audio",
    ),
    "ConnectionPool": "agentutils_pool",
    **dict.fromkeys(RTC.split(), "agentutils_rtc_helpers"),
    **dict.fromkeys(["ExpFilter", "MovingAverage"], "agentutils_filters"),
}
MODULES = {
    "aio": "agentutils_core.aio",
    "audio": "agentutils_audio",
    "codecs": "agentutils_codecs",
    "images": "agentutils_images",
    "hw": "agentutils_hw",
    "http_context": "agentutils_http.http_context",
    "http_server": "agentutils_http.http_server",
}


def test_every_exported_name_has_a_known_home():
    assert set(agentutils.__all__) == {*HOMES, *MODULES, "__version__"}
    assert agentutils.__version__ == agentutils_events.__version__  # lockstep


@pytest.mark.parametrize("name", agentutils.__all__)
def test_every_exported_name_is_the_members_object(name):
    import importlib

    value = getattr(agentutils, name)
    if name in MODULES:
        assert value is importlib.import_module(MODULES[name])
    elif name != "__version__":
        assert value is getattr(importlib.import_module(HOMES[name]), name)
    assert name in dir(agentutils)


def test_unknown_attribute():
    with pytest.raises(AttributeError, match="module 'agentutils' has no attribute 'nope'"):
        _ = agentutils.nope


def test_livekit_agents_utils_names_are_covered():
    # Every flat name of livekit.agents.utils is provided under the same name.
    expected = {
        "AudioBuffer", "AudioArrayBuffer", "merge_frames", "combine_frames", "time_ms", "nodename",
        "shortuuid", "http_context", "http_server", "ExpFilter", "MovingAverage", "BoundedDict",
        "EventEmitter", "log_exceptions", "codecs", "images", "audio", "aio", "hw", "is_dev_mode",
        "is_given", "is_hosted", "ConnectionPool", "wait_for_agent", "wait_for_participant",
        "wait_for_track_publication", "resolve_env_var", "resolve_env_int",
    }  # fmt: skip
    assert expected <= set(agentutils.__all__)
    if full_leg():
        reference = require("livekit.agents.utils")
        assert set(reference.__all__) <= set(agentutils.__all__)


def cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "agentutils", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )


def test_plugins_json_describes_registrations_and_selection():
    env = {k: v for k, v in os.environ.items() if k != "AGENTUTILS_AUDIO_BACKEND"}
    result = subprocess.run(
        [sys.executable, "-m", "agentutils", "plugins", "--json"], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    audio = {p["name"]: p for p in data["kinds"]["audio_backends"]["providers"]}
    assert audio["python"]["available"] is True
    assert audio["python"]["distribution"] == "agentutils-audio"
    assert audio["example"]["distribution"] == "agentutils-example-plugin"
    assert audio["example"]["priority"] < audio["python"]["priority"]
    selected = data["kinds"]["audio_backends"]["selected"]
    assert selected["reason"] == "priority"
    assert selected["name"] == ("numpy" if audio["numpy"]["available"] else "python")
    if not audio["numpy"]["available"]:
        assert "agentutils-audio[numpy]" in audio["numpy"]["unavailable_reason"]
    pool = data["kinds"]["pool_connectors"]
    connectors = {p["name"]: p for p in pool["providers"]}
    assert connectors["tcp"]["handles"] == ["tcp", "tls"]
    assert connectors["tcp"]["builtin"] is True
    assert pool["selected_for"]["tcp"]["name"] == "tcp"
    # The third-party example plugin's connector is listed beside the built-in ones.
    assert connectors["memory"]["distribution"] == "agentutils-example-plugin"
    assert connectors["memory"]["builtin"] is False
    assert connectors["memory"]["handles"] == ["memory"]
    assert pool["selected_for"]["memory"]["name"] == "memory"
    # Every installed kind is listed, with no table of kinds in the command.
    assert {"audio_backends", "pool_connectors"} <= set(data["kinds"])
    plugins = {p["name"]: p for p in data["plugins"]}
    assert "audio backend 'python'" in plugins["audio"]["registers"]


def test_plugins_text_says_why_a_backend_is_selected():
    result = cli("plugins", AGENTUTILS_AUDIO_BACKEND="python")
    assert result.returncode == 0, result.stderr
    assert "selected: python (named by AGENTUTILS_AUDIO_BACKEND)" in result.stdout
    assert "registers audio backend 'example'" in result.stdout
    assert "registers pool connector 'memory'" in result.stdout
    assert "failed to load: none" in result.stdout


def test_plugins_text_reports_an_unknown_backend_in_the_environment():
    result = cli("plugins", AGENTUTILS_AUDIO_BACKEND="nope")
    assert result.returncode == 0, result.stderr
    assert "selected: none (UnknownProviderError: unknown audio backend 'nope'" in result.stdout


def test_doctor():
    result = cli("doctor", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["python"]["version"] == ".".join(map(str, sys.version_info[:3]))
    members = {m["distribution"]: m["version"] for m in data["members"]}
    assert members["agentutils-events"] == agentutils_events.__version__
    assert set(members) == {f"agentutils-{p.name}" for p in Path(__file__).parents[2].glob("packages/*")}
    soxr = next(o for o in data["optional"] if o["name"] == "soxr")
    assert "agentutils-audio[soxr]" in soxr["enables"]
    leg = os.environ.get("AGENTUTILS_TEST_LEG")
    if leg:
        assert (soxr["version"] is not None) is (leg == "full")
    assert data["ok"] is True
    text = cli("doctor").stdout
    assert "members:" in text
    assert f"agentutils-filters       {agentutils_filters.__version__}" in text


def test_entry_point_script_matches_module():
    import shutil

    script = shutil.which("agentutils", path=os.path.dirname(sys.executable))
    assert script is not None
    result = subprocess.run([script, "plugins", "--json"], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert json.loads(result.stdout)["plugins"]


def test_cli_usage_error():
    result = cli("frobnicate")
    assert result.returncode == 2
    assert "invalid choice: 'frobnicate'" in result.stderr
