"""Connectors: the plugin kind that opens pooled connections for a URL scheme.

This module owns the kind: the :class:`PoolConnector` protocol, the
``agentutils_pool_connectors`` hook specification (named in this distribution's
``agentutils.hookspecs`` entry point, so core adds it before loading any plugin) and the
kind's :class:`agentutils_core.ProviderRegistry`. :meth:`ConnectionPool.from_url` picks the one
serving the URL's scheme with :func:`resolve_connector`:

1. the connector named by the caller (it must serve the scheme);
2. else the one named by ``AGENTUTILS_POOL_CONNECTOR``, when it serves the scheme (the
   variable is ignored for other schemes, so one setting can cover ``wss://`` while
   ``tcp://`` keeps its default);
3. else the available connector of highest ``priority`` among those serving the scheme.
   Two available third-party connectors of the same, highest priority claiming one scheme
   are an error naming both distributions; a third-party connector tying a built-in is
   skipped and recorded. A plugin overrides a built-in connector by declaring a higher
   priority, never by load order.

This is :meth:`agentutils_core.ProviderRegistry.select`'s one rule, with the scheme as
its filter.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, runtime_checkable
from urllib.parse import urlsplit

from agentutils_core.errors import NoProviderError
from agentutils_core.hookspecs import hookspec
from agentutils_core.registry import Provider, ProviderRegistry

from .errors import UnsupportedSchemeError
from .redaction import header_secrets, redact_url, url_secrets

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterable, Mapping

    from agentutils_core.registry import ProviderEntry

__all__ = [
    "CONNECTOR_ENV_VAR",
    "CONNECTOR_HOOK",
    "PoolConnector",
    "agentutils_pool_connectors",
    "check_connector",
    "connector_registry",
    "resolve_connector",
    "scheme_index",
]

CONNECTOR_HOOK = "agentutils_pool_connectors"
"""The hook through which plugins contribute connectors."""

CONNECTOR_ENV_VAR = "AGENTUTILS_POOL_CONNECTOR"
"""Environment variable naming the connector to use for the schemes it serves."""

_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*$")


@runtime_checkable
class PoolConnector(Provider, Protocol):
    """What a connector offers: open, close and check connections for some URL schemes.

    Besides the members below, a connector may define ``check_url(url, **options)``,
    which :meth:`ConnectionPool.from_url` calls to reject a malformed URL or options
    early (raising ``ValueError`` or ``TypeError``), and ``unavailable_reason()``, which
    says why ``is_available()`` is false (for example, which extra to install).
    """

    @property
    def schemes(self) -> Sequence[str]:
        """The lowercase URL schemes served, e.g. ``("ws", "wss")``."""
        ...

    async def connect(self, url: str, timeout: float, **options: Any) -> Any:
        """Open a connection to ``url``.

        ``timeout`` is the seconds left before the caller's deadline (``math.inf`` for
        none), for the connector's own use; the caller enforces it (the pool cancels a
        connect that outlives it and closes a connection that completes anyway).

        Raises:
            agentutils_pool.ConnectError: the connection failed (message redacted).

        """
        ...

    async def close(self, conn: Any) -> None:
        """Close a connection opened by :meth:`connect`."""
        ...

    def is_alive(self, conn: Any) -> bool:
        """Whether a connection still looks usable (checked before it is reused)."""
        ...


@hookspec
def agentutils_pool_connectors() -> Iterable[object] | None:
    """Return the connection-pool connectors this plugin provides.

    Called once per process, when the connector registry is first used. Each item must
    satisfy :class:`PoolConnector`: a unique ``name``, an integer ``priority``,
    ``is_available()``, the URL ``schemes`` it serves, and ``connect``/``close``/
    ``is_alive``. Return an empty iterable, or ``None``, to provide none.
    """


def check_connector(item: object) -> PoolConnector:
    """Validate an item returned by an ``agentutils_pool_connectors`` hook.

    Returns:
        ``item``, typed as a connector.

    Raises:
        TypeError: a member is missing or has the wrong type; the message names it.

    """
    from agentutils_core.registry import check_provider

    name = check_provider(item, "pool connector", ("connect", "close", "is_alive"))
    schemes = getattr(item, "schemes", None)
    if isinstance(schemes, str) or not isinstance(schemes, Sequence) or not schemes:
        raise TypeError(
            f"pool connector {name!r} must have 'schemes', a non-empty sequence of str, got {schemes!r}"
        )
    for scheme in schemes:
        if not isinstance(scheme, str) or not _SCHEME.match(scheme):
            raise TypeError(
                f"pool connector {name!r} has an invalid scheme {scheme!r}: expected a lowercase "
                "URL scheme such as 'wss'"
            )
    return item  # type: ignore[return-value]


def _schemes_of(connector: PoolConnector) -> Sequence[str]:
    return connector.schemes


# Built when this module is imported (it is the kind's module, named by the
# agentutils.hookspecs entry point), so agentutils_core.registries() lists it; building
# it discovers nothing until it is first used.
_registry: ProviderRegistry[PoolConnector] = ProviderRegistry(
    CONNECTOR_HOOK,
    kind="pool connector",
    env_var=CONNECTOR_ENV_VAR,
    check=check_connector,
    extra="agentutils-pool[aiohttp]",
    handles=_schemes_of,
    handles_label="{}:// URLs",
)


def connector_registry() -> ProviderRegistry[PoolConnector]:
    """Return the process-wide registry of pool connectors (discovered on first use)."""
    return _registry


def scheme_index(
    registry: ProviderRegistry[PoolConnector] | None = None,
) -> dict[str, list[ProviderEntry[PoolConnector]]]:
    """Map each URL scheme to the connectors serving it, highest priority first."""
    reg = registry if registry is not None else connector_registry()
    index: dict[str, list[ProviderEntry[PoolConnector]]] = {}
    for entry in reg.entries():
        for scheme in entry.provider.schemes:
            index.setdefault(scheme, []).append(entry)
    return index


def _scheme_of(url: str) -> str:
    if not isinstance(url, str):
        raise TypeError(f"url must be a str, got {type(url).__name__}")
    scheme = urlsplit(url).scheme.lower() if "://" in url else ""
    if not scheme:
        raise ValueError(f"expected a URL with a scheme, such as 'tcp://host:port', got {redact_url(url)!r}")
    return scheme


def resolve_connector(
    url: str,
    name: str | None = None,
    *,
    registry: ProviderRegistry[PoolConnector] | None = None,
) -> PoolConnector:
    """Return the connector that serves ``url``'s scheme (see the module docs for the rules).

    The choice is :meth:`agentutils_core.ProviderRegistry.select`'s, filtered by scheme.

    Args:
        url: the URL to connect to (only its scheme is used).
        name: the connector to use, bypassing the environment and priorities.
        registry: where to look; the process-wide registry when omitted.

    Raises:
        TypeError: ``url`` is not a str.
        ValueError: ``url`` has no scheme.
        UnsupportedSchemeError: no connector serves the scheme, or ``name`` does not.
        agentutils_core.UnknownProviderError: ``name`` (or the environment variable) names
            no connector.
        agentutils_core.ProviderUnavailableError: the connector(s) for the scheme cannot
            work here; the message says why (e.g. the extra to install).
        agentutils_core.DuplicateProviderError: two available connectors of the same
            highest priority claim the scheme.

    """
    reg = registry if registry is not None else connector_registry()
    scheme = _scheme_of(url)
    where = _serves.get(scheme)
    if where is None:  # one function per scheme, so that the registry caches the choice
        where = _serves.setdefault(scheme, lambda connector: scheme in connector.schemes)
    try:
        return reg.select(name, where=where, wanted=f"the {scheme}:// scheme").provider
    except NoProviderError:
        pass
    if name is not None:
        served = ", ".join(f"{s}://" for s in reg.get(name).schemes)
        raise UnsupportedSchemeError(
            f"pool connector {name!r} serves {served} URLs, not {scheme}:// ({redact_url(url)})"
        ) from None
    known = ", ".join(f"{s}://" for s in sorted(scheme_index(reg))) or "none"
    raise UnsupportedSchemeError(
        f"no pool connector serves {scheme}:// URLs ({redact_url(url)}); known schemes: {known}"
    ) from None


_serves: dict[str, Callable[[PoolConnector], bool]] = {}


class _Bound(NamedTuple):
    """What :meth:`ConnectionPool.from_url` needs of the connector serving a URL."""

    connect: Callable[[float], Awaitable[Any]]
    close: Callable[[Any], Awaitable[None]]
    is_alive: Callable[[Any], bool]
    redacted: str
    secrets: tuple[str, ...]


def _bind_url(url: str, name: str | None, connect_options: Mapping[str, Any] | None) -> _Bound:
    """Resolve the connector of ``url``, let it check the URL and options, and bind them."""
    connector = resolve_connector(url, name)
    options = dict(connect_options or {})
    check_url = getattr(connector, "check_url", None)
    if callable(check_url):
        check_url(url, **options)

    async def connect(timeout: float) -> Any:
        return await connector.connect(url, timeout, **options)

    secrets = (*url_secrets(url), *header_secrets(options.get("headers")))
    return _Bound(connect, connector.close, connector.is_alive, redact_url(url), secrets)
