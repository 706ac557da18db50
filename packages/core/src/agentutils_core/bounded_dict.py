"""``BoundedDict``: an insertion-ordered dict that evicts its oldest entries past a size."""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["BoundedDict"]

K = TypeVar("K")
V = TypeVar("V")

logger = logging.getLogger("agentutils.core")


class BoundedDict(OrderedDict[K, V]):
    """A dict that keeps at most ``maxsize`` entries, evicting the oldest first (FIFO).

    Setting a key that is already present keeps its original position, as in a plain
    dict, so it is not refreshed by an update.

    Args:
        maxsize: the largest number of entries kept; ``None`` means unbounded.

    Raises:
        ValueError: ``maxsize`` is zero or negative.
        TypeError: ``maxsize`` is not an integer or ``None``.

    """

    def __init__(self, maxsize: int | None = None) -> None:
        if maxsize is not None:
            if isinstance(maxsize, bool) or not isinstance(maxsize, int):
                raise TypeError(f"maxsize must be an int or None, got {type(maxsize).__name__}")
            if maxsize <= 0:
                raise ValueError(f"maxsize must be greater than 0, got {maxsize}")
        super().__init__()
        self.maxsize = maxsize

    def __setitem__(self, key: K, value: V) -> None:
        super().__setitem__(key, value)
        if self.maxsize is not None:
            while len(self) > self.maxsize:
                self.popitem(last=False)

    def copy(self) -> BoundedDict[K, V]:
        """Return a shallow copy with the same ``maxsize`` (a plain ``OrderedDict.copy`` drops it)."""
        clone: BoundedDict[K, V] = type(self)(self.maxsize)
        clone.update(self)
        return clone

    def update_value(self, key: K, **kwargs: Any) -> V | None:
        """Set attributes on the value stored under ``key``.

        Keyword arguments whose value is ``None`` are skipped, and so are fields the value
        does not have (logged as a warning).

        Returns:
            The updated value, or ``None`` when ``key`` is absent.

        """
        value = self.get(key)
        if value is None:
            return None
        for field_name, field_value in kwargs.items():
            if field_value is None:
                continue
            if hasattr(value, field_name):
                setattr(value, field_name, field_value)
            else:
                logger.warning(
                    "field %s is not set on value of type %s, skipping",
                    field_name,
                    type(value).__name__,
                )
        return value

    def set_or_update(self, key: K, factory: Callable[[], V], **kwargs: Any) -> V:
        """Make sure ``key`` holds a value, then set attributes on it, as upstream's helper does.

        ``factory()`` is called to create the value when ``key`` is absent or maps to
        ``None`` (storing it may evict the oldest entry); the keyword arguments are then
        applied by :meth:`update_value`, which skips ``None`` values and fields the value
        does not have.

        Returns:
            The value stored under ``key``.

        """
        value = self.get(key)
        if value is None:
            value = factory()
            self[key] = value
        self.update_value(key, **kwargs)
        return value

    def pop_if(self, predicate: Callable[[V], bool] | None = None) -> tuple[K | None, V | None]:
        """Remove and return one entry.

        Without a predicate, the oldest entry; with one, the newest entry whose value
        satisfies it.

        Returns:
            ``(key, value)``, or ``(None, None)`` when nothing matched.

        """
        if predicate is None:
            if self:
                return self.popitem(last=False)
            return None, None
        for key in reversed(list(self.keys())):
            if predicate(self[key]):
                return key, self.pop(key)
        return None, None
