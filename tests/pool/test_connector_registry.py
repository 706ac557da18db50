"""Choosing a connector by URL scheme: explicit name, environment, priority, duplicates."""

from __future__ import annotations

import subprocess
import sys
import types

import pytest

import agentutils_pool.hooks
from agentutils_core import (
    DuplicateProviderError,
    PluginManager,
    ProviderRegistry,
    ProviderUnavailableError,
    UnknownProviderError,
    hookimpl,
)
from agentutils_pool import (
    CONNECTOR_ENV_VAR,
    CONNECTOR_HOOK,
    ConnectionPool,
    TcpConnector,
    UnsupportedSchemeError,
    WebSocketConnector,
    check_connector,
    resolve_connector,
    scheme_index,
)


class EchoConnector:
    """A minimal in-memory connector for the registry tests."""

    def __init__(self, name: str, schemes=("echo",), priority: int = 0, available: bool = True) -> None:
        self.name = name
        self.schemes = schemes
        self.priority = priority
        self.available = available

    def is_available(self) -> bool:
        return self.available

    def unavailable_reason(self) -> str | None:
        return None if self.available else "needs the moon"

    async def connect(self, url: str, timeout: float, **options) -> object:
        return object()

    async def close(self, conn: object) -> None:
        pass

    def is_alive(self, conn: object) -> bool:
        return True


def plugin(*connectors: object) -> types.SimpleNamespace:
    @hookimpl
    def agentutils_pool_connectors():
        return list(connectors)

    return types.SimpleNamespace(agentutils_pool_connectors=agentutils_pool_connectors)


def registry(*plugins: object) -> ProviderRegistry:
    manager = PluginManager(entry_points=[], strict=True)
    for i, p in enumerate(plugins):
        manager.register(p, f"plugin{i}")
    return ProviderRegistry(
        CONNECTOR_HOOK,
        kind="pool connector",
        env_var=CONNECTOR_ENV_VAR,
        check=check_connector,
        manager=manager,
    )


@pytest.fixture(autouse=True)
def _no_env(monkeypatch):
    monkeypatch.delenv(CONNECTOR_ENV_VAR, raising=False)


# ---------------------------------------------------------------- built-ins
def test_builtin_connectors_serve_their_schemes():
    index = scheme_index()
    assert {"tcp", "tls", "ws", "wss"} <= set(index)
    assert index["tcp"][0].name == "tcp"
    assert index["wss"][0].name == "websocket"
    assert index["tcp"][0].plugin.distribution == "agentutils-pool"


def test_builtin_hooks_module_provides_both_connectors():
    reg = registry(agentutils_pool.hooks)
    assert sorted(reg.names()) == ["tcp", "websocket"]
    assert isinstance(resolve_connector("tls://h:1", registry=reg), TcpConnector)
    assert isinstance(reg.get("websocket"), WebSocketConnector)  # available or not


@pytest.mark.parametrize(
    ("url", "exc", "match"),
    [
        (
            "localhost:8080",
            ValueError,
            r"expected a URL with a scheme, such as 'tcp://host:port', got 'localhost:8080'",
        ),
        ("", ValueError, r"expected a URL with a scheme"),
        (b"tcp://h:1", TypeError, r"url must be a str, got bytes"),
        (
            "gopher://h/x",
            UnsupportedSchemeError,
            r"no pool connector serves gopher:// URLs \(gopher://h/x\); known schemes: .*tcp://",
        ),
    ],
)
def test_bad_urls(url, exc, match):
    with pytest.raises(exc, match=match):
        resolve_connector(url)


def test_unsupported_scheme_is_a_lookup_error():
    with pytest.raises(LookupError):
        ConnectionPool.from_url("gopher://h/x")


def test_explicit_connector_must_serve_the_scheme():
    with pytest.raises(
        UnsupportedSchemeError,
        match=r"pool connector 'tcp' serves tcp://, tls:// URLs, not ws:// \(ws://h/x\)",
    ):
        resolve_connector("ws://h/x", "tcp")
    with pytest.raises(UnknownProviderError, match=r"unknown pool connector 'nope'; known: .*tcp"):
        resolve_connector("ws://h/x", "nope")


# ---------------------------------------------------------------- the ws extra
def test_ws_without_aiohttp_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "aiohttp", None)  # find_spec("aiohttp") is now None
    reg = registry(agentutils_pool.hooks)
    with pytest.raises(ProviderUnavailableError, match=r"pip install 'agentutils-pool\[aiohttp\]'"):
        resolve_connector("wss://h/x", registry=reg)
    with pytest.raises(ProviderUnavailableError, match=r"agentutils-pool\[aiohttp\]"):
        resolve_connector("ws://h/x", "websocket", registry=reg)
    assert isinstance(resolve_connector("tcp://h:1", registry=reg), TcpConnector)


async def test_ws_connect_without_aiohttp_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "aiohttp", None)
    with pytest.raises(ProviderUnavailableError, match=r"agentutils-pool\[aiohttp\]"):
        await WebSocketConnector().connect("ws://h/x", 1.0)


def test_from_url_ws_follows_the_environment():
    try:
        import aiohttp  # noqa: F401
    except ImportError:
        with pytest.raises(ProviderUnavailableError, match=r"agentutils-pool\[aiohttp\]"):
            ConnectionPool.from_url("ws://127.0.0.1:1/x")
    else:
        assert ConnectionPool.from_url("ws://127.0.0.1:1/x") is not None


def test_importing_and_resolving_does_not_import_aiohttp():
    code = (
        "import sys, agentutils_pool\n"
        "agentutils_pool.resolve_connector('tcp://h:1')\n"
        "agentutils_pool.scheme_index()\n"
        "assert 'aiohttp' not in sys.modules, 'aiohttp imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# ---------------------------------------------------------------- priorities and duplicates
def test_same_priority_claims_of_a_scheme_name_both_plugins():
    reg = registry(plugin(EchoConnector("first")), plugin(EchoConnector("second")))
    with pytest.raises(DuplicateProviderError) as info:
        resolve_connector("echo://x", registry=reg)
    message = str(info.value)
    assert (
        "the echo:// scheme is claimed by pool connector 'first' from <in-process> (entry point 'plugin0')"
        in message
    )
    assert "and by 'second' from <in-process> (entry point 'plugin1'), both with priority 0" in message
    # Naming one resolves the conflict.
    assert resolve_connector("echo://x", "second", registry=reg).name == "second"


def test_higher_priority_wins_a_scheme():
    reg = registry(plugin(EchoConnector("low")), plugin(EchoConnector("high", priority=10)))
    assert resolve_connector("echo://x", registry=reg).name == "high"


def test_unavailable_connector_gives_way_and_explains_itself():
    reg = registry(plugin(EchoConnector("best", priority=10, available=False)), plugin(EchoConnector("ok")))
    assert resolve_connector("echo://x", registry=reg).name == "ok"
    only = registry(plugin(EchoConnector("best", available=False)))
    with pytest.raises(
        ProviderUnavailableError,
        match=r"no pool connector for the echo:// scheme is available: best \(needs the moon\)",
    ):
        resolve_connector("echo://x", registry=only)


def test_duplicate_connector_names_are_an_error():
    reg = registry(plugin(EchoConnector("same")), plugin(EchoConnector("same", schemes=("other",))))
    with pytest.raises(DuplicateProviderError, match=r"pool connector 'same' is registered twice"):
        resolve_connector("echo://x", registry=reg)


def test_environment_variable_picks_among_connectors_of_its_scheme(monkeypatch):
    reg = registry(
        plugin(EchoConnector("a")),
        plugin(EchoConnector("b", priority=5)),
        plugin(EchoConnector("t", schemes=("tcp",))),
    )
    monkeypatch.setenv(CONNECTOR_ENV_VAR, "a")
    assert resolve_connector("echo://x", registry=reg).name == "a"
    assert resolve_connector("tcp://h:1", registry=reg).name == "t"  # "a" does not serve tcp://
    monkeypatch.setenv(CONNECTOR_ENV_VAR, "zzz")
    with pytest.raises(
        UnknownProviderError,
        match=r"unknown pool connector 'zzz' \(from environment variable AGENTUTILS_POOL_CONNECTOR\); "
        r"known: a, b, t",
    ):
        resolve_connector("echo://x", registry=reg)


# ---------------------------------------------------------------- validation of plugins
@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"name": ""}, r"pool connector must have a non-empty str 'name', got ''"),
        ({"priority": True}, r"pool connector 'x' must have an int 'priority', got True"),
        ({"schemes": "ws"}, r"pool connector 'x' must have 'schemes', a non-empty sequence of str, got 'ws'"),
        ({"schemes": ()}, r"must have 'schemes', a non-empty sequence of str, got \(\)"),
        (
            {"schemes": ("WS",)},
            r"pool connector 'x' has an invalid scheme 'WS': expected a lowercase URL scheme",
        ),
        ({"connect": None}, r"pool connector 'x' must implement connect$"),
        ({"is_alive": 3}, r"pool connector 'x' must implement is_alive$"),
    ],
)
def test_check_connector_rejects_malformed_connectors(change, match):
    item = EchoConnector("x")
    for key, value in change.items():
        setattr(item, key, value)
    with pytest.raises(TypeError, match=match):
        check_connector(item)


def test_a_third_party_connector_tying_a_builtin_is_skipped_not_fatal(monkeypatch):
    # The built-in tcp connector keeps serving tcp:// (non-strict mode); the newcomer is
    # recorded as its plugin's failure, naming both distributions.
    from agentutils_core import PluginWarning

    manager = PluginManager(strict=False)  # the installed plugins, this distribution's built-ins included
    manager.register(plugin(EchoConnector("tcp2", schemes=("tcp",))), "tier")
    reg = ProviderRegistry(
        CONNECTOR_HOOK,
        kind="pool connector",
        env_var=CONNECTOR_ENV_VAR,
        check=check_connector,
        manager=manager,
    )
    with pytest.warns(PluginWarning, match=r"'tcp2' .* ties the built-in 'tcp' from agentutils-pool"):
        assert isinstance(resolve_connector("tcp://h:1", registry=reg), TcpConnector)
    (failure,) = [f for f in manager.failures if f.plugin.name == "tier"]
    assert "ties the built-in 'tcp'" in failure.error
