from __future__ import annotations

import subprocess
import sys

import pytest

import agentutils_core
from agentutils_core import lazy_exports


def test_resolves_modules_and_attributes_once():
    namespace: dict[str, object] = {}
    getattr_, dir_ = lazy_exports(
        "agentutils_core",
        namespace,
        {"misc": ".misc", "shortuuid": ".misc:shortuuid", "dumps": "json:dumps"},
        ["misc", "shortuuid", "dumps"],
    )
    import json

    from agentutils_core import misc

    assert getattr_("misc") is misc
    assert getattr_("shortuuid") is misc.shortuuid
    assert getattr_("dumps") is json.dumps
    assert namespace == {"misc": misc, "shortuuid": misc.shortuuid, "dumps": json.dumps}
    assert dir_() == ["dumps", "misc", "shortuuid"]


def test_unknown_name_is_an_attribute_error():
    getattr_, _ = lazy_exports("pkg", {}, {})
    with pytest.raises(AttributeError, match="module 'pkg' has no attribute 'nope'"):
        getattr_("nope")


def test_every_public_name_of_core_resolves():
    for name in agentutils_core.__all__:
        assert getattr(agentutils_core, name) is not None
    assert set(agentutils_core.__all__) <= set(dir(agentutils_core))


MODULES = [
    "bounded_dict",
    "checks",
    "errors",
    "hookspecs",
    "lazy",
    "log",
    "misc",
    "notgiven",
    "plugins",
    "registry",
]


@pytest.mark.parametrize("module", MODULES)
def test_every_public_name_of_each_module_is_exported_at_the_top(module):
    import importlib

    mod = importlib.import_module(f"agentutils_core.{module}")
    missing = [name for name in mod.__all__ if name not in agentutils_core.__all__]
    assert missing == []
    for name in mod.__all__:
        assert getattr(agentutils_core, name) is getattr(mod, name)


def test_import_core_is_light():
    code = (
        "import sys, agentutils_core\n"
        "heavy = ('typing', 'pluggy', 'importlib.metadata', 'asyncio', 'logging')\n"
        "print([m for m in heavy if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_name_whose_distribution_is_missing_says_what_to_install():
    namespace: dict[str, object] = {}
    getattr_, _ = lazy_exports("agentutils", namespace, {"widgets": "agentutils_widgets_missing"})
    with pytest.raises(
        ModuleNotFoundError,
        match=r"^agentutils\.widgets is provided by 'agentutils_widgets_missing', which is not installed "
        r"\(pip install agentutils-widgets-missing\)$",
    ):
        getattr_("widgets")


def test_a_module_missing_inside_an_installed_package_is_not_disguised(tmp_path, monkeypatch):
    (tmp_path / "broken_pkg_for_lazy.py").write_text("import module_that_is_nowhere_at_all\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    getattr_, _ = lazy_exports("agentutils", {}, {"broken": "broken_pkg_for_lazy"})
    with pytest.raises(ModuleNotFoundError, match=r"^No module named 'module_that_is_nowhere_at_all'$"):
        getattr_("broken")


def test_a_submodule_does_not_hide_an_exported_name_of_the_same_name(tmp_path, monkeypatch):
    # agentutils_filters exports moving_average (a function) from its submodule of that name:
    # importing the submodule for another name must not leave the module in its place.
    package = tmp_path / "lazy_shadow_pkg"
    package.mkdir()
    (package / "__init__.py").write_text(
        "from agentutils_core.lazy import exports\n"
        "_EXPORTS = {'Average': '.average:Average', 'average': '.average:average'}\n"
        "__all__ = exports(__name__, globals(), _EXPORTS)\n"
    )
    (package / "average.py").write_text("class Average: ...\ndef average(): return 42\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import lazy_shadow_pkg

    try:
        assert lazy_shadow_pkg.Average.__name__ == "Average"  # imports the submodule first
        assert lazy_shadow_pkg.average() == 42
        from lazy_shadow_pkg import average

        assert average() == 42
    finally:
        for name in ("lazy_shadow_pkg", "lazy_shadow_pkg.average"):
            sys.modules.pop(name, None)
