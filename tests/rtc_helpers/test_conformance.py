"""Conformance against the installed livekit: the double, the kinds and the helpers' surface.

Checks that everything the helpers use exists on the real ``livekit.rtc`` classes (with
the same property/method nature), that they listen only to events the real Room declares,
that the double emits those events with the arguments livekit documents, that the kind
values are livekit's, and finally runs the helpers on real ``livekit.rtc`` objects.
"""

from __future__ import annotations

import asyncio
import inspect
import re
import sys
import typing

import pytest

rtc = pytest.importorskip("livekit.rtc")

from livekit.rtc import room as rtc_room  # noqa: E402
from livekit.rtc._ffi_client import FfiHandle  # noqa: E402
from livekit.rtc._proto import handle_pb2, participant_pb2, track_pb2  # noqa: E402

from agentutils_events import EventEmitter  # noqa: E402
from agentutils_rtc_helpers import (  # noqa: E402
    ATTRIBUTE_AGENT_NAME,
    ConnectionState,
    DisconnectReason,
    ParticipantKind,
    ParticipantState,
    TrackKind,
    TrackSource,
    wait_for_agent,
    wait_for_participant,
    wait_for_participant_attribute,
    wait_for_track_publication,
    waiters,
)
from agentutils_rtc_helpers.testing import (  # noqa: E402
    FakeLocalParticipant,
    FakeLocalTrackPublication,
    FakeParticipant,
    FakeRemoteParticipant,
    FakeRemoteTrackPublication,
    FakeRoom,
    FakeTrack,
    FakeTrackPublication,
)

pytestmark = [pytest.mark.needs_livekit, pytest.mark.usefixtures("deadline")]

DECLARED_EVENTS = frozenset(typing.get_args(rtc_room.EventTypes))

# Which real class each class of the double stands for.
COUNTERPARTS = {
    FakeRoom: rtc.Room,
    FakeRemoteParticipant: rtc.RemoteParticipant,
    FakeLocalParticipant: rtc.LocalParticipant,
    FakeRemoteTrackPublication: rtc.RemoteTrackPublication,
    FakeLocalTrackPublication: rtc.LocalTrackPublication,
    FakeTrack: rtc.Track,
}
# The double's methods that play the server's part: they have no livekit counterpart.
DRIVERS = frozenset(
    {
        "add_participant",
        "activate_participant",
        "remove_participant",
        "set_participant_attributes",
        "publish_remote_track",
        "subscribe_remote_track",
        "unpublish_remote_track",
        "publish_local_track",
        "start_reconnecting",
        "finish_reconnecting",
        "lose_connection",
    }
)
# agentutils_events.EventEmitter's additions to livekit's emitter API.
EMITTER_EXTRAS = frozenset(n for n in dir(EventEmitter) if not n.startswith("_")) - set(dir(rtc.EventEmitter))


def _is_property(cls: type, name: str) -> bool:
    return isinstance(inspect.getattr_static(cls, name), property)


def _public(cls: type) -> set[str]:
    return {n for n in dir(cls) if not n.startswith("_")}


# ---------------------------------------------------------------------- declarations
def test_room_event_list_of_the_tests_is_livekits(room_events):
    assert set(room_events) == DECLARED_EVENTS


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (ParticipantKind, rtc.ParticipantKind),
        (ParticipantState, rtc.ParticipantState),
        (TrackKind, rtc.TrackKind),
        (TrackSource, rtc.TrackSource),
        (ConnectionState, rtc.ConnectionState),
        (DisconnectReason, rtc.DisconnectReason),
    ],
)
def test_kind_values_are_livekits(ours, theirs):
    assert {m.name: m.value for m in ours} == dict(theirs.items())
    for member in ours:
        assert getattr(theirs, member.name) == member
        assert isinstance(getattr(theirs, member.name), int)


def test_agent_name_attribute_is_livekit_agents():
    types = pytest.importorskip("livekit.agents.types")
    assert types.ATTRIBUTE_AGENT_NAME == ATTRIBUTE_AGENT_NAME


def test_double_surface_exists_on_the_real_classes():
    for fake, real in COUNTERPARTS.items():
        mimic = _public(fake) - DRIVERS - EMITTER_EXTRAS
        assert mimic, fake
        missing = mimic - _public(real)
        assert not missing, f"{fake.__name__} has {sorted(missing)}, which {real.__name__} lacks"
        for name in mimic:
            assert _is_property(fake, name) == _is_property(real, name), f"{fake.__name__}.{name}"
    # The drivers really are extra: none shadows a real Room attribute.
    assert not (DRIVERS & _public(rtc.Room))


# ---------------------------------------------------------------------- the double's events
def _livekit_event_signatures() -> dict[str, list[str]]:
    """Event name -> argument type names, from the documentation of ``Room.on``."""
    doc = rtc.Room.on.__doc__ or ""
    found = re.findall(r'\*\*"(\w+)"\*\*:[^\n]*\n\s*- Arguments:?\s*([^\n]*)', doc)
    return {event: re.findall(r"`\w+` \(([\w\[\]]+)\)", args) for event, args in found}


ARG_TYPES: dict[str, type | tuple[type, ...]] = {
    "RemoteParticipant": FakeRemoteParticipant,
    "Participant": FakeParticipant,
    "RemoteTrackPublication": FakeRemoteTrackPublication,
    "LocalTrackPublication": FakeLocalTrackPublication,
    "TrackPublication": FakeTrackPublication,
    "Track": FakeTrack,
    "dict": dict,
    "str": str,
}
ENUM_ARGS = {"ConnectionState": rtc.ConnectionState, "DisconnectReason": rtc.DisconnectReason}


def _drive_everything(room: FakeRoom) -> None:
    room.add_participant("bob", attributes={"a": "1"})
    room.add_participant("carol", active=False)
    room.activate_participant("carol")
    room.set_participant_attributes("bob", {"a": "2"})
    room.set_participant_attributes(room.local_participant.identity, {"x": "1"})
    pub = room.publish_remote_track("bob", kind=TrackKind.KIND_VIDEO)
    room.subscribe_remote_track("bob", pub.sid)
    room.publish_remote_track("bob", subscribe=True)
    room.unpublish_remote_track("bob", pub.sid)
    room.publish_local_track()
    room.remove_participant("carol")
    room.start_reconnecting()
    room.finish_reconnecting()
    room.lose_connection(DisconnectReason.SERVER_SHUTDOWN)


def test_double_emits_declared_events_with_livekits_arguments(monkeypatch):
    signatures = _livekit_event_signatures()
    assert len(signatures) >= 30, "could not read the event documentation of livekit.rtc.Room.on"
    emitted: list[tuple[str, tuple[object, ...]]] = []
    original = FakeRoom.emit

    def recording_emit(self, event, *args):
        emitted.append((event, args))
        original(self, event, *args)

    monkeypatch.setattr(FakeRoom, "emit", recording_emit)
    _drive_everything(FakeRoom())
    assert {e for e, _ in emitted} >= {
        "participant_connected",
        "participant_active",
        "participant_disconnected",
        "participant_attributes_changed",
        "track_published",
        "track_subscribed",
        "track_unsubscribed",
        "track_unpublished",
        "local_track_published",
        "connection_state_changed",
        "disconnected",
        "reconnecting",
        "reconnected",
    }
    for event, args in emitted:
        assert event in DECLARED_EVENTS, event
        expected = signatures[event]
        assert len(args) == len(expected), f"{event}: emitted {args}, livekit documents {expected}"
        for arg, type_name in zip(args, expected, strict=True):
            if type_name in ENUM_ARGS:
                assert arg in ENUM_ARGS[type_name].values(), f"{event}: {arg!r} is no {type_name}"
            else:
                assert isinstance(arg, ARG_TYPES[type_name]), f"{event}: {arg!r} is no {type_name}"


# ---------------------------------------------------------------------- what the helpers use
@pytest.fixture
def helper_accesses(monkeypatch):
    """Record every public attribute the helpers' code reads on the double's objects, and
    every event they listen to."""
    accessed: dict[type, set[str]] = {cls: set() for cls in COUNTERPARTS}
    listened: set[str] = set()
    helper_module = waiters.__name__

    for base in (FakeRoom, FakeParticipant, FakeTrackPublication, FakeTrack):

        def getattribute(self, name, _base=base):
            if not name.startswith("_") and sys._getframe(1).f_globals.get("__name__") == helper_module:
                accessed[type(self)].add(name)
            return object.__getattribute__(self, name)

        monkeypatch.setattr(base, "__getattribute__", getattribute)

    original_on = FakeRoom.on

    def recording_on(self, event, callback=None):
        listened.add(event)
        return original_on(self, event, callback)

    monkeypatch.setattr(FakeRoom, "on", recording_on)
    return accessed, listened


async def _exercise_helpers(spawn) -> None:
    """Run every helper through its immediate and its event-driven paths."""
    room = FakeRoom(local_identity="me")
    bob = room.add_participant("bob", attributes={"ready": "1"})
    room.publish_remote_track("bob", subscribe=True)
    room.publish_local_track()
    assert await wait_for_participant(room, include_local=True) is room.local_participant
    assert await wait_for_participant(room, identity="bob") is bob
    await wait_for_track_publication(room, include_local=True)
    await wait_for_track_publication(room, identity="bob", wait_for_subscription=True)
    await wait_for_participant_attribute(room, identity="bob", attribute="ready", value="1")

    tasks = [
        await spawn(wait_for_participant(room, identity="agent")),
        await spawn(wait_for_track_publication(room, identity="agent", kind=TrackKind.KIND_VIDEO)),
        await spawn(wait_for_track_publication(room, identity="agent", wait_for_subscription=True)),
        await spawn(
            wait_for_track_publication(room, identity="me", kind=TrackKind.KIND_VIDEO, include_local=True)
        ),
        await spawn(wait_for_agent(room, agent_name="alpha")),
        await spawn(wait_for_participant_attribute(room, identity="bob", attribute="ready", value="2")),
    ]
    agent = room.add_participant("agent", kind=ParticipantKind.PARTICIPANT_KIND_AGENT)
    room.set_participant_attributes("agent", {ATTRIBUTE_AGENT_NAME: "alpha"})
    room.publish_remote_track("agent", kind=TrackKind.KIND_VIDEO, subscribe=True)
    room.publish_local_track(kind=TrackKind.KIND_VIDEO)
    room.set_participant_attributes("bob", {"ready": "2"})
    results = await asyncio.gather(*tasks)
    assert results[0] is agent
    assert results[4] is agent

    failing = [
        await spawn(wait_for_participant_attribute(room, identity="bob", attribute="ready", value="3")),
        await spawn(wait_for_track_publication(room, identity="bob", kind=TrackKind.KIND_UNKNOWN)),
        await spawn(wait_for_agent(room, agent_name="omega")),
    ]
    room.remove_participant("bob")
    room.lose_connection()
    for outcome in await asyncio.gather(*failing, return_exceptions=True):
        assert isinstance(outcome, RuntimeError)


async def test_helpers_use_only_the_real_surface(helper_accesses, spawn):
    accessed, listened = helper_accesses
    await _exercise_helpers(spawn)
    for fake, names in accessed.items():
        real = COUNTERPARTS[fake]
        missing = names - _public(real)
        assert not missing, (
            f"the helpers use {sorted(missing)} of {fake.__name__}, which {real.__name__} lacks"
        )
        for name in names:
            assert _is_property(fake, name) == _is_property(real, name), f"{fake.__name__}.{name}"
    # The recording saw what the helpers are known to read (so the check above is not vacuous).
    assert accessed[FakeRoom] >= {"isconnected", "on", "off", "remote_participants", "local_participant"}
    assert accessed[FakeRemoteParticipant] >= {
        "identity",
        "kind",
        "state",
        "attributes",
        "track_publications",
    }
    assert accessed[FakeLocalParticipant] >= {"identity", "track_publications"}
    assert accessed[FakeRemoteTrackPublication] >= {"kind", "subscribed", "track"}
    assert accessed[FakeLocalTrackPublication] >= {"kind"}
    assert listened <= DECLARED_EVENTS
    assert listened >= {
        "participant_active",
        "participant_connected",
        "participant_disconnected",
        "participant_attributes_changed",
        "track_published",
        "track_subscribed",
        "local_track_published",
        "connection_state_changed",
        "disconnected",
    }


# ---------------------------------------------------------------------- on real livekit.rtc objects
def _handle() -> handle_pb2.FfiOwnedHandle:
    return handle_pb2.FfiOwnedHandle(id=0)  # the invalid handle: never sent to the native side


def _participant(identity, *, kind=0, state=ParticipantState.PARTICIPANT_STATE_ACTIVE, attributes=None):
    info = participant_pb2.ParticipantInfo(identity=identity, kind=kind, state=state)
    info.attributes.update(attributes or {})
    return rtc.RemoteParticipant(participant_pb2.OwnedParticipant(handle=_handle(), info=info))


def _publication(participant, sid, kind=TrackKind.KIND_AUDIO):
    info = track_pb2.TrackPublicationInfo(sid=sid, kind=kind)
    publication = rtc.RemoteTrackPublication(track_pb2.OwnedTrackPublication(handle=_handle(), info=info))
    participant._track_publications[sid] = publication
    return publication


def _subscribe(publication):
    info = track_pb2.TrackInfo(sid=publication.sid, kind=publication.kind)
    track = rtc.RemoteAudioTrack(track_pb2.OwnedTrack(handle=_handle(), info=info))
    publication._subscribed = True
    publication._track = track
    return track


@pytest.fixture
async def real_room():
    """A real ``livekit.rtc.Room`` put in the connected state by hand (no server, no FFI)."""
    room = rtc.Room()
    room._ffi_handle = FfiHandle(0)
    room._connection_state = rtc.ConnectionState.CONN_CONNECTED
    local_info = participant_pb2.ParticipantInfo(identity="me")
    room._local_participant = rtc.LocalParticipant(
        room._room_queue, participant_pb2.OwnedParticipant(handle=_handle(), info=local_info)
    )
    yield room
    room._ffi_handle = None  # Room.__del__ would otherwise talk to the native library


def _real_counts(room) -> dict[str, int]:
    return {event: len(callbacks) for event, callbacks in room._events.items() if callbacks}


async def test_real_room_not_connected():
    room = rtc.Room()
    assert not room.isconnected()
    with pytest.raises(RuntimeError, match=r"^room is not connected$"):
        await wait_for_participant(room)
    assert _real_counts(room) == {}


async def test_real_room_participant_paths(real_room, spawn):
    room = real_room
    present = _participant("present", state=ParticipantState.PARTICIPANT_STATE_JOINED)
    room._remote_participants["present"] = present
    assert await wait_for_participant(room, include_local=True) is room.local_participant

    task = await spawn(wait_for_participant(room, kind=[rtc.ParticipantKind.PARTICIPANT_KIND_SIP]))
    assert _real_counts(room)
    room.emit("participant_active", present)  # a standard participant: ignored
    caller = _participant("caller", kind=rtc.ParticipantKind.PARTICIPANT_KIND_SIP)
    room._remote_participants["caller"] = caller
    room.emit("participant_active", caller)
    assert await task is caller
    assert await wait_for_participant(room, identity="caller") is caller
    assert _real_counts(room) == {}


async def test_real_room_tracks(real_room, spawn):
    room = real_room
    bob = _participant("bob")
    room._remote_participants["bob"] = bob
    task = await spawn(wait_for_track_publication(room, identity="bob", wait_for_subscription=True))
    publication = _publication(bob, "TR_1")
    room.emit("track_published", publication, bob)
    await asyncio.sleep(0)
    assert not task.done()
    track = _subscribe(publication)
    room.emit("track_subscribed", track, publication, bob)
    assert await task is publication
    assert await wait_for_track_publication(room, kind=rtc.TrackKind.KIND_AUDIO) is publication
    assert _real_counts(room) == {}

    task = await spawn(wait_for_track_publication(room, identity="bob", kind=rtc.TrackKind.KIND_VIDEO))
    del room._remote_participants["bob"]
    room.emit("participant_disconnected", bob)
    with pytest.raises(
        RuntimeError, match=r"^participant 'bob' disconnected while waiting for track publication$"
    ):
        await task
    assert _real_counts(room) == {}


async def test_real_room_agent_and_attribute(real_room, spawn):
    room = real_room
    agent = _participant("agent", kind=rtc.ParticipantKind.PARTICIPANT_KIND_AGENT)
    room._remote_participants["agent"] = agent
    agent_task = await spawn(wait_for_agent(room, agent_name="alpha"))
    attribute_task = await spawn(
        wait_for_participant_attribute(room, identity="agent", attribute="ready", value="1")
    )
    agent._info.attributes[ATTRIBUTE_AGENT_NAME] = "alpha"
    room.emit("participant_attributes_changed", {ATTRIBUTE_AGENT_NAME: "alpha"}, agent)
    assert await agent_task is agent
    await asyncio.sleep(0)
    assert not attribute_task.done()
    agent._info.attributes["ready"] = "1"
    room.emit("participant_attributes_changed", {"ready": "1"}, agent)
    assert await attribute_task is None
    assert _real_counts(room) == {}


async def test_real_room_disconnect_and_timeout(real_room, spawn):
    room = real_room
    with pytest.raises(TimeoutError):
        await wait_for_agent(room, timeout=0.01)
    assert _real_counts(room) == {}
    task = await spawn(wait_for_participant(room, identity="nobody"))
    room._connection_state = rtc.ConnectionState.CONN_DISCONNECTED
    room.emit("connection_state_changed", rtc.ConnectionState.CONN_DISCONNECTED)
    room.emit("disconnected", rtc.DisconnectReason.CLIENT_INITIATED)
    with pytest.raises(RuntimeError, match=r"^room disconnected while waiting for participant$"):
        await task
    assert _real_counts(room) == {}
