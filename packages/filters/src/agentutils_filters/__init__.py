"""agentutils-filters: exponential filter and moving average for realtime signals.

Streaming (:class:`ExpFilter`, :class:`MovingAverage`, compatible with
``livekit.agents.utils``) and batch (:meth:`ExpFilter.apply_many`, :func:`moving_average`)
forms. numpy is optional: the batch forms are vectorised with it when it is installed and
run in pure Python otherwise; importing this package never imports numpy.
"""

from __future__ import annotations

from agentutils_core.lazy import exports

from .__about__ import __version__ as __version__

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs ~15 ms
if TYPE_CHECKING:
    from .exp_filter import ExpFilter as ExpFilter
    from .moving_average import MovingAverage as MovingAverage, moving_average as moving_average

# The public names, each imported from its module on first use: the one table from which
# __all__ and the lazy lookups follow (tests/integration/test_exports.py checks the imports above).
_EXPORTS = {
    "ExpFilter": ".exp_filter:ExpFilter",
    "MovingAverage": ".moving_average:MovingAverage",
    "moving_average": ".moving_average:moving_average",
}

__all__ = exports(__name__, globals(), _EXPORTS)
