"""The ``async with`` protocol of the aio objects that close with ``aclose()`` (private)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from types import TracebackType

__all__: list[str] = []

_S = TypeVar("_S", bound="AsyncClosing")


class AsyncClosing:
    """Mixin: ``async with obj`` gives ``obj`` and awaits ``obj.aclose()`` on the way out."""

    __slots__ = ()

    if TYPE_CHECKING:

        async def aclose(self) -> None:
            """Close the object: every subclass defines it."""

    async def __aenter__(self: _S) -> _S:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
