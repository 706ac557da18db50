"""agentutils-filters: exponential filter and moving average for realtime signals.

Streaming (:class:`ExpFilter`, :class:`MovingAverage`, compatible with
``livekit.agents.utils``) and batch (:meth:`ExpFilter.apply_many`, :func:`moving_average`)
forms. numpy is optional: the batch forms are vectorised with it when it is installed and
run in pure Python otherwise; importing this package never imports numpy.
"""

from __future__ import annotations

from .__about__ import __version__
from .exp_filter import ExpFilter
from .moving_average import MovingAverage, moving_average

__all__ = ["ExpFilter", "MovingAverage", "__version__", "moving_average"]
