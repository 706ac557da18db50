"""Keep credentials out of logs and error messages.

URLs lose their userinfo, the values of their query parameters and their fragment;
headers lose the values of the ones that carry credentials. :func:`redact_text` applies
both to free text such as the message of an exception raised by a network library.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, cast
from urllib.parse import unquote, urlsplit, urlunsplit

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "REDACTED",
    "header_secrets",
    "is_sensitive_header",
    "redact_headers",
    "redact_text",
    "redact_url",
    "url_secrets",
]

REDACTED = "***"
"""What a redacted value is replaced with."""

_SENSITIVE_HEADER_PARTS = ("auth", "cookie", "key", "password", "secret", "session", "signature", "token")
# A URL embedded in free text: scheme://, then anything up to whitespace or a quote/bracket.
_URL_IN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://[^\s'\"<>()\[\]{}]+")
# "Authorization: Bearer xyz" / "api_key=xyz" fragments outside URLs.
_BEARER = re.compile(r"(?i)\b(bearer|basic|token)\s+[A-Za-z0-9._~+/=\-]+")


def is_sensitive_header(name: str) -> bool:
    """Return whether the header called ``name`` carries credentials (its value is redacted)."""
    lowered = name.lower()
    return any(part in lowered for part in _SENSITIVE_HEADER_PARTS)


def redact_url(url: str) -> str:
    """Return ``url`` with its userinfo, query values and fragment replaced by ``***``.

    Query parameter names are kept (a parameter without ``=`` is replaced whole, as it
    may be a bare key), so the redacted URL still says what was sent::

        >>> redact_url("wss://user:pw@api.example.com/v1/listen?model=nova&token=abc#frag")
        'wss://***@api.example.com/v1/listen?model=***&token=***#***'

    A string that cannot be parsed as a URL is replaced as a whole.
    """
    userinfo, rest = _bare_userinfo(url)
    if userinfo:
        return f"{REDACTED}@{redact_url(rest)}"
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return "<unparseable URL>"
    netloc = parts.netloc
    if "@" in netloc:
        netloc = f"{REDACTED}@{netloc.rpartition('@')[2]}"
    # A parameter without "=" may be a bare key (``?sk-...``): it is hidden whole.
    query = "&".join(
        (f"{pair.partition('=')[0]}={REDACTED}" if "=" in pair else REDACTED) if pair else pair
        for pair in parts.query.split("&")
    )
    fragment = REDACTED if parts.fragment else ""
    return urlunsplit((parts.scheme, netloc, parts.path, query, fragment))


def _bare_userinfo(url: str) -> tuple[str, str]:
    """Split ``"user:pw@host..."`` (no ``//``, so no userinfo for urlsplit) at its last ``@``.

    Returns ``("", url)`` when ``url`` has a ``//`` authority or no ``@`` before its query.
    """
    if "//" in url:
        return "", url
    base = url.split("?", 1)[0].split("#", 1)[0]
    userinfo, at, _ = base.rpartition("@")
    if not at:
        return "", url
    return userinfo, url[len(userinfo) + 1 :]


def url_secrets(url: str) -> list[str]:
    """Return the credential-bearing parts of ``url`` (raw and percent-decoded).

    These are the user, the password, every query value (a parameter without ``=``
    whole) and the fragment: the strings
    :func:`redact_text` must remove from a message that may quote them.
    """
    userinfo, rest = _bare_userinfo(url)
    try:
        parts = urlsplit(rest)
        found = [parts.username or "", parts.password or "", parts.fragment]
    except ValueError:
        return [url]
    if userinfo:
        found += [userinfo, *userinfo.split(":", 1)]
    for pair in parts.query.split("&"):
        found.append(pair.partition("=")[2] if "=" in pair else pair)
    secrets: list[str] = []
    for value in found:
        for form in (value, unquote(value), unquote(value.replace("+", " "))):
            if form and form not in secrets:
                secrets.append(form)
    return secrets


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Return a copy of ``headers`` where credential-bearing values are ``***``.

    A header is credential-bearing when its name contains ``auth``, ``cookie``, ``key``,
    ``password``, ``secret``, ``session``, ``signature`` or ``token`` (any case):
    ``Authorization``, ``X-Api-Key``, ``Cookie``...
    """
    return {name: REDACTED if is_sensitive_header(name) else value for name, value in headers.items()}


def header_secrets(headers: object) -> list[str]:
    """Return the values of the credential-bearing headers in ``headers``.

    ``headers`` may be a mapping (``dict``, ``multidict``) or a sequence of
    ``(name, value)`` pairs; ``None`` gives an empty list.
    """
    if headers is None:
        return []
    items: Iterable[tuple[object, object]] = (
        headers.items() if isinstance(headers, Mapping) else cast("Iterable[tuple[object, object]]", headers)
    )
    found: list[str] = []
    for name, value in items:
        if is_sensitive_header(str(name)):
            found.append(str(value))
            # "Bearer <token>": the token alone may be quoted too.
            found.extend(part for part in str(value).split() if len(part) >= 8)
    return found


def redact_text(text: str, secrets: Iterable[str] = ()) -> str:
    """Remove credentials from free text such as an exception message.

    Every URL found in ``text`` is redacted with :func:`redact_url`, ``Bearer <token>``
    style credentials are replaced, and then every string in ``secrets`` (for example
    from :func:`url_secrets`, or header values) is replaced by ``***``, longest first.
    """
    text = _URL_IN_TEXT.sub(lambda m: redact_url(m.group(0)), text)
    text = _BEARER.sub(lambda m: f"{m.group(1)} {REDACTED}", text)
    # Longest first, so that a secret containing another is removed whole; very short
    # values (a query flag such as "1") would mangle the message without hiding anything.
    for secret in sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text
