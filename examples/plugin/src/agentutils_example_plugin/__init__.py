"""An example third-party agentutils plugin distribution.

It registers, through the ``agentutils`` entry-point group, the same kinds of providers
the built-in members register: see :mod:`agentutils_example_plugin.hooks`.
"""

__all__: list[str] = []
