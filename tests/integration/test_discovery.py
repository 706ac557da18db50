"""Entry-point discovery across distributions: built-in members, the example plugin, broken plugins."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import version

import pytest

from agentutils_core import PluginManager, PluginWarning, __version__

# The example plugin is versioned on its own; the members (core's __version__) follow the release's.
EXAMPLE_VERSION = version("agentutils-example-plugin")


def test_built_in_members_register_through_their_entry_points():
    pm = PluginManager()
    by_dist = {p.distribution: p for p in pm.plugins}
    assert by_dist["agentutils-audio"].value == "agentutils_audio.hooks"
    assert by_dist["agentutils-pool"].value == "agentutils_pool.hooks"


def test_example_third_party_plugin_is_discovered():
    pm = PluginManager()
    (example,) = [p for p in pm.plugins if p.distribution == "agentutils-example-plugin"]
    assert example.name == "example"
    assert example.value == "agentutils_example_plugin.hooks"
    assert example.version == EXAMPLE_VERSION
    assert pm.failures == []


def run_cli(*args: str, env_extra: dict[str, str] | None = None, pythonpath: str | None = None):
    import os

    env = dict(os.environ)
    env.update(env_extra or {})
    if pythonpath:
        env["PYTHONPATH"] = pythonpath + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", "agentutils", *args], capture_output=True, text=True, env=env, check=False
    )


def test_cli_lists_plugins_as_json():
    result = run_cli("plugins", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    dists = {p["distribution"]: p for p in data["plugins"]}
    assert {"agentutils-audio", "agentutils-pool", "agentutils-example-plugin"} <= set(dists)
    assert dists["agentutils-example-plugin"]["version"] == EXAMPLE_VERSION
    assert dists["agentutils-example-plugin"]["value"] == "agentutils_example_plugin.hooks"
    assert data["failures"] == []


def test_cli_reports_a_broken_plugin_and_keeps_the_others(make_plugin):
    make_plugin("broken", "import module_that_does_not_exist_anywhere\n", dist="broken-dist")
    # make_plugin put a real distribution on sys.path; the child process gets the same path.
    result = run_cli("plugins", pythonpath=make_plugin.sites[0])
    assert result.returncode == 0, result.stderr
    assert "failed to load (1):" in result.stdout
    assert (
        "broken-dist 1.0: load: ModuleNotFoundError: No module named 'module_that_does_not_exist_anywhere'"
        in (result.stdout)
    )
    assert "agentutils-audio" in result.stdout


def test_disable_env_var_blocks_a_plugin_in_the_cli():
    result = run_cli("plugins", "--json", env_extra={"AGENTUTILS_DISABLE_PLUGINS": "example"})
    data = json.loads(result.stdout)
    assert [p["name"] for p in data["disabled"]] == ["example"]
    assert "agentutils-example-plugin" not in {p["distribution"] for p in data["plugins"]}


def test_strict_mode_makes_a_broken_plugin_fatal(make_plugin, monkeypatch):
    make_plugin("broken", "import module_that_does_not_exist_anywhere\n")
    with pytest.warns(PluginWarning):
        PluginManager()
    monkeypatch.setenv("AGENTUTILS_STRICT_PLUGINS", "1")
    with pytest.raises(ModuleNotFoundError):
        PluginManager()
    result = run_cli("plugins", pythonpath=make_plugin.sites[0], env_extra={"AGENTUTILS_STRICT_PLUGINS": "1"})
    assert result.returncode != 0
    assert "ModuleNotFoundError" in result.stderr


DUPLICATE_BACKEND = """
from agentutils_audio import PythonBackend
from agentutils_core import hookimpl


class Again(PythonBackend):
    pass  # the built-in backend's name, 'python', a second time


@hookimpl
def agentutils_audio_backends():
    return [Again()]
"""


def test_cli_reports_a_duplicate_provider_and_keeps_the_builtin(make_plugin):
    make_plugin("dup", DUPLICATE_BACKEND, dist="dup-dist")
    result = run_cli("plugins", pythonpath=make_plugin.sites[0])
    assert result.returncode == 0, result.stderr
    assert (
        "dup        dup-dist 1.0: hook agentutils_audio_backends: DuplicateProviderError: audio backend "
        f"'python' is registered twice: by agentutils-audio {__version__} (entry point 'audio') and by "
        "dup-dist 1.0 (entry point 'dup'); the one from dup-dist 1.0 (entry point 'dup') is skipped"
    ) in result.stdout
    # The built-in keeps working, and the other kinds are still described.
    assert "tcp:// URLs -> tcp" in result.stdout
    data = json.loads(run_cli("plugins", "--json", pythonpath=make_plugin.sites[0]).stdout)
    audio = data["kinds"]["audio_backends"]
    python = next(p for p in audio["providers"] if p["name"] == "python")
    assert python["distribution"] == "agentutils-audio"
    assert audio["error"] is None
    assert audio["selected"]["name"] in {"numpy", "python"}
    # doctor's verdict: a plugin failed, so it reports it and exits non-zero.
    doctor = run_cli("doctor", pythonpath=make_plugin.sites[0])
    assert doctor.returncode == 1, doctor.stdout + doctor.stderr
    assert "plugins: " in doctor.stdout
    assert "1 failed" in doctor.stdout
    assert "problems found" in doctor.stdout


def test_doctor_exits_non_zero_while_a_kind_is_unusable():
    env = {"AGENTUTILS_AUDIO_BACKEND": "no-such-backend"}
    doctor = run_cli("doctor", env_extra=env)
    assert doctor.returncode == 1, doctor.stdout + doctor.stderr
    assert (
        "unusable: audio backends: UnknownProviderError: unknown audio backend 'no-such-backend' "
        "(from environment variable AGENTUTILS_AUDIO_BACKEND)"
    ) in doctor.stdout
    data = json.loads(run_cli("doctor", "--json", env_extra=env).stdout)
    assert data["ok"] is False
    assert data["plugin_failures"] == []
    assert len(data["kind_errors"]) == 1
    healthy = run_cli("doctor")
    assert healthy.returncode == 0, healthy.stdout + healthy.stderr
    assert healthy.stdout.rstrip().endswith("ok")


TCP_CONNECTOR = """
from agentutils_core import hookimpl


class AltTcp:
    name = "alt-tcp"
    priority = {priority}
    schemes = ("tcp",)

    def is_available(self):
        return True

    async def connect(self, url, timeout, **options):
        raise OSError("not in this test")

    async def close(self, conn):
        pass

    def is_alive(self, conn):
        return True


@hookimpl
def agentutils_pool_connectors():
    return [AltTcp()]
"""


def _by_scheme(result) -> dict[str, object]:
    assert result.returncode == 0, result.stderr
    chosen = json.loads(result.stdout)["kinds"]["pool_connectors"]["selected_for"]
    return {scheme: sel["name"] for scheme, sel in chosen.items()}


def test_cli_connector_per_scheme_follows_the_environment_variable(make_plugin):
    make_plugin("alt", TCP_CONNECTOR.format(priority=-5), dist="alt-dist")
    site = make_plugin.sites[0]
    assert _by_scheme(run_cli("plugins", "--json", pythonpath=site))["tcp"] == "tcp"
    env = {"AGENTUTILS_POOL_CONNECTOR": "alt-tcp"}
    chosen = _by_scheme(run_cli("plugins", "--json", pythonpath=site, env_extra=env))
    assert chosen["tcp"] == "alt-tcp"
    assert chosen["tls"] == "tcp"  # the variable applies only to the schemes it serves
    text = run_cli("plugins", pythonpath=site, env_extra=env).stdout
    assert "tcp:// URLs -> alt-tcp (named by AGENTUTILS_POOL_CONNECTOR)" in text


def test_cli_connector_tying_a_builtin_is_skipped_and_reported(make_plugin):
    make_plugin("alt", TCP_CONNECTOR.format(priority=0), dist="alt-dist")
    result = run_cli("plugins", "--json", pythonpath=make_plugin.sites[0])
    data = json.loads(result.stdout)
    assert data["kinds"]["pool_connectors"]["selected_for"]["tcp"]["name"] == "tcp"
    (failure,) = data["failures"]
    assert failure["distribution"] == "alt-dist"
    assert failure["error"].startswith(
        "DuplicateProviderError: pool connector 'alt-tcp' from alt-dist 1.0 (entry point 'alt') ties the "
        "built-in 'tcp'"
    )
    text = run_cli("plugins", pythonpath=make_plugin.sites[0]).stdout
    assert "tcp:// URLs -> tcp (highest priority available" in text


def test_cli_attributes_registrations_by_distribution_not_entry_point_name(make_plugin):
    # Another distribution may reuse an entry-point name ("pool"); what it registers is its own.
    make_plugin("pool", "from agentutils_core import hookimpl\n", dist="other-dist")
    result = run_cli("plugins", "--json", pythonpath=make_plugin.sites[0])
    assert result.returncode == 0, result.stderr
    plugins = {p["distribution"]: p for p in json.loads(result.stdout)["plugins"] if p["name"] == "pool"}
    assert plugins["other-dist"]["registers"] == []
    assert "pool connector 'tcp'" in plugins["agentutils-pool"]["registers"]
