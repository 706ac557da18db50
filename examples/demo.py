"""The agentutils demo: an event emitter at work, and the plugins agentutils discovered.

Run it with ``scripts/demo.sh`` (sets everything up) or ``hatch run demo``.
"""

from __future__ import annotations

import asyncio

from agentutils.cli import collect_plugins, print_plugins
from agentutils_events import AsyncEventEmitter, EventEmitter


def emitter_demo() -> None:
    print("== EventEmitter")
    room = EventEmitter[str]()
    joined: list[str] = []

    @room.on("participant_connected")
    def greet(identity: str) -> None:  # takes one argument: extra ones are trimmed
        joined.append(identity)
        print(f"  hello, {identity}")

    room.once("participant_connected", lambda identity, kind: print(f"  first arrival: {identity} ({kind})"))
    room.emit("participant_connected", "alice", "standard")
    room.emit("participant_connected", "agent-1", "agent")
    print(f"  joined: {joined}; listeners left: {room.listener_count('participant_connected')}")


async def async_emitter_demo() -> None:
    print("== AsyncEventEmitter")
    events = AsyncEventEmitter[str]()

    @events.on("transcript")
    async def store(text: str) -> None:
        await asyncio.sleep(0.01)
        print(f"  stored {text!r}")

    async def emit_later() -> None:
        await asyncio.sleep(0.01)
        events.emit("transcript", "hello world")

    waiter = asyncio.ensure_future(events.wait_for("transcript", timeout=5))
    await emit_later()
    print(f"  wait_for got {await waiter}")
    await events.aclose()


def main() -> None:
    """Run the demo."""
    emitter_demo()
    asyncio.run(async_emitter_demo())
    print("== plugins")
    print_plugins(collect_plugins())


if __name__ == "__main__":
    main()
