"""The one plugin contract of agentutils: pluggy markers and hook specifications.

Every extension point of every member is declared here, under the single project name
``agentutils``; members never define markers of their own. A plugin is a module named by
an entry point in the ``agentutils`` group whose functions are decorated with
:data:`hookimpl`::

    # pyproject.toml of a third-party distribution
    [project.entry-points.agentutils]
    mybackend = "my_package.agentutils_hooks"

    # my_package/agentutils_hooks.py
    from agentutils_core import hookimpl

    @hookimpl
    def agentutils_audio_backends():
        return [MyBackend()]

Each hook is called once per process, the first time the matching registry is used, and
its result is cached; no hot path goes through a hook call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "ENTRY_POINT_GROUP",
    "PROJECT_NAME",
    "agentutils_audio_backends",
    "agentutils_pool_connectors",
    "hookimpl",
    "hookspec",
]

PROJECT_NAME = "agentutils"
"""The pluggy project name shared by every member."""

ENTRY_POINT_GROUP = "agentutils"
"""The entry-point group plugins are discovered from."""

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
"""Marker for hook specifications (used only in this module)."""

hookimpl = pluggy.HookimplMarker(PROJECT_NAME)
"""Marker for hook implementations, for plugins to decorate their hook functions with."""


@hookspec
def agentutils_audio_backends() -> Iterable[object] | None:
    """Return the audio backends this plugin provides.

    Called once per process, when the audio backend registry is first used. Each item must
    satisfy ``agentutils_audio.AudioBackend``: a unique ``name``, an integer ``priority``
    (higher wins when no backend is named), ``is_available()``, and the audio operations.
    Return an empty iterable, or ``None``, to provide none.
    """


@hookspec
def agentutils_pool_connectors() -> Iterable[object] | None:
    """Return the connection-pool connectors this plugin provides.

    Called once per process, when the connector registry is first used. Each item must
    satisfy ``agentutils_pool.PoolConnector``: a unique ``name``, an integer ``priority``,
    ``is_available()``, the URL ``schemes`` it serves, and ``connect``/``close``/
    ``is_alive``. Return an empty iterable, or ``None``, to provide none.
    """
