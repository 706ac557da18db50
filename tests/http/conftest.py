"""Fixtures of the http tests: a clean TLS environment, a self-signed certificate, real servers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from tests.conftest import SelfSigned, require


@pytest.fixture(autouse=True)
def _clean_tls_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No SSL_CERT_FILE/SSL_CERT_DIR from the calling shell (a proxy's CA, say), and aiohttp present."""
    require("aiohttp")
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)


@pytest.fixture(scope="session")
def cert(self_signed: SelfSigned) -> SelfSigned:
    """The session's self-signed certificate (tests/conftest.py)."""
    return self_signed


@dataclass
class TlsServer:
    """An aiohttp HTTPS server on 127.0.0.1 answering GET / with 'secret'."""

    port: int

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}/"


@pytest.fixture
async def tls_server(cert: SelfSigned) -> AsyncIterator[TlsServer]:
    from aiohttp import web

    async def hello(request: web.Request) -> web.Response:
        return web.Response(text="secret")

    app = web.Application()
    app.router.add_get("/", hello)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=cert.server_context())
    await site.start()
    port = runner.addresses[0][1]
    yield TlsServer(port)
    await runner.cleanup()
