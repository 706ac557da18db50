"""Which certificates verify HTTPS servers: the environment, the system store, or certifi.

The rule, in order:

1. ``SSL_CERT_FILE`` and/or ``SSL_CERT_DIR``, when set (and not empty): exactly those.
2. The system trust store (OpenSSL's default CA file and folder), when it holds at least
   one certificate. A slim container image often has the folder but no certificate in
   it: that counts as absent.
3. certifi's bundle.

Verification is never turned off: every context requires a valid certificate chain and
checks the host name. Building a context parses the whole bundle, so one context is made
per trust store and shared (an ``SSLContext`` is safe to share across threads and event
loops); like aiohttp's default context it is not reloaded when a bundle changes on disk.
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


@dataclass(frozen=True)
class TrustStore:
    """The CA certificates a context trusts: their source and the file and/or folder read.

    ``TrustStore("system")`` with neither path means the platform's own store (Windows).
    """

    source: TrustSource
    cafile: str | None = None
    capath: str | None = None


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
            return any(_HASHED_NAME.fullmatch(entry.name) for entry in entries)
    except OSError:
        return False


def has_certificates(cafile: str | None, capath: str | None) -> bool:
    """Return whether a CA file holds a PEM certificate or a CA folder a hashed certificate entry.

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
    if trust.capath is not None and not any(os.path.isdir(p) for p in trust.capath.split(os.pathsep)):
        raise NotADirectoryError(
            f"{SSL_CERT_DIR} must name a folder of hashed CA certificates, got {trust.capath!r}, "
            "which is not a folder"
        )


@functools.lru_cache(maxsize=16)
def _context_for(trust: TrustStore) -> ssl.SSLContext:
    if trust.cafile is None and trust.capath is None:
        return ssl.create_default_context()  # the platform's own store
    return ssl.create_default_context(cafile=trust.cafile, capath=trust.capath)


def create_ssl_context(trust: TrustStore | None = None) -> ssl.SSLContext:
    """Return the verifying client ``SSLContext`` for ``trust`` (:func:`select_trust_store` by default).

    The context requires a valid chain (``CERT_REQUIRED``) and checks host names. One
    context is made per trust store and shared by later calls.

    Raises:
        TypeError: ``trust`` is not a :class:`TrustStore` or None.
        FileNotFoundError: ``SSL_CERT_FILE`` names something that is not a file.
        NotADirectoryError: ``SSL_CERT_DIR`` names no existing folder.
        ssl.SSLError: the file holds no usable certificate.

    """
    if trust is None:
        trust = select_trust_store()
    elif not isinstance(trust, TrustStore):
        raise TypeError(f"trust must be a TrustStore or None, got {type(trust).__name__}")
    if trust.source == "environment":
        _check_environment(trust)
    return _context_for(trust)
