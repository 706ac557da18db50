"""The one plugin contract of agentutils: the pluggy markers every member shares.

All hooks live under the single project name ``agentutils``. Core declares no hook: a
member that offers an extension point (a plugin *kind*) declares its specification in
its own module with :data:`hookspec` and names that module in the
``agentutils.hookspecs`` entry-point group; core adds every such module's specifications
before it loads any plugin. Plugins are modules named in the ``agentutils`` group whose
functions are decorated with :data:`hookimpl`::

    # pyproject.toml of a distribution offering a kind
    [project.entry-points."agentutils.hookspecs"]
    widgets = "my_package.widgets"

    # my_package/widgets.py
    from agentutils_core import ProviderRegistry, hookspec

    @hookspec
    def my_package_widgets():
        ...  # returns the widgets a plugin provides

    widgets = ProviderRegistry("my_package_widgets", kind="widget", env_var="MY_WIDGET")

    # pyproject.toml of a plugin (the kind's own built-ins are registered the same way)
    [project.entry-points.agentutils]
    mywidgets = "other_package.agentutils_hooks"

    # other_package/agentutils_hooks.py
    from agentutils_core import hookimpl

    @hookimpl
    def my_package_widgets():
        return [MyWidget()]

Each hook is called once per process, the first time its registry is used, and its
result is cached; no hot path goes through a hook call.
"""

from __future__ import annotations

import pluggy

__all__ = [
    "ENTRY_POINT_GROUP",
    "PROJECT_NAME",
    "hookimpl",
    "hookspec",
]

PROJECT_NAME = "agentutils"
"""The pluggy project name shared by every member."""

ENTRY_POINT_GROUP = "agentutils"
"""The entry-point group plugins are discovered from."""

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
"""Marker for hook specifications, for a member (or a third party) declaring a plugin kind."""

hookimpl = pluggy.HookimplMarker(PROJECT_NAME)
"""Marker for hook implementations, for plugins to decorate their hook functions with."""
