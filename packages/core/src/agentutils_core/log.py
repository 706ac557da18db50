"""``log_exceptions``: log what escapes a function, then let it propagate."""

from __future__ import annotations

import functools
import inspect
import logging
from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["log_exceptions"]

F = TypeVar("F", bound="Callable[..., Any]")


def log_exceptions(msg: str = "", logger: logging.Logger | None = None) -> Callable[[F], F]:
    """Decorate a function (sync or async) so that an ``Exception`` it raises is logged.

    The message reads ``Error in {name}``, followed by `` – {msg}`` when ``msg`` is given,
    and is logged with the traceback (``logger.exception``); the exception is then
    re-raised unchanged. ``BaseException``s that are not ``Exception``s (cancellation,
    ``KeyboardInterrupt``, ``SystemExit``) pass through without being logged.

    Args:
        msg: extra context appended to the log message.
        logger: where to log; the root logger when omitted.

    """

    def deco(fn: F) -> F:
        log = logger if logger is not None else logging.getLogger()
        name = getattr(fn, "__name__", repr(fn))
        text = f"Error in {name} – {msg}" if msg else f"Error in {name}"

        if inspect.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                try:
                    return await fn(*args, **kwargs)
                except Exception:
                    log.exception(text)
                    raise

            return cast("F", async_wrapper)

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except Exception:
                log.exception(text)
                raise

        return cast("F", wrapper)

    return deco
