"""StreamBuffer: a thread-safe byte pipe with bounded memory."""

from __future__ import annotations

import threading

import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from agentutils_codecs import StreamBuffer


def test_read_sizes_and_end():
    buf = StreamBuffer()
    buf.write(b"hello ")
    buf.write(bytearray(b"world"))
    assert buf.read(0) == b""
    assert buf.read(3) == b"hel"
    assert buf.pending == 8
    buf.end_input()
    assert buf.read() == b"lo world"
    assert buf.read() == b""
    assert buf.read(5) == b""
    assert buf.total_read == 11


def test_blocking_read_wakes_on_write_end_and_close():
    buf = StreamBuffer()
    results: list[bytes] = []
    started = threading.Event()

    def reader() -> None:
        started.set()
        while data := buf.read(4):
            results.append(data)

    thread = threading.Thread(target=reader)
    thread.start()
    started.wait()
    buf.write(b"abcdef")
    buf.end_input()
    thread.join()
    assert b"".join(results) == b"abcdef"

    closing = StreamBuffer()
    out: list[bytes] = []
    thread = threading.Thread(target=lambda: out.append(closing.read()))
    thread.start()
    closing.close()  # a reader blocked with no data gets b"" at once
    thread.join()
    assert out == [b""]
    assert closing.closed


def test_close_drops_pending_data_and_ignores_writes():
    buf = StreamBuffer()
    buf.write(b"abc")
    buf.close()
    buf.write(b"more")
    assert buf.read() == b""
    assert buf.pending == 0


def test_memory_is_bounded_by_compaction():
    buf = StreamBuffer()
    block = bytes(range(256)) * 256  # 64 KiB
    for _ in range(64):  # 4 MiB through, always 96 KiB or less unread
        buf.write(block)
        buf.write(block[:32768])
        assert buf.read(len(block)) == block
        buf.read(32768)
        assert len(buf._buf) <= 3 * len(block)
    assert buf.total_read == 64 * (len(block) + 32768)


def test_bad_input():
    buf = StreamBuffer()
    with pytest.raises(TypeError, match=r"data must be bytes, bytearray or memoryview, got str"):
        buf.write("text")  # type: ignore[arg-type]
    buf.end_input()
    with pytest.raises(RuntimeError, match=r"write\(\) after end_input\(\)"):
        buf.write(b"x")


@given(st.lists(st.binary(max_size=100_000), max_size=8), st.integers(min_value=-1, max_value=70_000))
@settings(max_examples=30)
def test_everything_written_is_read_once_in_order(pieces, size):
    buf = StreamBuffer()
    for p in pieces:
        buf.write(p)
    buf.end_input()
    out = []
    while data := buf.read(size if size != 0 else -1):
        out.append(data)
    assert b"".join(out) == b"".join(pieces)


@given(st.lists(st.tuples(st.integers(1, 40_000), st.integers(1, 40_000)), min_size=1, max_size=60))
@settings(max_examples=40)
def test_memory_stays_bounded_while_the_reader_lags(steps):
    """A long stream whose reader never catches up (the buffer never empties): what was read
    is dropped as reading goes, so the storage stays within twice the unread bytes + 64 KiB."""
    buf = StreamBuffer()
    buf.write(b"\1")  # never read: the buffer is never empty
    for written, wanted in steps:
        buf.write(bytes(written))
        buf.read(min(wanted, buf.pending - 1))
        consumed = len(buf._buf) - buf.pending
        assert consumed <= max(buf.pending, StreamBuffer._COMPACT_MIN)


class StreamBufferMachine(RuleBasedStateMachine):
    """Writes, reads, end_input and close in any order keep the byte stream intact."""

    def __init__(self) -> None:
        super().__init__()
        self.buf = StreamBuffer()
        self.model = bytearray()
        self.ended = False
        self.closed = False

    @precondition(lambda self: not self.ended)
    @rule(data=st.binary(max_size=70_000))
    def write(self, data: bytes) -> None:
        self.buf.write(data)
        if not self.closed:
            self.model += data

    @precondition(lambda self: self.ended or self.closed or self.model)
    @rule(size=st.integers(min_value=-1, max_value=100_000))
    def read(self, size: int) -> None:
        got = self.buf.read(size)
        if self.closed or size == 0:
            assert got == b""
            return
        expected = bytes(self.model if size < 0 else self.model[:size])
        assert got == expected
        del self.model[: len(got)]

    @rule()
    def end_input(self) -> None:
        self.buf.end_input()
        self.ended = True

    @rule()
    def close(self) -> None:
        self.buf.close()
        self.closed = True
        self.model.clear()

    @invariant()
    def pending_matches(self) -> None:
        assert self.buf.pending == len(self.model)

    @invariant()
    def memory_is_bounded(self) -> None:
        """Bytes already read that are still held: at most the unread ones, or 64 KiB."""
        consumed = len(self.buf._buf) - self.buf.pending
        assert consumed <= max(self.buf.pending, StreamBuffer._COMPACT_MIN)


TestStreamBufferMachine = StreamBufferMachine.TestCase
TestStreamBufferMachine.settings = settings(max_examples=40, stateful_step_count=30)
