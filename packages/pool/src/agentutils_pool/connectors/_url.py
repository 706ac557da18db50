"""Internal: the URL check the built-in connectors share."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..redaction import redact_url

if TYPE_CHECKING:
    from urllib.parse import SplitResult

__all__: list[str] = []


def split_url(url: str, schemes: tuple[str, ...]) -> tuple[str, str, SplitResult]:
    """Return ``(scheme in lower case, host, parts)`` of a URL with one of ``schemes`` and a host.

    Errors quote the URL redacted, never as given.

    Raises:
        ValueError: the URL (or its port) is malformed, its scheme is not one of
            ``schemes``, or it has no host.

    """
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError as exc:
        raise ValueError(f"invalid URL {redact_url(url)!r}: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in schemes:
        expected = " or ".join(f"{s}://" for s in schemes)
        raise ValueError(f"expected a {expected} URL, got {redact_url(url)!r}")
    host = parts.hostname
    if not host:
        raise ValueError(f"expected a host in the {scheme}:// URL, got {redact_url(url)!r}")
    return scheme, host, parts
