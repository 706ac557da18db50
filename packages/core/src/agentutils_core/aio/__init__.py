"""asyncio toolkit: the counterpart of ``livekit.agents.utils.aio`` (standard library only).

Channels (:class:`Chan`), cancellation (:func:`cancel_and_wait`), a resettable sleep
(:class:`Sleep`), periodic ticks (:class:`Interval`), task bookkeeping (:class:`TaskSet`,
:class:`WaitGroup`), :class:`AsyncAtomicCounter`, debouncing (:class:`Debounced`) and
:func:`itertools.tee <agentutils_core.aio.itertools.tee>` for async iterators. Nothing here
binds an event loop at construction: every object can be created outside a running loop.
"""

from __future__ import annotations

from . import itertools
from .channel import Chan, ChanClosed, ChanEmpty, ChanFull, ChanReceiver, ChanSender
from .counter import AsyncAtomicCounter
from .debounce import Debounced, debounced
from .interval import Interval, interval
from .itertools import Tee, tee
from .sleep import Sleep, SleepFinished, sleep
from .task_set import TaskSet
from .utils import cancel_and_wait, gracefully_cancel
from .wait_group import WaitGroup

__all__ = [
    "AsyncAtomicCounter",
    "Chan",
    "ChanClosed",
    "ChanEmpty",
    "ChanFull",
    "ChanReceiver",
    "ChanSender",
    "Debounced",
    "Interval",
    "Sleep",
    "SleepFinished",
    "TaskSet",
    "Tee",
    "WaitGroup",
    "cancel_and_wait",
    "debounced",
    "gracefully_cancel",
    "interval",
    "itertools",
    "sleep",
    "tee",
]
