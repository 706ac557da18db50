"""Plugin kinds declared by distributions, one selection rule, and plugins that misbehave.

Core names no member: every kind here comes from a throwaway distribution, declared the
way a member declares its own (an ``agentutils.hookspecs`` entry point).
"""

from __future__ import annotations

import pytest

from agentutils_core import (
    DuplicateProviderError,
    NoProviderError,
    PluginManager,
    PluginWarning,
    ProviderRegistry,
    ProviderUnavailableError,
    UnknownProviderError,
    registries,
)

GADGETS_KIND = """
from agentutils_core import ProviderRegistry, hookspec

@hookspec
def agentutils_test_gadgets():
    \"\"\"Return gadgets.\"\"\"

gadgets = ProviderRegistry("agentutils_test_gadgets", kind="gadget", env_var="AGENTUTILS_TEST_GADGET",
                           extra="gadgets-kind[all]")
"""

GADGETS = """
from agentutils_core import hookimpl

class Gadget:
    def __init__(self, name, priority, schemes=("a",), available=True):
        self.name = name
        self.priority = priority
        self.schemes = schemes
        self._available = available

    def is_available(self):
        return self._available

@hookimpl
def agentutils_test_gadgets():
    return [{items}]
"""

ENV = "AGENTUTILS_TEST_GADGET"


@pytest.fixture(autouse=True)
def _no_env(monkeypatch):
    monkeypatch.delenv(ENV, raising=False)


@pytest.fixture
def kind(make_plugin):
    """Declare the ``gadget`` kind from its own distribution; return its module."""
    make_plugin("gadgets", GADGETS_KIND, dist="gadgets-kind", group="agentutils.hookspecs")


def gadgets(make_plugin, ep, *items, dist="gadgets-kind", version="1.0"):
    return make_plugin(ep, GADGETS.format(items=", ".join(items)), dist=dist, version=version)


def registry(*eps, strict=False):
    manager = PluginManager(list(eps), strict=strict)
    return ProviderRegistry("agentutils_test_gadgets", kind="gadget", env_var=ENV, manager=manager)


def has(scheme):
    return lambda provider: scheme in provider.schemes


def test_a_kind_from_a_throwaway_distribution_is_known_before_plugins_load(kind, make_plugin):
    ep = gadgets(make_plugin, "builtin-gadgets", "Gadget('g', 1)")
    manager = PluginManager([ep])
    assert manager.failures == []
    assert [k.distribution for k in manager.kinds if k.name == "gadgets"] == ["gadgets-kind"]
    assert manager.hook_owner("agentutils_test_gadgets").distribution == "gadgets-kind"
    assert manager.hook_owner("agentutils_no_such_hook") is None
    ((_, items),) = manager.call_hook("agentutils_test_gadgets")
    assert [item.name for item in items] == ["g"]


def test_a_hook_of_an_undeclared_kind_is_that_plugins_failure(make_plugin):
    ep = gadgets(make_plugin, "orphan", "Gadget('g', 1)", dist="orphan-dist")
    with pytest.warns(PluginWarning, match=r"unknown hook 'agentutils_test_gadgets'"):
        manager = PluginManager([ep])
    assert [f.stage for f in manager.failures] == ["load"]


def test_registries_lists_every_kind_built_by_the_hookspec_modules(kind):
    listed = {r.kind: r for r in registries()}
    assert "gadget" in listed
    assert listed["gadget"].extra == "gadgets-kind[all]"


def test_select_filters_then_takes_the_highest_priority(kind, make_plugin):
    ep = gadgets(
        make_plugin,
        "g",
        "Gadget('low', 1, schemes=('a', 'b'))",
        "Gadget('high', 9, schemes=('a',))",
        "Gadget('off', 99, schemes=('b',), available=False)",
    )
    reg = registry(ep)
    assert (reg.select(where=has("a")).name, reg.select(where=has("a")).reason) == ("high", "priority")
    assert reg.select(where=has("b"), wanted="b").name == "low"
    with pytest.raises(NoProviderError, match=r"^no gadget handles scheme c; registered: high, low, off$"):
        reg.select(where=has("c"), wanted="scheme c")
    with pytest.raises(NoProviderError, match=r"^gadget 'high' does not handle scheme b$"):
        reg.select("high", where=has("b"), wanted="scheme b")


def test_the_environment_names_a_provider_only_for_what_it_handles(kind, make_plugin, monkeypatch):
    ep = gadgets(make_plugin, "g", "Gadget('x', 1, schemes=('a',))", "Gadget('y', 5, schemes=('b',))")
    reg = registry(ep)
    monkeypatch.setenv(ENV, "x")
    assert (reg.select(where=has("a")).name, reg.select(where=has("a")).reason) == ("x", "environment")
    assert (reg.select(where=has("b")).name, reg.select(where=has("b")).reason) == ("y", "priority")
    monkeypatch.setenv(ENV, "nope")
    with pytest.raises(UnknownProviderError, match=r"from environment variable AGENTUTILS_TEST_GADGET"):
        reg.select(where=has("b"))


def test_nothing_available_for_the_filter_names_the_extra(kind, make_plugin):
    ep = gadgets(make_plugin, "g", "Gadget('x', 1, available=False)")
    manager = PluginManager([ep])
    reg = ProviderRegistry(
        "agentutils_test_gadgets", kind="gadget", env_var=ENV, extra="gadgets-kind[x]", manager=manager
    )
    with pytest.raises(
        ProviderUnavailableError,
        match=r"^no gadget for scheme a is available: x \(unavailable\); install gadgets-kind\[x\]$",
    ):
        reg.select(where=has("a"), wanted="scheme a")


def test_a_newcomer_taking_a_builtin_name_is_skipped_and_the_builtin_kept(kind, make_plugin):
    # "aaa" sorts (and loads) before the built-in's entry point.
    intruder = gadgets(make_plugin, "aaa", "Gadget('g', 100)", dist="intruder", version="6.6")
    builtin = gadgets(make_plugin, "zzz", "Gadget('g', 1)", "Gadget('h', 0)")
    reg = registry(intruder, builtin)
    with pytest.warns(PluginWarning, match=r"the one from intruder 6.6 \(entry point 'aaa'\) is skipped"):
        entries = reg.entries()
    assert [(e.name, e.plugin.distribution, e.builtin) for e in entries] == [
        ("g", "gadgets-kind", True),
        ("h", "gadgets-kind", True),
    ]
    (failure,) = reg.manager.failures
    assert "intruder 6.6" in failure.error
    assert "gadgets-kind 1.0" in failure.error


def test_a_newcomer_taking_a_builtin_name_raises_in_strict_mode(kind, make_plugin):
    intruder = gadgets(make_plugin, "aaa", "Gadget('g', 100)", dist="intruder")
    builtin = gadgets(make_plugin, "zzz", "Gadget('g', 1)")
    with pytest.raises(DuplicateProviderError, match="'g' is registered twice"):
        registry(intruder, builtin, strict=True).entries()


def test_a_newcomer_tying_a_builtin_priority_is_skipped_and_the_builtin_chosen(kind, make_plugin):
    intruder = gadgets(make_plugin, "aaa", "Gadget('a-rival', 5)", dist="intruder", version="2.0")
    builtin = gadgets(make_plugin, "zzz", "Gadget('native', 5)")
    reg = registry(intruder, builtin)
    with pytest.warns(
        PluginWarning,
        match=r"gadget 'a-rival' from intruder 2.0 \(entry point 'aaa'\) ties the built-in 'native' "
        r"from gadgets-kind 1.0 \(entry point 'zzz'\) at priority 5 for scheme a; it is skipped",
    ):
        assert reg.select(where=has("a"), wanted="scheme a").name == "native"
    assert reg.select("a-rival").name == "a-rival"  # still usable by name
    with pytest.raises(DuplicateProviderError, match="ties the built-in"):
        registry(intruder, builtin, strict=True).select(where=has("a"), wanted="scheme a")


def test_two_newcomers_tying_at_the_top_is_an_error_naming_both(kind, make_plugin):
    one = gadgets(make_plugin, "one", "Gadget('x', 5)", dist="dist-one")
    two = gadgets(make_plugin, "two", "Gadget('y', 5)", dist="dist-two")
    with pytest.raises(
        DuplicateProviderError,
        match=r"scheme a is claimed by gadget 'x' from dist-one 1.0 \(entry point 'one'\) and by 'y' "
        r"from dist-two 1.0 \(entry point 'two'\), both with priority 5",
    ):
        registry(one, two).select(where=has("a"), wanted="scheme a")


RAISING_ATTRIBUTE = """
from agentutils_core import hookimpl

class Fine:
    name = "fine"
    priority = 1
    def is_available(self):
        return True

def _raise(self):
    raise {error}

class Broken:
    name = "broken"
    priority = 2
    def is_available(self):
        return True

Broken.{attribute} = property(_raise)

@hookimpl
def agentutils_test_gadgets():
    return [Broken(), Fine()]
"""


@pytest.mark.parametrize("attribute", ["name", "priority"])
@pytest.mark.parametrize("error", ["RuntimeError('boom')", "SystemExit(3)"])
def test_a_provider_attribute_that_raises_skips_that_provider_only(kind, make_plugin, attribute, error):
    ep = make_plugin("p", RAISING_ATTRIBUTE.format(attribute=attribute, error=error), dist="shaky")
    reg = registry(ep)
    with pytest.warns(
        PluginWarning, match=r"shaky 1.0 \(entry point 'p'\) skipped \(hook agentutils_test_gadgets"
    ):
        assert reg.names() == ["fine"]
    (failure,) = reg.manager.failures
    assert failure.error.split(":")[0] in {"RuntimeError", "SystemExit"}


def test_a_filter_attribute_that_raises_means_the_provider_handles_nothing(kind, make_plugin):
    code = GADGETS.format(items="Gadget('ok', 1), Weird()") + (
        "\nclass Weird(Gadget):\n    def __init__(self):\n        self.name, self.priority = 'weird', 9\n"
        "    def is_available(self):\n        return True\n"
        "    @property\n    def schemes(self):\n        raise SystemExit(1)\n"
    )
    reg = registry(make_plugin("w", code))
    assert reg.select(where=has("a")).name == "ok"


EXITS_AT_IMPORT = "import sys\nsys.exit('bye')\n"
EXITS_IN_HOOK = """
import sys
from agentutils_core import hookimpl

@hookimpl
def agentutils_test_gadgets():
    sys.exit(2)
"""


def test_system_exit_while_imported_is_that_plugins_failure(kind, make_plugin):
    bad = make_plugin("bad", EXITS_AT_IMPORT, dist="quitter")
    good = gadgets(make_plugin, "good", "Gadget('g', 1)")
    with pytest.warns(
        PluginWarning, match=r"quitter 1.0 \(entry point 'bad'\) skipped \(load failed\): SystemExit: bye"
    ):
        manager = PluginManager([bad, good])
    assert [p.name for p in manager.plugins] == ["good"]


def test_system_exit_inside_a_hook_is_that_plugins_failure(kind, make_plugin):
    bad = make_plugin("bad", EXITS_IN_HOOK, dist="quitter")
    good = gadgets(make_plugin, "good", "Gadget('g', 1)")
    reg = registry(bad, good)
    with pytest.warns(PluginWarning, match=r"skipped \(hook agentutils_test_gadgets failed\): SystemExit: 2"):
        assert reg.names() == ["g"]


def test_system_exit_in_a_kinds_spec_module_is_recorded(make_plugin):
    make_plugin("quit-kind", EXITS_AT_IMPORT, dist="bad-kind", group="agentutils.hookspecs")
    with pytest.warns(
        PluginWarning, match=r"bad-kind 1.0 \(entry point 'quit-kind'\) skipped \(hookspecs failed\)"
    ):
        manager = PluginManager([])
    assert [f.stage for f in manager.failures] == ["hookspecs"]


def test_system_exit_is_reraised_in_strict_mode(kind, make_plugin):
    bad = make_plugin("bad", EXITS_AT_IMPORT, dist="quitter")
    with pytest.raises(SystemExit):
        PluginManager([bad], strict=True)


def test_disabled_names_use_pluggys_block_list(kind, make_plugin):
    ep = gadgets(make_plugin, "blocked", "Gadget('g', 1)")
    manager = PluginManager([ep], disabled=["blocked"])
    assert manager.pluggy_manager.is_blocked("blocked")
    assert [d.name for d in manager.disabled] == ["blocked"]
    assert manager.call_hook("agentutils_test_gadgets") == []


class Handmade:
    """A provider built by the caller, passed instead of a name."""

    priority = 0

    def __init__(self, name="handmade", schemes=("a",), available=True, reason=None):
        self.name = name
        self.schemes = schemes
        self._available = available
        self._reason = reason

    def is_available(self):
        return self._available

    def unavailable_reason(self):
        return self._reason


def test_choose_takes_a_name_none_or_a_provider_object(kind, make_plugin):
    reg = registry(gadgets(make_plugin, "g", "Gadget('g', 1)"))
    assert reg.choose(None).name == "g"
    assert reg.choose("g").name == "g"
    own = Handmade()
    assert reg.choose(own, where=has("a"), wanted="scheme a") is own


def test_choose_checks_a_provider_object_as_a_plugins(kind, make_plugin):
    reg = registry(gadgets(make_plugin, "g", "Gadget('g', 1)"))
    with pytest.raises(
        TypeError, match=r"^backend must be a gadget name \(str\), a gadget object or None, got int$"
    ):
        reg.choose(42)
    with pytest.raises(TypeError, match=r"^encoder must be a gadget name"):
        reg.choose(4.2, argument="encoder")
    with pytest.raises(TypeError, match=r"^gadget 'x' must have an int 'priority', got None$"):
        reg.choose(type("NoPriority", (), {"name": "x", "is_available": lambda self: True})())
    with pytest.raises(NoProviderError, match=r"^gadget 'handmade' does not handle scheme b$"):
        reg.choose(Handmade(), where=has("b"), wanted="scheme b")
    with pytest.raises(ProviderUnavailableError, match=r"^gadget 'handmade' is not available: needs a GPU$"):
        reg.choose(Handmade(available=False, reason="needs a GPU"))
    with pytest.raises(ProviderUnavailableError, match=r"^gadget 'handmade' is not available$"):
        reg.choose(Handmade(available=False))
