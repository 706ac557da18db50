from __future__ import annotations

import re

import pytest

from agentutils_core import (
    DuplicateProviderError,
    PluginManager,
    PluginWarning,
    ProviderRegistry,
    ProviderUnavailableError,
    UnknownProviderError,
    check_provider,
    hookimpl,
)

ENV = "AGENTUTILS_TEST_BACKEND"


def registry(*eps, manager=None):
    return ProviderRegistry(
        "agentutils_test_widgets",
        kind="test backend",
        env_var=ENV,
        manager=manager or PluginManager(list(eps)),
    )


@pytest.fixture(autouse=True)
def _no_env(monkeypatch):
    monkeypatch.delenv(ENV, raising=False)


def test_highest_available_priority_wins(backend_plugin):
    ep = backend_plugin(
        "p", "Backend('low', 1)", "Backend('high', 10)", "Backend('best', 99, available=False)"
    )
    reg = registry(ep)
    assert reg.names() == ["best", "high", "low"]
    selection = reg.select()
    assert (selection.name, selection.reason) == ("high", "priority")
    assert reg.resolve().name == "high"


def test_explicit_name_beats_environment_beats_priority(backend_plugin, monkeypatch):
    reg = registry(backend_plugin("p", "Backend('a', 1)", "Backend('b', 2)", "Backend('c', 3)"))
    monkeypatch.setenv(ENV, "b")
    assert (reg.select().name, reg.select().reason) == ("b", "environment")
    assert (reg.select("a").name, reg.select("a").reason) == ("a", "argument")
    monkeypatch.delenv(ENV)
    assert (reg.select().name, reg.select().reason) == ("c", "priority")


def test_unknown_name_lists_known_ones(backend_plugin, monkeypatch):
    reg = registry(backend_plugin("p", "Backend('numpy', 2)", "Backend('python', 1)"))
    with pytest.raises(UnknownProviderError, match=r"^unknown test backend 'rust'; known: numpy, python$"):
        reg.select("rust")
    with pytest.raises(LookupError):
        reg.get("rust")
    monkeypatch.setenv(ENV, "rust")
    with pytest.raises(
        UnknownProviderError,
        match=r"unknown test backend 'rust' \(from environment variable AGENTUTILS_TEST_BACKEND\); "
        r"known: numpy, python",
    ):
        reg.select()


def test_named_but_unavailable_provider_says_why(backend_plugin):
    reg = registry(backend_plugin("p", "Backend('moon', 5, available=False)", "Backend('earth', 1)"))
    with pytest.raises(
        ProviderUnavailableError, match=r"test backend 'moon' is not available: needs the moon"
    ):
        reg.select("moon")
    assert reg.availability("moon") == (False, "needs the moon")
    assert reg.availability("earth") == (True, None)


def test_nothing_available(backend_plugin):
    reg = registry(backend_plugin("p", "Backend('moon', 5, available=False)"))
    with pytest.raises(
        ProviderUnavailableError, match=r"no test backend is available: moon \(needs the moon\)"
    ):
        reg.select()
    with pytest.raises(ProviderUnavailableError, match="none registered"):
        registry().select()


DUPLICATE = (
    r"test backend 'same' is registered twice: by dist-one 1.0 \(entry point 'one'\) "
    r"and by dist-two 2.0 \(entry point 'two'\); the one from dist-two 2.0 \(entry point 'two'\) "
    r"is skipped"
)


def test_duplicate_names_name_both_distributions_and_the_first_keeps_working(backend_plugin):
    first = backend_plugin("one", "Backend('same', 1)", "Backend('other', 0)", dist="dist-one")
    second = backend_plugin("two", "Backend('same', 2)", dist="dist-two", version="2.0")
    reg = registry(first, second)
    with pytest.warns(PluginWarning, match=DUPLICATE):
        assert reg.names() == ["same", "other"]
    assert reg.select().provider.priority == 1  # the kind still works, with the first one
    (failure,) = reg.manager.failures
    assert failure.plugin.distribution == "dist-two"
    assert failure.error.startswith("DuplicateProviderError: ")


def test_duplicate_names_raise_in_strict_mode(backend_plugin):
    first = backend_plugin("one", "Backend('same', 1)", dist="dist-one", version="1.0")
    second = backend_plugin("two", "Backend('same', 2)", dist="dist-two", version="2.0")
    reg = registry(manager=PluginManager([first, second], strict=True))
    with pytest.raises(DuplicateProviderError, match=DUPLICATE):
        reg.names()


def test_invalid_provider_is_skipped_as_plugin_failure(backend_plugin):
    ep = backend_plugin("p", "Backend('ok', 1)", "Backend('', 1)", "object()")
    reg = registry(ep)
    with pytest.warns(PluginWarning) as warned:
        assert reg.names() == ["ok"]
    messages = [str(w.message) for w in warned]
    assert any("must have a non-empty str 'name', got ''" in m for m in messages)
    assert any("must have a non-empty str 'name', got None" in m for m in messages)


def test_non_iterable_hook_result_is_a_plugin_failure():
    pm = PluginManager([])

    class Bad:
        @hookimpl
        def agentutils_test_widgets(self):
            return 42

    pm.register(Bad(), name="bad")
    reg = registry(manager=pm)
    with pytest.warns(
        PluginWarning,
        match="hook agentutils_test_widgets must return an iterable of providers or None, got int",
    ):
        assert reg.names() == []


def test_is_available_that_raises_counts_as_unavailable():
    pm = PluginManager([])

    class Flaky:
        name = "flaky"
        priority = 1

        def is_available(self):
            raise OSError("driver missing")

    class Plugin:
        @hookimpl
        def agentutils_test_widgets(self):
            return [Flaky()]

    pm.register(Plugin(), name="flaky")
    reg = registry(manager=pm)
    with pytest.raises(ProviderUnavailableError, match=r"is_available\(\) raised OSError: driver missing"):
        reg.select("flaky")


def test_selection_is_cached_and_refreshed_when_plugins_change():
    pm = PluginManager([])
    calls = []

    class P:
        def __init__(self, name, priority):
            self.name = name
            self.priority = priority

        def is_available(self):
            calls.append(self.name)
            return True

    class One:
        @hookimpl
        def agentutils_test_widgets(self):
            return [P("one", 1)]

    class Two:
        @hookimpl
        def agentutils_test_widgets(self):
            return [P("two", 2)]

    pm.register(One(), name="one")
    reg = registry(manager=pm)
    assert reg.resolve().name == "one"
    assert reg.resolve().name == "one"
    assert calls == ["one"]  # selected once, then served from the cache
    pm.register(Two(), name="two")  # a new plugin invalidates the cached providers
    assert reg.resolve().name == "two"


def test_generator_hook_result_serves_every_registry():
    # A hook written as a generator: its result is materialised once, so a second registry
    # on the same hook (or a refresh after a new plugin) still sees the providers.
    pm = PluginManager([])

    class P:
        name = "gen"
        priority = 1

        def is_available(self):
            return True

    class Gen:
        @hookimpl
        def agentutils_test_widgets(self):
            yield P()

    pm.register(Gen(), name="gen")
    assert registry(manager=pm).names() == ["gen"]
    assert registry(manager=pm).names() == ["gen"]


def test_generator_hook_that_raises_lazily_is_a_plugin_failure():
    pm = PluginManager([])

    class P:
        name = "early"
        priority = 1

        def is_available(self):
            return True

    class Lazy:
        @hookimpl
        def agentutils_test_widgets(self):
            yield P()
            raise RuntimeError("broke while iterating")

    class Good:
        @hookimpl
        def agentutils_test_widgets(self):
            return [type("Q", (P,), {"name": "good"})()]

    pm.register(Lazy(), name="lazy")
    pm.register(Good(), name="good")
    reg = registry(manager=pm)
    with pytest.warns(
        PluginWarning,
        match=r"<in-process> \(entry point 'lazy'\) skipped \(hook agentutils_test_widgets failed\): "
        r"RuntimeError: broke while iterating",
    ):
        assert reg.names() == ["good"]
    assert [f.stage for f in pm.failures] == ["hook agentutils_test_widgets"]


def test_iterable_that_raises_while_iterated_is_a_plugin_failure():
    # Not an iterator, so the manager cannot materialise it: the registry's iteration fails.
    pm = PluginManager([])

    class Broken:
        def __iter__(self):
            raise ValueError("cannot iterate")

    class Plugin:
        @hookimpl
        def agentutils_test_widgets(self):
            return Broken()

    pm.register(Plugin(), name="broken")
    reg = registry(manager=pm)
    with pytest.warns(PluginWarning, match=r"ValueError: cannot iterate"):
        assert reg.names() == []


def test_strict_mode_reraises_an_invalid_provider():
    pm = PluginManager([], strict=True)

    class Plugin:
        @hookimpl
        def agentutils_test_widgets(self):
            return [object()]

    pm.register(Plugin(), name="invalid")
    with pytest.raises(TypeError, match="test backend must have a non-empty str 'name', got None"):
        registry(manager=pm).names()


class _Item:
    def __init__(self, **attrs):
        self.__dict__.update(attrs)


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (_Item(name=3, priority=1), "audio backend must have a non-empty str 'name', got 3"),
        (_Item(name="x", priority=True), "audio backend 'x' must have an int 'priority', got True"),
        (_Item(name="x", priority=1.5), "audio backend 'x' must have an int 'priority', got 1.5"),
        (_Item(name="x", priority=1), "audio backend 'x' must implement is_available, combine"),
        (
            _Item(name="x", priority=1, is_available=lambda: True, combine=None),
            "audio backend 'x' must implement combine",
        ),
    ],
)
def test_check_provider_names_what_is_wrong(item, message):
    with pytest.raises(TypeError, match=f"^{re.escape(message)}$"):
        check_provider(item, "audio backend", ["combine"])


def test_check_provider_returns_the_name():
    item = _Item(name="x", priority=-3, is_available=lambda: True)
    assert check_provider(item, "audio backend") == "x"
