from __future__ import annotations

import logging

import pytest

from agentutils_core import (
    PluginInfo,
    PluginManager,
    PluginWarning,
    get_plugin_manager,
    hookimpl,
    reset_plugin_manager,
)
from agentutils_core.plugins import plugins_generation

HOOK = "from agentutils_core import hookimpl\n\n@hookimpl\ndef {hook}():\n    {body}\n"

GOOD = """
from agentutils_core import hookimpl

@hookimpl
def agentutils_test_widgets():
    return []
"""


def test_good_plugin_is_loaded_with_its_distribution(make_plugin):
    ep = make_plugin("good", GOOD, dist="good-dist", version="2.3")
    pm = PluginManager([ep])
    assert pm.plugins == [PluginInfo("good", ep.value, "good-dist", "2.3")]
    assert pm.failures == []
    assert pm.plugins[0].describe() == "good-dist 2.3 (entry point 'good')"


def test_broken_import_is_skipped_with_warning_and_recorded(make_plugin, caplog):
    good = make_plugin("good", GOOD)
    broken = make_plugin("broken", "import module_that_does_not_exist_anywhere\n", dist="broken-dist")
    with (
        caplog.at_level(logging.WARNING, logger="agentutils.plugins"),
        pytest.warns(
            PluginWarning,
            match=r"broken-dist 1.0 \(entry point 'broken'\) skipped \(load failed\): ModuleNotFoundError",
        ),
    ):
        pm = PluginManager([broken, good])
    assert [p.name for p in pm.plugins] == ["good"]
    (failure,) = pm.failures
    assert failure.plugin.distribution == "broken-dist"
    assert failure.stage == "load"
    assert failure.error.startswith(
        "ModuleNotFoundError: No module named 'module_that_does_not_exist_anywhere'"
    )
    assert "Traceback" in failure.traceback
    assert "broken-dist" in caplog.text


def test_exception_at_import_is_recorded_with_traceback(make_plugin, caplog):
    ep = make_plugin("explodes", "raise RuntimeError('kaboom at import')\n")
    with (
        caplog.at_level(logging.WARNING, logger="agentutils.plugins"),
        pytest.warns(PluginWarning, match="kaboom"),
    ):
        pm = PluginManager([ep])
    assert pm.plugins == []
    assert pm.failures[0].error == "RuntimeError: kaboom at import"
    # Not a missing module: the log carries the traceback for the plugin author.
    assert caplog.records[0].exc_info is not None


def test_unknown_hook_name_is_rejected(make_plugin):
    ep = make_plugin(
        "typo",
        HOOK.format(hook="agentutils_test_widget", body="return []"),
    )
    with pytest.warns(PluginWarning, match="unknown hook 'agentutils_test_widget'"):
        pm = PluginManager([ep])
    assert pm.plugins == []
    assert pm.failures[0].stage == "load"


def test_hook_that_raises_is_skipped_and_others_still_answer(make_plugin):
    bad = make_plugin(
        "bad",
        HOOK.format(hook="agentutils_test_widgets", body="raise ValueError('hook broke')"),
    )
    good = make_plugin(
        "good",
        HOOK.format(hook="agentutils_test_widgets", body="return ['x']"),
    )
    pm = PluginManager([bad, good])
    with pytest.warns(
        PluginWarning, match=r"skipped \(hook agentutils_test_widgets failed\): ValueError: hook broke"
    ):
        results = pm.call_hook("agentutils_test_widgets")
    assert [(info.name, r) for info, r in results] == [("good", ["x"])]
    assert [f.stage for f in pm.failures] == ["hook agentutils_test_widgets"]
    # Cached: the hook is not called again (no second warning).
    assert pm.call_hook("agentutils_test_widgets") == results


def test_strict_mode_reraises_import_errors(make_plugin, monkeypatch):
    ep = make_plugin("broken", "import module_that_does_not_exist_anywhere\n")
    monkeypatch.setenv("AGENTUTILS_STRICT_PLUGINS", "1")
    with pytest.raises(ModuleNotFoundError, match="module_that_does_not_exist_anywhere"):
        PluginManager([ep])


def test_strict_mode_reraises_hook_errors(make_plugin):
    ep = make_plugin(
        "bad",
        HOOK.format(hook="agentutils_test_widgets", body="raise ValueError('hook broke')"),
    )
    pm = PluginManager([ep], strict=True)
    with pytest.raises(ValueError, match="hook broke"):
        pm.call_hook("agentutils_test_widgets")


def test_disabled_plugins_are_not_imported(make_plugin, monkeypatch):
    # Importing it would fail loudly: disabling must prevent the import itself.
    ep = make_plugin("noisy", "raise SystemExit('must not be imported')\n")
    good = make_plugin("good", GOOD)
    monkeypatch.setenv("AGENTUTILS_DISABLE_PLUGINS", " other , noisy ")
    pm = PluginManager([ep, good])
    assert [p.name for p in pm.disabled] == ["noisy"]
    assert [p.name for p in pm.plugins] == ["good"]
    assert pm.failures == []


def test_unknown_hook_call_is_an_attribute_error():
    pm = PluginManager([])
    with pytest.raises(AttributeError, match="unknown agentutils hook 'agentutils_nothing'"):
        pm.call_hook("agentutils_nothing")


def test_global_manager_is_discovered_once_and_reset(make_plugin):
    make_plugin("good", GOOD, dist="global-dist")
    first = get_plugin_manager()
    assert get_plugin_manager() is first
    assert "global-dist" in {p.distribution for p in first.plugins}
    generation = plugins_generation()
    reset_plugin_manager()
    assert plugins_generation() != generation
    assert get_plugin_manager() is not first


def test_in_process_registration():
    pm = PluginManager([])

    class Mine:
        @hookimpl
        def agentutils_test_widgets(self):
            return ["mine"]

    info = pm.register(Mine(), name="mine")
    assert info.distribution is None
    assert [r for _, r in pm.call_hook("agentutils_test_widgets")] == [["mine"]]
    with pytest.raises(ValueError, match="a plugin named 'mine' is already registered in-process"):
        pm.register(Mine(), name="mine")


def test_a_failure_seen_again_after_a_refresh_is_recorded_once(make_plugin):
    # register() refreshes every hook result: the same broken hook must not pile up records.
    bad = make_plugin(
        "bad",
        HOOK.format(hook="agentutils_test_widgets", body="raise ValueError('hook broke')"),
    )
    pm = PluginManager([bad])
    with pytest.warns(PluginWarning, match="hook broke"):
        pm.call_hook("agentutils_test_widgets")

    class Other:
        @hookimpl
        def agentutils_test_widgets(self):
            return []

    pm.register(Other(), name="other")
    pm.call_hook("agentutils_test_widgets")  # no second warning (filterwarnings=error)
    assert [f.error for f in pm.failures] == ["ValueError: hook broke"]


def test_plugin_using_the_manager_while_imported_fails_instead_of_deadlocking(make_plugin):
    import threading

    make_plugin("eager", "from agentutils_core import get_plugin_manager\n\nget_plugin_manager()\n")
    found: list[PluginManager] = []

    def discover() -> None:
        # In a thread, so that a deadlock fails the test instead of hanging the run.
        thread = threading.Thread(target=lambda: found.append(get_plugin_manager()), daemon=True)
        thread.start()
        thread.join(timeout=20)
        assert not thread.is_alive(), "get_plugin_manager() deadlocked"

    with pytest.warns(PluginWarning, match=r"RuntimeError: agentutils plugins are being loaded"):
        discover()
    (failure,) = [f for f in found[0].failures if f.plugin.name == "eager"]
    assert failure.stage == "load"


def test_discovery_order_is_by_entry_point_name_not_sys_path(make_plugin):
    make_plugin("alpha", GOOD, dist="alpha-dist")
    make_plugin("zeta", GOOD, dist="zeta-dist")  # its folder is now first on sys.path
    names = [p.name for p in get_plugin_manager().plugins if p.distribution in {"alpha-dist", "zeta-dist"}]
    assert names == ["alpha", "zeta"]


def test_same_entry_point_declared_by_two_distributions_loads_once(make_plugin, tmp_path, monkeypatch):
    # E.g. a distribution visible twice on sys.path, under two names (a rename, a fork).
    ep = make_plugin("twice", GOOD, dist="first-dist")
    other = tmp_path / "other_site"
    info = other / "second_dist-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: second-dist\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[agentutils]\ntwice = {ep.value}\n")
    monkeypatch.syspath_prepend(str(other))
    pm = get_plugin_manager()
    assert [p.name for p in pm.plugins].count("twice") == 1
    assert pm.failures == []


def test_each_hook_runs_once_per_plugin():
    pm = PluginManager([])
    calls = []

    class Counting:
        @hookimpl
        def agentutils_test_widgets(self):
            calls.append(1)
            return []

    pm.register(Counting(), name="counting")
    first = pm.call_hook("agentutils_test_widgets")
    assert pm.call_hook("agentutils_test_widgets") == first
    assert len(calls) == 1


@pytest.mark.parametrize("flag", ["wrapper", "hookwrapper"])
def test_hook_wrappers_are_rejected_at_load(make_plugin, flag):
    # Hooks are called one plugin at a time, so a wrapper would never wrap anything.
    ep = make_plugin(
        "wraps",
        f"from agentutils_core import hookimpl\n\n@hookimpl({flag}=True)\n"
        "def agentutils_test_widgets():\n    result = yield\n    return result\n",
    )
    with pytest.warns(
        PluginWarning,
        match=rf"load failed\): TypeError: agentutils hooks cannot be wrappers: "
        rf"agentutils_test_widgets is declared with {flag}=True",
    ):
        pm = PluginManager([ep])
    assert pm.plugins == []
    assert pm.call_hook("agentutils_test_widgets") == []
