"""Fixtures for the rtc-helpers tests: a room double that counts listeners, and task spawning."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from typing import Any

import pytest

from agentutils_rtc_helpers import ParticipantKind
from agentutils_rtc_helpers.testing import FakeRoom

# The event names livekit.rtc.Room declares (its EventTypes literal, livekit 1.1.x);
# test_conformance.py checks this list against the installed livekit.
ROOM_EVENTS = (
    "participant_connected",
    "participant_disconnected",
    "participant_active",
    "local_track_published",
    "local_track_unpublished",
    "local_track_republished",
    "local_track_subscribed",
    "track_published",
    "track_unpublished",
    "track_subscribed",
    "track_unsubscribed",
    "track_subscription_failed",
    "track_muted",
    "track_unmuted",
    "active_speakers_changed",
    "room_metadata_changed",
    "participant_metadata_changed",
    "participant_name_changed",
    "participant_attributes_changed",
    "connection_quality_changed",
    "participant_encryption_status_changed",
    "participant_permissions_changed",
    "data_received",
    "sip_dtmf_received",
    "transcription_received",
    "e2ee_state_changed",
    "connection_state_changed",
    "connected",
    "disconnected",
    "reconnecting",
    "reconnected",
    "room_updated",
    "moved",
    "token_refreshed",
    "data_track_published",
    "data_track_unpublished",
)


class CheckedRoom(FakeRoom):
    """A FakeRoom that refuses listeners for events livekit's Room never declares."""

    def on(self, event: str, callback: Any = None) -> Any:
        assert event in ROOM_EVENTS, f"listener registered for undeclared room event {event!r}"
        return super().on(event, callback)

    def emit(self, event: str, *args: Any) -> None:
        assert event in ROOM_EVENTS, f"the double emitted undeclared room event {event!r}"
        super().emit(event, *args)


def _user_listener(*args: Any) -> None:
    """Stands for the application's own listeners, which the helpers must leave alone."""


@pytest.fixture
def room_events() -> tuple[str, ...]:
    return ROOM_EVENTS


@pytest.fixture
def make_room() -> Callable[..., FakeRoom]:
    """Build a checked room with one application listener on every event."""

    def make(**kwargs: Any) -> FakeRoom:
        kwargs.setdefault("local_identity", "me")
        kwargs.setdefault("local_kind", ParticipantKind.PARTICIPANT_KIND_AGENT)
        room = CheckedRoom(**kwargs)
        for event in ROOM_EVENTS:
            room.on(event, _user_listener)
        return room

    return make


@pytest.fixture
def room(make_room: Callable[..., FakeRoom]) -> FakeRoom:
    return make_room()


@pytest.fixture
def counts() -> Callable[[FakeRoom], dict[str, int]]:
    """The room's listener count per declared event."""

    def count(room: FakeRoom) -> dict[str, int]:
        return {event: room.listener_count(event) for event in ROOM_EVENTS}

    return count


@pytest.fixture
def baseline() -> dict[str, int]:
    """The counts of a room made by ``make_room`` before any helper ran."""
    return dict.fromkeys(ROOM_EVENTS, 1)


@pytest.fixture
async def spawn() -> AsyncIterator[Callable[[Coroutine[Any, Any, Any]], Awaitable[asyncio.Task[Any]]]]:
    """Start a coroutine as a task and let it run until it blocks; cancel leftovers at the end."""
    tasks: list[asyncio.Task[Any]] = []

    async def start(coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.create_task(coro)
        tasks.append(task)
        for _ in range(3):
            await asyncio.sleep(0)
        return task

    yield start
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


@pytest.fixture
async def deadline() -> AsyncIterator[None]:
    """A safety net, not a timed assertion: a regression that makes a helper wait forever
    cancels the test after 20 s instead of hanging the run."""
    loop = asyncio.get_running_loop()

    def expire() -> None:
        for task in asyncio.all_tasks(loop):
            task.cancel()

    handle = loop.call_later(20, expire)
    yield
    handle.cancel()
