from __future__ import annotations

import asyncio
import copy
import logging
import pickle
import re
import time

import pytest
from hypothesis import given, strategies as st

from agentutils_core import (
    NOT_GIVEN,
    BoundedDict,
    NotGiven,
    is_given,
    log_exceptions,
    nodename,
    shortuuid,
    time_ms,
)


class TestNotGiven:
    def test_sentinel_is_falsy_singleton_with_readable_repr(self):
        assert not NOT_GIVEN
        assert repr(NOT_GIVEN) == "NOT_GIVEN"
        assert NotGiven() is NOT_GIVEN
        assert copy.deepcopy(NOT_GIVEN) is NOT_GIVEN
        assert pickle.loads(pickle.dumps(NOT_GIVEN)) is NOT_GIVEN

    @pytest.mark.parametrize("value", [None, 0, "", False, [], -1.0])
    def test_falsy_values_are_given(self, value):
        assert is_given(value)

    def test_not_given(self):
        assert not is_given(NOT_GIVEN)


class TestBoundedDict:
    @pytest.mark.parametrize("maxsize", [0, -1])
    def test_non_positive_maxsize_is_rejected(self, maxsize):
        with pytest.raises(ValueError, match=f"maxsize must be greater than 0, got {maxsize}"):
            BoundedDict(maxsize)

    @pytest.mark.parametrize("maxsize", ["3", 2.5, True])
    def test_non_int_maxsize_is_rejected(self, maxsize):
        with pytest.raises(TypeError, match="maxsize must be an int or None, got"):
            BoundedDict(maxsize)

    @given(st.integers(1, 8), st.lists(st.integers(0, 12), max_size=60))
    def test_fifo_eviction_matches_model(self, maxsize, keys):
        d: BoundedDict[int, int] = BoundedDict(maxsize)
        model: dict[int, int] = {}
        for i, k in enumerate(keys):
            d[k] = i
            model[k] = i
            while len(model) > maxsize:
                del model[next(iter(model))]
            assert list(d.items()) == list(model.items())

    def test_copy_keeps_the_bound(self):
        d: BoundedDict[int, int] = BoundedDict(2)
        d[1], d[2] = 1, 2
        for clone in (d.copy(), copy.copy(d), copy.deepcopy(d), pickle.loads(pickle.dumps(d))):
            assert type(clone) is BoundedDict
            assert clone.maxsize == 2
            assert list(clone.items()) == [(1, 1), (2, 2)]
            clone[3] = 3
            assert list(clone) == [2, 3]
        assert list(d) == [1, 2]

    def test_unbounded(self):
        d: BoundedDict[int, int] = BoundedDict()
        for i in range(1000):
            d[i] = i
        assert len(d) == 1000

    def test_update_value_and_pop_if(self, caplog):
        class Item:
            def __init__(self, v):
                self.v = v

        d: BoundedDict[str, Item] = BoundedDict(3)
        d["a"], d["b"], d["c"] = Item(1), Item(2), Item(3)
        with caplog.at_level(logging.WARNING):
            assert d.update_value("a", v=10, missing=1, skipped=None).v == 10
        assert "field missing is not set on value of type Item" in caplog.text
        assert d.update_value("zzz", v=1) is None
        key, item = d.pop_if(lambda it: it.v < 3)
        assert key == "b"  # the newest match
        assert item is not None
        assert d.pop_if()[0] == "a"  # oldest without predicate
        assert d.pop_if(lambda it: False) == (None, None)
        d.clear()
        assert d.pop_if() == (None, None)


class TestLogExceptions:
    def test_sync_logs_and_reraises(self, caplog):
        logger = logging.getLogger("test.logexc")

        @log_exceptions(msg="while greeting", logger=logger)
        def greet():
            raise ValueError("bad")

        with caplog.at_level(logging.ERROR, logger="test.logexc"), pytest.raises(ValueError, match="bad"):
            greet()
        assert caplog.records[0].getMessage() == "Error in greet – while greeting"
        assert caplog.records[0].exc_info is not None
        assert greet.__name__ == "greet"

    async def test_async_logs_and_reraises_without_msg(self, caplog):
        @log_exceptions()
        async def work():
            raise KeyError("k")

        with caplog.at_level(logging.ERROR), pytest.raises(KeyError):
            await work()
        assert caplog.records[0].getMessage() == "Error in work"

    async def test_cancellation_passes_untouched(self, caplog):
        started = asyncio.Event()

        @log_exceptions(msg="x")
        async def forever():
            started.set()
            await asyncio.sleep(3600)

        task = asyncio.ensure_future(forever())
        await started.wait()
        task.cancel()
        with caplog.at_level(logging.DEBUG), pytest.raises(asyncio.CancelledError):
            await task
        assert caplog.records == []

    def test_return_value_passes_through(self):
        @log_exceptions()
        def ok(a, b=2):
            return a + b

        assert ok(1, b=3) == 4


def test_shortuuid():
    value = shortuuid("req_")
    assert re.fullmatch(r"req_[0-9a-f]{12}", value)
    assert re.fullmatch(r"[0-9a-f]{12}", shortuuid())
    assert len({shortuuid() for _ in range(1000)}) == 1000


def test_time_ms_and_nodename():
    before = time.time() * 1000
    now = time_ms()
    assert isinstance(now, int)
    assert before - 1 <= now <= time.time() * 1000 + 1
    assert isinstance(nodename(), str)
