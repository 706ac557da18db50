"""``PoolStats``: a snapshot of a connection pool's state and counters."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PoolStats"]


@dataclass(frozen=True)
class PoolStats:
    """A snapshot of a pool's connections and counters.

    Attributes:
        open: connections the pool owns: idle plus checked out.
        in_use: connections checked out by a caller (including retired ones, which are
            closed when they come back).
        idle: connections ready for reuse.
        connecting: connects in flight (a cancelled one until it has ended).
        waiting: ``get()`` calls queued because ``max_size`` was reached.
        closing: closes in flight.
        created: connections opened since the pool was created.
        reused: ``get()`` calls served by an existing connection.
        closed: connections closed since the pool was created (a ``close_cb`` that raised
            counts as closed).

    """

    open: int
    in_use: int
    idle: int
    connecting: int
    waiting: int
    closing: int
    created: int
    reused: int
    closed: int
