"""The trust-store rule (environment, system store with certificates, certifi) and TLS for real."""

from __future__ import annotations

import importlib
import itertools
import ssl

import pytest
from tests.conftest import require

from agentutils_http import TrustStore, create_ssl_context, has_certificates, select_trust_store

aiohttp = pytest.importorskip("aiohttp")
certifi = pytest.importorskip("certifi")
http_context = importlib.import_module("agentutils_http.http_context")


def verify_paths(cafile, capath) -> ssl.DefaultVerifyPaths:
    """OpenSSL's default locations, as ssl.get_default_verify_paths() describes them."""
    return ssl.DefaultVerifyPaths(
        str(cafile) if cafile and cafile.is_file() else None,
        str(capath) if capath and capath.is_dir() else None,
        "SSL_CERT_FILE",
        str(cafile),
        "SSL_CERT_DIR",
        str(capath),
    )


@pytest.fixture
def system(tmp_path, cert):
    """Builds a fake system store: a CA file and a CA folder, each with or without certificates."""

    def make(file_has: bool, dir_has: bool) -> ssl.DefaultVerifyPaths:
        cafile = tmp_path / "cert.pem"
        capath = tmp_path / "certs"
        capath.mkdir(exist_ok=True)
        for entry in capath.iterdir():
            entry.unlink()
        if file_has:
            cafile.write_bytes(cert.cert.read_bytes())
        elif cafile.exists():
            cafile.unlink()
        if dir_has:
            for entry in cert.hashed_dir.iterdir():
                (capath / entry.name).write_bytes(entry.read_bytes())
        return verify_paths(cafile, capath)

    return make


class TestHasCertificates:
    def test_pem_file(self, cert):
        assert has_certificates(str(cert.cert), None)

    @pytest.mark.parametrize("content", [b"", b"# no certificates here\n", b"-----BEGIN PRIVATE KEY-----\n"])
    def test_file_without_certificates(self, tmp_path, content):
        path = tmp_path / "bundle.pem"
        path.write_bytes(content)
        assert not has_certificates(str(path), None)

    def test_missing_paths(self, tmp_path):
        assert not has_certificates(str(tmp_path / "nope.pem"), str(tmp_path / "nope"))
        assert not has_certificates(None, None)

    def test_hashed_folder(self, cert):
        assert has_certificates(None, str(cert.hashed_dir))

    def test_folder_of_dangling_hashed_links(self, tmp_path):
        # /etc/ssl/certs copied into an image without /usr/share/ca-certificates: the hashed
        # names are there, the certificates they point to are not
        (tmp_path / "1a2b3c4d.0").symlink_to(tmp_path / "gone" / "ca.crt")
        assert not has_certificates(None, str(tmp_path))

    def test_folder_of_hashed_links_to_certificates(self, tmp_path, cert):
        (tmp_path / "1a2b3c4d.0").symlink_to(cert.cert)
        assert has_certificates(None, str(tmp_path))

    @pytest.mark.parametrize("names", [[], ["README"], ["cert.pem", "openssl.cnf"]])
    def test_folder_without_hashed_entries(self, tmp_path, names):
        # a slim image: /etc/ssl/certs exists, with no certificate (or only non-hashed files)
        for name in names:
            (tmp_path / name).write_text("x")
        assert not has_certificates(None, str(tmp_path))


class TestSelection:
    def test_ssl_cert_file(self, monkeypatch, cert):
        monkeypatch.setenv("SSL_CERT_FILE", str(cert.cert))
        assert select_trust_store() == TrustStore("environment", str(cert.cert), None)

    def test_ssl_cert_dir(self, monkeypatch, cert):
        monkeypatch.setenv("SSL_CERT_DIR", str(cert.hashed_dir))
        assert select_trust_store() == TrustStore("environment", None, str(cert.hashed_dir))

    def test_both(self, cert):
        env = {"SSL_CERT_FILE": str(cert.cert), "SSL_CERT_DIR": str(cert.hashed_dir)}
        assert select_trust_store(env) == TrustStore("environment", str(cert.cert), str(cert.hashed_dir))

    @pytest.mark.parametrize(
        ("env_file", "env_dir", "file_has", "dir_has"), list(itertools.product([False, True], repeat=4))
    )
    def test_fallback_order(self, cert, system, env_file, env_dir, file_has, dir_has):
        paths = system(file_has, dir_has)
        env = {"SSL_CERT_FILE": str(cert.cert) if env_file else "", "SSL_CERT_DIR": ""}
        if env_dir:
            env["SSL_CERT_DIR"] = str(cert.hashed_dir)
        trust = select_trust_store(env, paths)
        if env_file or env_dir:
            expected = TrustStore(
                "environment", str(cert.cert) if env_file else None, str(cert.hashed_dir) if env_dir else None
            )
        elif file_has or dir_has:
            expected = TrustStore(
                "system",
                paths.openssl_cafile if file_has else None,
                paths.openssl_capath if dir_has else None,
            )
        else:
            expected = TrustStore("certifi", certifi.where(), None)
        assert trust == expected

    def test_slim_container_without_ca_certificates_uses_certifi(self, tmp_path):
        # the folder exists, empty; the bundle file does not
        (tmp_path / "certs").mkdir()
        paths = verify_paths(tmp_path / "cert.pem", tmp_path / "certs")
        assert select_trust_store({}, paths) == TrustStore("certifi", certifi.where())

    def test_this_machine(self):
        paths = ssl.get_default_verify_paths()
        present = has_certificates(paths.openssl_cafile, paths.openssl_capath)
        assert select_trust_store().source == ("system" if present else "certifi")


class TestContext:
    @pytest.mark.parametrize("source", ["environment", "system", "certifi"])
    def test_verification_is_never_off(self, cert, system, source):
        if source == "environment":
            trust = select_trust_store({"SSL_CERT_FILE": str(cert.cert)})
        else:
            trust = select_trust_store({}, system(source == "system", False))
        assert trust.source == source
        ctx = create_ssl_context(trust)
        assert ctx.verify_mode == ssl.CERT_REQUIRED
        assert ctx.check_hostname

    def test_certifi_context_holds_certifi_bundle(self, system):
        ctx = create_ssl_context(select_trust_store({}, system(False, False)))
        reference = ssl.create_default_context(cafile=certifi.where())
        assert len(ctx.get_ca_certs()) == len(reference.get_ca_certs()) > 0

    def test_system_context_holds_the_system_file(self, cert, system):
        ctx = create_ssl_context(select_trust_store({}, system(True, False)))
        (ca,) = ctx.get_ca_certs()
        assert dict(item for rdn in ca["subject"] for item in rdn)["commonName"] == "localhost"

    def test_ssl_cert_file_not_a_file(self, monkeypatch, tmp_path):
        monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "missing.pem"))
        with pytest.raises(
            FileNotFoundError, match=r"SSL_CERT_FILE must name a PEM file of CA certificates, got '"
        ):
            create_ssl_context()

    def test_ssl_cert_dir_not_a_folder(self, monkeypatch, tmp_path):
        monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path / "missing"))
        with pytest.raises(
            NotADirectoryError, match=r"SSL_CERT_DIR must name a folder of hashed CA certificates"
        ):
            create_ssl_context()

    def test_ssl_cert_file_without_certificates(self, monkeypatch, tmp_path):
        empty = tmp_path / "empty.pem"
        empty.write_text("nothing\n")
        monkeypatch.setenv("SSL_CERT_FILE", str(empty))
        with pytest.raises(
            ssl.SSLError,
            match=r"SSL_CERT_FILE must name a PEM file of CA certificates, got '.*empty\.pem', "
            "which holds no certificate",
        ):
            create_ssl_context()

    def test_trust_not_a_trust_store(self):
        with pytest.raises(TypeError, match="trust must be a TrustStore or None, got str"):
            create_ssl_context("system")  # type: ignore[arg-type]


class TestRealServer:
    """http_context.open()'s session against an HTTPS server with a self-signed certificate."""

    async def get(self, url: str) -> str:
        async with http_context.open() as session, session.get(url) as response:
            return await response.text()

    async def test_trusted_through_ssl_cert_file(self, monkeypatch, cert, tls_server):
        monkeypatch.setenv("SSL_CERT_FILE", str(cert.cert))
        assert await self.get(tls_server.url) == "secret"

    async def test_trusted_through_ssl_cert_dir(self, monkeypatch, cert, tls_server):
        monkeypatch.setenv("SSL_CERT_DIR", str(cert.hashed_dir))
        assert await self.get(tls_server.url) == "secret"

    async def test_rejected_without_it(self, tls_server):
        with pytest.raises(aiohttp.ClientConnectorCertificateError):
            await self.get(tls_server.url)

    async def test_rejected_with_the_certifi_fallback(self, monkeypatch, system, tls_server):
        paths = system(False, False)
        monkeypatch.setattr(ssl, "get_default_verify_paths", lambda: paths)
        assert select_trust_store().source == "certifi"
        with pytest.raises(aiohttp.ClientConnectorCertificateError):
            await self.get(tls_server.url)

    @pytest.mark.parametrize(("file_has", "dir_has"), [(True, False), (False, True)])
    async def test_trusted_through_the_system_store(self, monkeypatch, system, tls_server, file_has, dir_has):
        paths = system(file_has, dir_has)
        monkeypatch.setattr(ssl, "get_default_verify_paths", lambda: paths)
        assert select_trust_store().source == "system"
        assert await self.get(tls_server.url) == "secret"


def test_an_empty_ca_folder_is_absent_unlike_the_reference(tmp_path, monkeypatch):
    # The slim-container failure: the reference sees a CA folder and trusts the (empty)
    # system store; here the store must hold a certificate to count.
    require("livekit.agents")
    reference = importlib.import_module("livekit.agents.utils.http_context")
    (tmp_path / "certs").mkdir()
    paths = verify_paths(tmp_path / "cert.pem", tmp_path / "certs")
    monkeypatch.setattr(ssl, "get_default_verify_paths", lambda: paths)
    assert reference._has_system_trust_store() is True
    assert select_trust_store().source == "certifi"


async def test_a_broken_ssl_cert_file_fails_at_open_and_binds_nothing(monkeypatch, tmp_path):
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "gone.pem"))
    with pytest.raises(FileNotFoundError, match="SSL_CERT_FILE must name a PEM file"):
        async with http_context.open():
            pass
    with pytest.raises(RuntimeError, match="outside an HTTP session context"):
        http_context.http_session()


class TestContextIsolation:
    """A context handed to a caller is the caller's: changing it never weakens a session."""

    def test_each_call_returns_a_new_context(self, cert):
        trust = TrustStore("environment", str(cert.cert))
        first, second = create_ssl_context(trust), create_ssl_context(trust)
        assert first is not second
        assert first.get_ca_certs() == second.get_ca_certs()

    async def test_turning_verification_off_on_a_returned_context_leaves_sessions_verifying(self, tls_server):
        mine = create_ssl_context()
        mine.check_hostname = False
        mine.verify_mode = ssl.CERT_NONE
        with pytest.raises(aiohttp.ClientConnectorCertificateError):
            await TestRealServer().get(tls_server.url)
        assert create_ssl_context().verify_mode == ssl.CERT_REQUIRED

    async def test_trusting_more_on_a_returned_context_leaves_sessions_as_they_were(self, cert, tls_server):
        create_ssl_context().load_verify_locations(cafile=str(cert.cert))
        with pytest.raises(aiohttp.ClientConnectorCertificateError):
            await TestRealServer().get(tls_server.url)

    async def test_sessions_share_one_context_per_trust_store(self, monkeypatch, cert):
        from agentutils_http import tls

        monkeypatch.setenv("SSL_CERT_FILE", str(cert.cert))
        tls._session_context.cache_clear()
        built: list[ssl.SSLContext] = []
        real = ssl.create_default_context

        def counting(*args, **kwargs):
            built.append(real(*args, **kwargs))
            return built[-1]

        monkeypatch.setattr(ssl, "create_default_context", counting)
        for _ in range(3):
            async with http_context.open():
                pass
        assert len(built) == 1  # the bundle is parsed once, not per session


SOURCES = "'environment', 'system' or 'certifi'"
NEEDS_A_PATH = "needs a cafile or a capath; without them the platform's store would be trusted"


class TestTrustStoreArguments:
    @pytest.mark.parametrize(
        ("kwargs", "error", "message"),
        [
            ({"source": "bogus"}, ValueError, f"source must be {SOURCES}, got 'bogus'"),
            ({"source": 1}, TypeError, f"source must be {SOURCES}, got int"),
            ({"source": "certifi"}, ValueError, rf"TrustStore\('certifi'\) {NEEDS_A_PATH}"),
            ({"source": "environment"}, ValueError, rf"TrustStore\('environment'\) {NEEDS_A_PATH}"),
            ({"source": "system", "cafile": 3}, TypeError, "cafile must be a str or None, got int"),
            ({"source": "system", "capath": b"/etc"}, TypeError, "capath must be a str or None, got bytes"),
        ],
    )
    def test_bad_fields(self, kwargs, error, message):
        with pytest.raises(error, match=message):
            TrustStore(**kwargs)

    def test_system_without_paths_is_the_platform_store(self):
        assert TrustStore("system") == TrustStore("system", None, None)
