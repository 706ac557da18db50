"""Fixtures of the http tests: a clean TLS environment, a self-signed certificate, real servers."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.conftest import require


@pytest.fixture(autouse=True)
def _clean_tls_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No SSL_CERT_FILE/SSL_CERT_DIR from the calling shell (a proxy's CA, say), and aiohttp present."""
    require("aiohttp")
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)


@dataclass
class Cert:
    """A self-signed certificate for localhost and 127.0.0.1, made in the test."""

    cert: Path
    key: Path
    hashed_dir: Path  # a CA folder as OpenSSL reads it: <subject hash>.0

    def server_context(self) -> ssl.SSLContext:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(self.cert, self.key)
        return ctx


@pytest.fixture(scope="session")
def cert(tmp_path_factory: pytest.TempPathFactory) -> Cert:
    """Made with the openssl command (no test-only Python dependency)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is not installed")
    folder = tmp_path_factory.mktemp("cert")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-addext", "keyUsage=critical,digitalSignature,keyCertSign",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    subject_hash = subprocess.run(
        [openssl, "x509", "-hash", "-noout", "-in", str(cert)], check=True, capture_output=True, text=True
    ).stdout.strip()
    hashed_dir = folder / "hashed"
    hashed_dir.mkdir()
    shutil.copy(cert, hashed_dir / f"{subject_hash}.0")
    return Cert(cert, key, hashed_dir)


@dataclass
class TlsServer:
    """An aiohttp HTTPS server on 127.0.0.1 answering GET / with 'secret'."""

    port: int

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}/"


@pytest.fixture
async def tls_server(cert: Cert) -> AsyncIterator[TlsServer]:
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
