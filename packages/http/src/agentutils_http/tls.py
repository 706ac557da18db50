"""Which certificates verify HTTPS servers: the environment, the system store, or certifi.

The rule, in order:

1. ``SSL_CERT_FILE`` and/or ``SSL_CERT_DIR``, when set (and not empty): exactly those.
2. The system trust store (OpenSSL's default CA file and folder), when it holds at least
   one certificate. A slim container image often has the folder but no certificate in
   it: that counts as absent.
3. certifi's bundle.

Verification is never turned off: every context requires a valid certificate chain and
checks the host name. Building a context parses the whole bundle, so the sessions of
``http_context`` share one context per trust store (an ``SSLContext`` is safe to share
across threads and event loops); like aiohttp's default context it is not reloaded when a
bundle changes on disk. That shared context is never handed out: an ``SSLContext`` is
mutable, and a caller turning verification off (or trusting one more CA) on a context it
got from :func:`create_ssl_context` would otherwise do so for every session. Each call
of :func:`create_ssl_context` builds a new context, the caller's to change.
"""

from __future__ import annotations

import functools
import os
import re
import ssl
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "SSL_CERT_DIR",
    "SSL_CERT_FILE",
    "TrustSource",
    "TrustStore",
    "create_ssl_context",
    "has_certificates",
    "select_trust_store",
]

SSL_CERT_FILE = "SSL_CERT_FILE"
"""Environment variable naming a PEM file of trusted CA certificates (OpenSSL's own)."""
SSL_CERT_DIR = "SSL_CERT_DIR"
"""Environment variable naming a folder of hashed CA certificates (OpenSSL's own)."""

TrustSource = Literal["environment", "system", "certifi"]
"""Where a :class:`TrustStore` comes from."""

# OpenSSL looks certificates up in a CA folder by subject hash: <8 hex digits>.<n>.
_HASHED_NAME = re.compile(r"[0-9a-f]{8}\.[0-9]+")
_PEM_MARKERS = (b"-----BEGIN CERTIFICATE-----", b"-----BEGIN TRUSTED CERTIFICATE-----")
_SOURCES = ("environment", "system", "certifi")


@dataclass(frozen=True)
class TrustStore:
    """The CA certificates a context trusts: their source and the file and/or folder read.

    ``TrustStore("system")`` with neither path means the platform's own store (Windows).

    Raises:
        TypeError: ``source`` is not a str, or ``cafile``/``capath`` not a str or None.
        ValueError: ``source`` is not ``"environment"``, ``"system"`` or ``"certifi"``, or
            an ``"environment"`` or ``"certifi"`` store names neither a file nor a folder
            (it would silently trust the platform's store instead).

    """

    source: TrustSource
    cafile: str | None = None
    capath: str | None = None

    def __post_init__(self) -> None:
        expected = "'environment', 'system' or 'certifi'"
        if not isinstance(self.source, str):
            raise TypeError(f"source must be {expected}, got {type(self.source).__name__}")
        if self.source not in _SOURCES:
            raise ValueError(f"source must be {expected}, got {self.source!r}")
        for name in ("cafile", "capath"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                raise TypeError(f"{name} must be a str or None, got {type(value).__name__}")
        if self.source != "system" and self.cafile is None and self.capath is None:
            raise ValueError(
                f"TrustStore({self.source!r}) needs a cafile or a capath; without them the platform's "
                "store would be trusted (only TrustStore('system') means that)"
            )


def _file_has_certificates(cafile: str) -> bool:
    try:
        with open(cafile, "rb") as f:
            data = f.read()
    except OSError:
        return False
    return any(marker in data for marker in _PEM_MARKERS)


def _folder_has_certificates(capath: str) -> bool:
    try:
        with os.scandir(capath) as entries:
            # is_file() follows the link: a hashed name whose certificate is gone (a copied
            # /etc/ssl/certs without /usr/share/ca-certificates) is not a certificate
            return any(_HASHED_NAME.fullmatch(entry.name) and entry.is_file() for entry in entries)
    except OSError:
        return False


def has_certificates(cafile: str | None, capath: str | None) -> bool:
    """Return whether a CA file holds a PEM certificate or a CA folder a hashed certificate file.

    ``None`` stands for "no file" / "no folder". Missing or unreadable paths count as empty.
    """
    return bool(cafile and _file_has_certificates(cafile)) or bool(
        capath and _folder_has_certificates(capath)
    )


def select_trust_store(
    environ: Mapping[str, str] | None = None, verify_paths: ssl.DefaultVerifyPaths | None = None
) -> TrustStore:
    """Return the trust store the rule picks (see the module's documentation).

    Args:
        environ: the environment to read ``SSL_CERT_FILE``/``SSL_CERT_DIR`` from
            (``os.environ`` by default).
        verify_paths: OpenSSL's default locations (``ssl.get_default_verify_paths()`` by
            default); their ``openssl_cafile`` and ``openssl_capath`` are the system store.

    """
    env = os.environ if environ is None else environ
    cafile, capath = env.get(SSL_CERT_FILE) or None, env.get(SSL_CERT_DIR) or None
    if cafile or capath:
        return TrustStore("environment", cafile, capath)
    if verify_paths is None:
        if sys.platform == "win32":  # the Windows certificate store, read by load_default_certs()
            return TrustStore("system")
        verify_paths = ssl.get_default_verify_paths()
    system_file, system_dir = verify_paths.openssl_cafile, verify_paths.openssl_capath
    file_ok = bool(system_file) and _file_has_certificates(system_file)
    dir_ok = bool(system_dir) and _folder_has_certificates(system_dir)
    if file_ok or dir_ok:
        return TrustStore("system", system_file if file_ok else None, system_dir if dir_ok else None)
    import certifi

    return TrustStore("certifi", certifi.where())


def _check_environment(trust: TrustStore) -> None:
    if trust.cafile is not None and not os.path.isfile(trust.cafile):
        raise FileNotFoundError(
            f"{SSL_CERT_FILE} must name a PEM file of CA certificates, got {trust.cafile!r}, "
            "which is not a file"
        )
    if trust.cafile is not None and not _file_has_certificates(trust.cafile):
        # OpenSSL's own error ("no certificate or crl found") names neither the file nor the variable
        raise ssl.SSLError(
            f"{SSL_CERT_FILE} must name a PEM file of CA certificates, got {trust.cafile!r}, "
            "which holds no certificate"
        )
    if trust.capath is not None and not any(os.path.isdir(p) for p in trust.capath.split(os.pathsep)):
        raise NotADirectoryError(
            f"{SSL_CERT_DIR} must name a folder of hashed CA certificates, got {trust.capath!r}, "
            "which is not a folder"
        )


def _build(trust: TrustStore) -> ssl.SSLContext:
    if trust.cafile is None and trust.capath is None:
        return ssl.create_default_context()  # the platform's own store (TrustStore("system") only)
    return ssl.create_default_context(cafile=trust.cafile, capath=trust.capath)


def _checked(trust: TrustStore | None) -> TrustStore:
    if trust is None:
        trust = select_trust_store()
    elif not isinstance(trust, TrustStore):
        raise TypeError(f"trust must be a TrustStore or None, got {type(trust).__name__}")
    if trust.source == "environment":
        _check_environment(trust)
    return trust


@functools.lru_cache(maxsize=16)
def _session_context(trust: TrustStore) -> ssl.SSLContext:
    """The context shared by http_context's sessions: built once per store, never returned to callers."""
    return _build(trust)


def _shared_context() -> ssl.SSLContext:
    """The shared context of :func:`select_trust_store`'s store, for ``http_context`` only.

    Not exported: whoever holds this context can weaken every session's TLS.
    """
    return _session_context(_checked(None))


def create_ssl_context(trust: TrustStore | None = None) -> ssl.SSLContext:
    """Return a new verifying client ``SSLContext`` for ``trust`` (:func:`select_trust_store` by default).

    The context requires a valid chain (``CERT_REQUIRED``) and checks host names. Each
    call builds a new one (parsing the bundle), which is the caller's to change: the
    sessions of ``http_context`` use a shared context of their own, which no call returns.

    Raises:
        TypeError: ``trust`` is not a :class:`TrustStore` or None.
        FileNotFoundError: ``SSL_CERT_FILE`` names something that is not a file.
        NotADirectoryError: ``SSL_CERT_DIR`` names no existing folder.
        ssl.SSLError: ``SSL_CERT_FILE`` holds no certificate (the message names it), or
            one OpenSSL cannot use.

    """
    return _build(_checked(trust))
