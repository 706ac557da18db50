"""Entry-point discovery across distributions: built-in members, the example plugin, broken plugins."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from agentutils_core import PluginManager, PluginWarning


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
    assert example.version == "0.1.0"
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
    dists = {p["distribution"] for p in data["plugins"]}
    assert {"agentutils-audio", "agentutils-pool", "agentutils-example-plugin"} <= dists
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
