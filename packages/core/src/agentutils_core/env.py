"""Environment helpers: ``resolve_env_var`` and ``resolve_env_int``.

Both read ``os.environ`` at call time. Neither raises for a bad *environment*: a
configuration flag is often read at import time, where an exception would make a whole
package unimportable, so a value that cannot be used is logged and the default taken.
A bad *argument* (a name that is not a string, say) is a programming error and raises.
"""

from __future__ import annotations

import logging
import os

from .notgiven import NotGiven, NotGivenOr

__all__ = [
    "DEV_MODE_ENV_VAR",
    "HOSTED_ENV_VAR",
    "is_dev_mode",
    "is_hosted",
    "resolve_env_int",
    "resolve_env_var",
]

DEV_MODE_ENV_VAR = "LIVEKIT_DEV_MODE"
"""Set to ``1`` by livekit-agents' ``dev`` and ``console`` commands."""

HOSTED_ENV_VAR = "LIVEKIT_REMOTE_EOT_URL"
"""Set in agents hosted on LiveKit Cloud."""

logger = logging.getLogger("agentutils.core")


def _check_name(name: object, what: str) -> str:
    if not isinstance(name, str):
        raise TypeError(f"{what} must be an environment variable name (str), got {type(name).__name__}")
    if not name or "=" in name or "\0" in name:
        raise ValueError(f"{what} must be a non-empty environment variable name without '=', got {name!r}")
    return name


def resolve_env_var(value: NotGivenOr[str], *env_vars: str, default: str = "") -> str:
    """Return ``value`` if given, else the first of ``env_vars`` that is set, else ``default``.

    An explicit ``value`` wins even when it is empty. An environment variable counts as set
    when it is present and not the empty string; whitespace is a value (``" "`` is returned
    as is). The variables are tried in the order given.

    Args:
        value: the caller's value, or :data:`~agentutils_core.NOT_GIVEN` when it has none.
        *env_vars: names of environment variables to try, in order.
        default: returned when ``value`` is not given and no variable is set.

    Raises:
        TypeError: ``value`` is neither a ``str`` nor ``NOT_GIVEN`` (``None`` included:
            pass ``NOT_GIVEN`` for "no value"), a name is not a ``str``, or ``default``
            is not a ``str``.
        ValueError: a name is empty or contains ``=`` or a NUL character.

    >>> import os
    >>> from agentutils_core import NOT_GIVEN
    >>> os.environ["DOCTEST_URL"] = "wss://example.test"
    >>> resolve_env_var(NOT_GIVEN, "DOCTEST_UNSET", "DOCTEST_URL", default="ws://localhost")
    'wss://example.test'
    >>> resolve_env_var("", "DOCTEST_URL")
    ''

    """
    for name in env_vars:
        _check_name(name, "each of env_vars")
    if not isinstance(default, str):
        raise TypeError(f"default must be a str, got {type(default).__name__}")
    if isinstance(value, NotGiven):
        for name in env_vars:
            current = os.environ.get(name)
            if current:  # set and not empty
                return current
        return default
    checked: object = value  # the annotation is a promise the caller may break
    if not isinstance(checked, str):
        kind = type(checked)
        if kind.__name__ == "NotGiven":  # livekit-agents' (or openai's) sentinel: a different object
            raise TypeError(
                f"value must be a str or agentutils_core.NOT_GIVEN, got {kind.__module__}.NotGiven "
                "(another library's sentinel): pass agentutils_core.NOT_GIVEN"
            )
        raise TypeError(f"value must be a str or NOT_GIVEN, got {kind.__name__}")
    return value


def resolve_env_int(name: str, default: int = 0) -> int:
    """Return the integer value of the environment variable ``name``.

    Unset, empty or blank (only whitespace) means "not configured" and gives ``default``.
    Surrounding whitespace is ignored (``" 2 "`` is 2), as are digit separators that
    ``int()`` accepts (``"1_000"``). A value that is not an integer (``"1.5"``, ``"yes"``)
    is logged as a warning on the ``agentutils.core`` logger and gives ``default``.

    Raises:
        TypeError: ``name`` is not a ``str``, or ``default`` is not an ``int`` (a ``bool``
            is refused too).
        ValueError: ``name`` is empty or contains ``=`` or a NUL character.

    >>> import os
    >>> os.environ["DOCTEST_LEVEL"] = " 2 "
    >>> resolve_env_int("DOCTEST_LEVEL")
    2
    >>> resolve_env_int("DOCTEST_UNSET_LEVEL", default=5)
    5

    """
    _check_name(name, "name")
    checked: object = default  # the annotation is a promise the caller may break
    if isinstance(checked, bool) or not isinstance(checked, int):
        raise TypeError(f"default must be an int, got {type(checked).__name__}")
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        logger.warning("invalid %s=%r: expected an integer; using the default %d", name, raw, default)
        return default


def is_dev_mode() -> bool:
    """Return whether the agent runs in development mode (``LIVEKIT_DEV_MODE`` is ``1``).

    livekit-agents sets the variable when launched with its ``dev`` or ``console``
    command; read at each call, so a change of the environment is seen.
    """
    return os.environ.get(DEV_MODE_ENV_VAR) == "1"


def is_hosted() -> bool:
    """Return whether the agent is hosted on LiveKit Cloud (``LIVEKIT_REMOTE_EOT_URL`` is set)."""
    return os.environ.get(HOSTED_ENV_VAR) is not None
