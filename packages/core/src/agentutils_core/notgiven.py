"""The ``NOT_GIVEN`` sentinel: tells "argument omitted" apart from ``None``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, TypeAlias, TypeVar

if TYPE_CHECKING:
    import sys

    if sys.version_info >= (3, 13):
        from typing import TypeIs
    else:
        from typing_extensions import TypeIs

__all__ = ["NOT_GIVEN", "NotGiven", "NotGivenOr", "is_given"]

_T = TypeVar("_T")


class NotGiven:
    """Type of :data:`NOT_GIVEN`: falsy, a singleton, and printed as ``NOT_GIVEN``."""

    __slots__ = ()
    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        """Return the one instance."""
        # A singleton, so that ``x is NOT_GIVEN`` holds even for copies made by pickle or copy.
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()
"""Default value for optional arguments where ``None`` is itself a meaningful value."""

NotGivenOr: TypeAlias = _T | NotGiven
"""``NotGivenOr[T]`` is ``T | NotGiven``: an argument that may be omitted."""


def is_given(obj: NotGivenOr[_T]) -> TypeIs[_T]:
    """Return whether ``obj`` is a real value rather than :data:`NOT_GIVEN`.

    Narrows ``NotGivenOr[T]`` to ``T`` for type checkers (``TypeIs``), so
    ``if is_given(x): x + 1`` type-checks when ``x: NotGivenOr[int]``.
    """
    return not isinstance(obj, NotGiven)
