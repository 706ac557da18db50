"""The code-object reading of plain functions and bound methods agrees with ``inspect``."""

from __future__ import annotations

import inspect

from hypothesis import given, strategies as st

from agentutils_events._listener import Listener, code_shape, is_async_callable


@st.composite
def signatures(draw: st.DrawFn) -> tuple[str, bool, bool]:
    """Source of a function with any mix of parameter kinds, async or not, and whether to bind it."""
    posonly = draw(st.integers(0, 2))
    normal = draw(st.integers(0, 3))
    names = [f"p{i}" for i in range(posonly + normal)]
    defaults = draw(st.integers(0, len(names)))
    params = [f"{n}=0" if i >= len(names) - defaults else n for i, n in enumerate(names)]
    if posonly:
        params.insert(posonly, "/")
    if draw(st.booleans()):
        params.append("*args")
    kwonly = draw(st.lists(st.booleans(), max_size=2))  # True: has a default
    if kwonly:
        if "*args" not in params:
            params.append("*")
        params += [f"k{i}=1" if has_default else f"k{i}" for i, has_default in enumerate(kwonly)]
    if draw(st.booleans()):
        params.append("**kwargs")
    is_async = draw(st.booleans())
    source = f"{'async ' if is_async else ''}def f({', '.join(params)}):\n    pass\n"
    return source, is_async, draw(st.booleans())


def _by_inspect(callback: object) -> tuple[int | None, int, bool] | str:
    probe = Listener.__new__(Listener)
    probe.nargs, probe.required = None, 0
    try:
        probe._inspect(callback)  # type: ignore[arg-type]
    except TypeError as exc:
        return str(exc)
    return probe.nargs, probe.required, inspect.iscoroutinefunction(callback)


@given(signatures())
def test_code_shape_matches_inspect(case: tuple[str, bool, bool]) -> None:
    source, is_async, bind = case
    namespace: dict[str, object] = {}
    exec(source, namespace)
    func = namespace["f"]
    callback = func.__get__(object()) if bind else func  # type: ignore[attr-defined]
    expected = _by_inspect(callback)
    shape = code_shape(callback)
    if shape is None:
        # Left to inspect: a required keyword-only parameter, or a method whose first
        # parameter is *args; either way Listener still works it out.
        assert isinstance(expected, str) or (bind and "p0" not in source)
    else:
        assert shape == expected
    assert is_async_callable(callback) is is_async


def test_functions_with_attributes_are_left_to_inspect() -> None:
    import functools

    def inner(a: int) -> None:
        pass

    @functools.wraps(inner)
    def wrapper(*args: object) -> None:
        pass

    assert code_shape(wrapper) is None
    assert Listener(wrapper, once=False, is_async=False).nargs == 1  # inspect follows __wrapped__

    async def marked() -> None:
        pass

    def plain() -> None:
        pass

    plain._is_coroutine_marker = True  # type: ignore[attr-defined]  # what markcoroutinefunction sets
    assert code_shape(plain) is None
    assert code_shape(marked) == (0, 0, True)
