"""Internal: :meth:`ConnectionPool.from_url`, a pool whose connector is chosen by URL scheme.

Kept apart from the pool's mechanics, which know nothing of URLs or connectors; the
connector machinery is imported on the first call, not with the pool.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Mapping

    from .pool import ConnectionPool

__all__: list[str] = []


def from_url(
    cls: type[ConnectionPool[Any]],
    /,
    url: str,
    *,
    connector: str | None = None,
    connect_options: Mapping[str, Any] | None = None,
    validate_cb: Callable[[Any], bool | Awaitable[bool]] | None = None,
    **pool_options: Any,
) -> ConnectionPool[Any]:
    """Build a pool whose connections are opened by the connector serving ``url``'s scheme.

    The connector is :func:`agentutils_pool.resolve_connector`'s choice; it checks the
    URL and options now (the websocket connector imports aiohttp now, not during the
    first connect) and its ``is_alive`` validates unless ``validate_cb`` is given.

    Args:
        cls: the pool class (``from_url`` is a classmethod of :class:`ConnectionPool`).
        url: where to connect, e.g. ``"wss://api.example.com/v1/stream"``.
        connector: the name of the connector to use.
        connect_options: keyword arguments for the connector's ``connect`` (headers,
            an ``ssl`` context...).
        validate_cb: as in the constructor; defaults to the connector's ``is_alive``.
        **pool_options: the constructor's other options (``max_size``...).

    Returns:
        A pool whose logs and errors show ``url`` redacted.

    Raises:
        ValueError: ``url`` has no scheme, or the connector rejects it.
        LookupError: see :func:`agentutils_pool.resolve_connector` (for example
            ``UnsupportedSchemeError``; ``ProviderUnavailableError`` names the extra).

    """
    from .connector import _bind_url

    bound = _bind_url(url, connector, connect_options)
    validate = validate_cb if validate_cb is not None else bound.is_alive
    pool: ConnectionPool[Any] = cls(
        connect_cb=bound.connect, close_cb=bound.close, validate_cb=validate, **pool_options
    )
    pool._bg.target(bound.redacted, bound.secrets)
    return pool
