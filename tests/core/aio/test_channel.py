"""Chan: buffering, closing, cancellation safety, iteration, protocols."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest

from agentutils_core.aio import Chan, ChanClosed, ChanEmpty, ChanFull, ChanReceiver, ChanSender


async def settle(rounds: int = 5) -> None:
    """Let the other tasks run until they block."""
    for _ in range(rounds):
        await asyncio.sleep(0)


async def test_fifo_unbounded() -> None:
    ch: Chan[int] = Chan()
    for i in range(100):
        ch.send_nowait(i)
    assert ch.qsize() == 100
    assert not ch.full()
    assert [ch.recv_nowait() for _ in range(100)] == list(range(100))
    assert ch.empty()


async def test_negative_maxsize_is_unbounded() -> None:
    ch: Chan[int] = Chan(-5)
    assert ch.maxsize == 0
    for i in range(10):
        ch.send_nowait(i)
    assert not ch.full()


async def test_send_nowait_full() -> None:
    ch: Chan[str] = Chan(maxsize=2)
    ch.send_nowait("a")
    ch.send_nowait("b")
    assert ch.full()
    with pytest.raises(ChanFull, match=r"channel is full \(2 values buffered\)"):
        ch.send_nowait("c")
    assert ch.qsize() == 2


async def test_recv_nowait_empty_then_closed() -> None:
    ch: Chan[int] = Chan()
    with pytest.raises(ChanEmpty, match="channel is empty"):
        ch.recv_nowait()
    ch.close()
    with pytest.raises(ChanClosed, match="closed and drained"):
        ch.recv_nowait()


async def test_send_after_close() -> None:
    ch: Chan[int] = Chan()
    ch.close()
    assert ch.closed
    with pytest.raises(ChanClosed, match="cannot send: the channel is closed"):
        ch.send_nowait(1)
    with pytest.raises(ChanClosed, match="cannot send: the channel is closed"):
        await ch.send(1)


async def test_close_is_idempotent() -> None:
    ch: Chan[int] = Chan()
    ch.send_nowait(1)
    ch.close()
    ch.close()
    assert ch.recv_nowait() == 1


async def test_buffered_values_delivered_after_close() -> None:
    ch: Chan[int] = Chan()
    for i in range(3):
        await ch.send(i)
    ch.close()
    assert ch.closed
    assert await ch.recv() == 0
    assert ch.recv_nowait() == 1
    assert [v async for v in ch] == [2]
    with pytest.raises(ChanClosed):
        await ch.recv()


async def test_recv_waits_for_send() -> None:
    ch: Chan[str] = Chan()
    receiver = asyncio.create_task(ch.recv())
    await settle()
    assert not receiver.done()
    await ch.send("hello")
    assert await receiver == "hello"


async def test_send_waits_while_full() -> None:
    ch: Chan[int] = Chan(maxsize=1)
    await ch.send(1)
    sender = asyncio.create_task(ch.send(2))
    await settle()
    assert not sender.done()
    assert ch.recv_nowait() == 1
    await sender
    assert ch.recv_nowait() == 2


async def test_close_fails_pending_senders() -> None:
    ch: Chan[int] = Chan(maxsize=1)
    ch.send_nowait(1)
    senders = [asyncio.create_task(ch.send(i)) for i in range(3)]
    await settle()
    ch.close()
    results = await asyncio.gather(*senders, return_exceptions=True)
    assert all(isinstance(r, ChanClosed) for r in results)
    # what was buffered before the close is still there
    assert ch.recv_nowait() == 1


async def test_close_wakes_pending_receivers() -> None:
    ch: Chan[int] = Chan()
    receivers = [asyncio.create_task(ch.recv()) for _ in range(3)]
    await settle()
    ch.close()
    results = await asyncio.gather(*receivers, return_exceptions=True)
    assert all(isinstance(r, ChanClosed) for r in results)


async def test_close_with_waiting_receivers_and_late_value() -> None:
    ch: Chan[int] = Chan()
    receivers = [asyncio.create_task(ch.recv()) for _ in range(3)]
    await settle()
    ch.send_nowait(42)
    ch.close()
    results = await asyncio.gather(*receivers, return_exceptions=True)
    assert sorted(results, key=repr).count(42) == 1
    assert sum(isinstance(r, ChanClosed) for r in results) == 2


async def test_async_for_ends_on_close() -> None:
    ch: Chan[int] = Chan()

    async def produce() -> None:
        for i in range(5):
            await ch.send(i)
            await asyncio.sleep(0)
        ch.close()

    producer = asyncio.create_task(produce())
    got = [v async for v in ch]
    await producer
    assert got == [0, 1, 2, 3, 4]


async def test_cancelled_recv_leaves_no_waiter() -> None:
    ch: Chan[int] = Chan()
    receiver = asyncio.create_task(ch.recv())
    await settle()
    assert "receivers_waiting=1" in repr(ch)
    receiver.cancel()
    with pytest.raises(asyncio.CancelledError):
        await receiver
    assert "receivers_waiting=0" in repr(ch)
    ch.send_nowait(1)
    assert ch.recv_nowait() == 1


async def test_cancelled_send_leaves_no_waiter_and_no_value() -> None:
    ch: Chan[int] = Chan(maxsize=1)
    ch.send_nowait(0)
    sender = asyncio.create_task(ch.send(1))
    await settle()
    assert "senders_waiting=1" in repr(ch)
    sender.cancel()
    with pytest.raises(asyncio.CancelledError):
        await sender
    assert "senders_waiting=0" in repr(ch)
    assert ch.recv_nowait() == 0
    assert ch.empty()


async def test_woken_then_cancelled_receiver_passes_the_value_on() -> None:
    ch: Chan[int] = Chan()
    first = asyncio.create_task(ch.recv())
    second = asyncio.create_task(ch.recv())
    await settle()
    ch.send_nowait(7)  # wakes `first` ...
    first.cancel()  # ... which is cancelled before it runs
    with pytest.raises(asyncio.CancelledError):
        await first
    assert await asyncio.wait_for(second, timeout=60) == 7


async def test_woken_then_cancelled_sender_passes_the_slot_on() -> None:
    ch: Chan[int] = Chan(maxsize=1)
    ch.send_nowait(0)
    first = asyncio.create_task(ch.send(1))
    second = asyncio.create_task(ch.send(2))
    await settle()
    assert ch.recv_nowait() == 0  # wakes `first` ...
    first.cancel()  # ... which is cancelled before it runs
    with pytest.raises(asyncio.CancelledError):
        await first
    await asyncio.wait_for(second, timeout=60)
    assert ch.recv_nowait() == 2


async def test_many_producers_and_consumers_lose_nothing() -> None:
    ch: Chan[int] = Chan(maxsize=3)
    received: list[int] = []

    async def produce(base: int) -> None:
        for i in range(50):
            await ch.send(base + i)

    async def consume() -> None:
        async for v in ch:
            received.append(v)

    consumers = [asyncio.create_task(consume()) for _ in range(4)]
    await asyncio.gather(*(produce(k * 1000) for k in range(5)))
    ch.close()
    await asyncio.gather(*consumers)
    assert sorted(received) == sorted(k * 1000 + i for k in range(5) for i in range(50))


async def test_random_cancellations_keep_every_value_once() -> None:
    # Receivers are cancelled at arbitrary points; every value sent is received exactly once.
    ch: Chan[int] = Chan(maxsize=2)
    received: list[int] = []

    async def consume() -> None:
        while True:
            try:
                received.append(await ch.recv())
            except ChanClosed:
                return

    async def produce() -> None:
        for i in range(200):
            await ch.send(i)
        ch.close()

    producer = asyncio.create_task(produce())
    for round_ in range(40):
        victim = asyncio.create_task(consume())
        await asyncio.sleep(0)
        for _ in range(round_ % 3):
            await asyncio.sleep(0)
        victim.cancel()
        await asyncio.wait({victim})
    await asyncio.gather(consume(), producer)
    assert sorted(received) == list(range(200))


async def test_repr() -> None:
    ch: Chan[int] = Chan(4)
    ch.send_nowait(1)
    assert repr(ch) == "<Chan maxsize=4 qsize=1 closed=False receivers_waiting=0 senders_waiting=0>"


def test_maxsize_type_error() -> None:
    with pytest.raises(TypeError, match=r"maxsize must be an int, got float: 1\.5"):
        Chan(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="maxsize must be an int, got str"):
        Chan("3")  # type: ignore[arg-type]


def test_constructible_outside_a_running_loop() -> None:
    # No event loop is running here: construction must neither fail nor warn (warnings are
    # errors in this suite), and the channel must then work in whatever loop runs it.
    ch: Chan[int] = Chan(maxsize=1)

    async def use() -> list[int]:
        await ch.send(1)
        receiver = asyncio.create_task(ch.recv())
        value = await receiver
        sender = asyncio.create_task(ch.send(2))
        await asyncio.sleep(0)
        ch.close()
        await sender
        return [value, *[v async for v in ch]]

    assert asyncio.run(use()) == [1, 2]


def test_constructible_at_import_time_in_a_fresh_interpreter() -> None:
    code = (
        "import asyncio, warnings\n"
        "warnings.simplefilter('error')\n"
        "from agentutils_core.aio import Chan, TaskSet, WaitGroup, Sleep, Interval, AsyncAtomicCounter\n"
        "ch = Chan(); ts = TaskSet(); wg = WaitGroup()\n"
        "s = Sleep(0); i = Interval(1); c = AsyncAtomicCounter()\n"
        "async def main():\n"
        "    ch.send_nowait(1); ch.close()\n"
        "    wg.add(); wg.done(); await wg.wait(); await s; await i.tick()\n"
        "    return [v async for v in ch]\n"
        "assert asyncio.run(main()) == [1]\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


async def test_explicit_loop_argument_is_used() -> None:
    ch: Chan[int] = Chan(loop=asyncio.get_running_loop())
    receiver = asyncio.create_task(ch.recv())
    await settle()
    ch.send_nowait(5)
    assert await receiver == 5


async def test_protocols() -> None:
    ch: Chan[int] = Chan()
    assert isinstance(ch, ChanSender)
    assert isinstance(ch, ChanReceiver)
    sender: ChanSender[int] = ch
    receiver: ChanReceiver[int] = ch
    sender.send_nowait(3)
    assert receiver.recv_nowait() == 3
    assert not isinstance(object(), ChanSender)
