"""The aio package: exports, laziness, docstrings and doctests, reference as an oracle."""

from __future__ import annotations

import asyncio
import doctest
import importlib
import subprocess
import sys

import pytest
from hypothesis import given, strategies as st

import agentutils_core
from agentutils_core import aio

MODULES = [
    "channel",
    "counter",
    "debounce",
    "interval",
    "itertools",
    "sleep",
    "task_set",
    "utils",
    "wait_group",
]


def test_every_public_name_is_exported_and_documented() -> None:
    for name in aio.__all__:
        obj = getattr(aio, name)
        assert obj.__doc__, f"agentutils_core.aio.{name} has no docstring"
    for module_name in MODULES:
        module = importlib.import_module(f"agentutils_core.aio.{module_name}")
        for name in module.__all__:
            assert getattr(aio, name) is getattr(module, name), name


def test_reference_names_are_all_present() -> None:
    # the public names of livekit.agents.utils.aio that this package covers
    expected = {
        "AsyncAtomicCounter",
        "Chan",
        "ChanClosed",
        "ChanReceiver",
        "ChanSender",
        "Interval",
        "interval",
        "Sleep",
        "SleepFinished",
        "sleep",
        "TaskSet",
        "WaitGroup",
        "cancel_and_wait",
        "gracefully_cancel",
        "itertools",
    }
    assert expected <= set(aio.__all__)


def test_import_core_does_not_import_aio() -> None:
    code = (
        "import sys, agentutils_core\n"
        "assert 'agentutils_core.aio' not in sys.modules\n"
        "assert agentutils_core.aio.Chan is not None\n"
        "assert 'agentutils_core.aio' in sys.modules\n"
        "assert 'aio' in dir(agentutils_core)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_aio_attribute_on_core() -> None:
    assert agentutils_core.aio is aio


@pytest.mark.parametrize("module_name", MODULES)
def test_doctests(module_name: str) -> None:
    module = importlib.import_module(f"agentutils_core.aio.{module_name}")
    failures, _ = doctest.testmod(module, verbose=False)
    assert failures == 0


OPS = st.lists(
    st.one_of(
        st.tuples(st.just("send"), st.integers(0, 99)),
        st.tuples(st.just("recv"), st.none()),
        st.tuples(st.just("close"), st.none()),
    ),
    max_size=40,
)


def _apply(ch: object, ops: list[tuple[str, int | None]]) -> list[object]:
    out: list[object] = []
    for op, arg in ops:
        try:
            if op == "send":
                ch.send_nowait(arg)  # type: ignore[attr-defined]
                out.append("sent")
            elif op == "recv":
                out.append(ch.recv_nowait())  # type: ignore[attr-defined]
            else:
                ch.close()  # type: ignore[attr-defined]
                out.append("closed")
        except Exception as e:
            out.append(type(e).__name__)
        out.append((ch.qsize(), ch.full(), ch.empty(), ch.closed))  # type: ignore[attr-defined]
    return out


def _model(maxsize: int, ops: list[tuple[str, int | None]]) -> list[object]:
    buf: list[int] = []
    closed = False
    out: list[object] = []
    for op, arg in ops:
        if op == "send":
            if closed:
                out.append("ChanClosed")
            elif 0 < maxsize <= len(buf):
                out.append("ChanFull")
            else:
                assert arg is not None
                buf.append(arg)
                out.append("sent")
        elif op == "recv":
            if buf:
                out.append(buf.pop(0))
            else:
                out.append("ChanClosed" if closed else "ChanEmpty")
        else:
            closed = True
            out.append("closed")
        out.append((len(buf), 0 < maxsize <= len(buf), not buf, closed))
    return out


@given(maxsize=st.integers(0, 4), ops=OPS)
def test_chan_nowait_matches_a_model(maxsize: int, ops: list[tuple[str, int | None]]) -> None:
    assert _apply(aio.Chan(maxsize), ops) == _model(maxsize, ops)


def test_chan_nowait_matches_the_reference() -> None:
    reference = pytest.importorskip("livekit.agents.utils.aio")
    loop = asyncio.new_event_loop()  # the reference binds a loop at construction
    try:

        @given(maxsize=st.integers(0, 4), ops=OPS)
        def check(maxsize: int, ops: list[tuple[str, int | None]]) -> None:
            ours = _apply(aio.Chan(maxsize), ops)
            theirs = _apply(reference.Chan(maxsize, loop=loop), ops)
            assert ours == theirs

        check()
    finally:
        loop.close()
