"""Internal: the context manager of :meth:`ConnectionPool.connection`."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from .pool import ConnectionPool

__all__: list[str] = []

T = TypeVar("T")


class Checkout(AbstractAsyncContextManager[T]):
    """The context manager of :meth:`ConnectionPool.connection` (cheaper than a generator)."""

    __slots__ = ("_conn", "_pool", "_timeout")

    def __init__(self, pool: ConnectionPool[T], timeout: float | None) -> None:
        self._pool = pool
        self._timeout = timeout

    async def __aenter__(self) -> T:
        self._conn = await self._pool.get(timeout=self._timeout)
        return self._conn

    async def __aexit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
        if exc_type is None:
            self._pool.put(self._conn)
        else:
            self._pool.remove(self._conn)
