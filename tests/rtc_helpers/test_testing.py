"""The room double: the events it emits, their arguments, its state and its input checks."""

from __future__ import annotations

import subprocess
import sys

import pytest

from agentutils_rtc_helpers import (
    ConnectionState,
    DisconnectReason,
    ParticipantKind,
    ParticipantState,
    TrackKind,
    TrackSource,
)
from agentutils_rtc_helpers.testing import (
    FakeLocalParticipant,
    FakeLocalTrackPublication,
    FakeRemoteParticipant,
    FakeRemoteTrackPublication,
    FakeRoom,
    FakeTrack,
)


@pytest.fixture
def log(room, room_events):
    """Every event the room emits, with its arguments, in order."""
    events = []
    for event in room_events:
        room.on(event, lambda *args, _event=event: events.append((_event, args)))
    return events


def test_starts_connected_with_a_local_participant():
    room = FakeRoom(local_identity="agent", local_kind=ParticipantKind.PARTICIPANT_KIND_AGENT)
    assert room.isconnected()
    assert room.connection_state == ConnectionState.CONN_CONNECTED
    assert room.name == "fake-room"
    local = room.local_participant
    assert isinstance(local, FakeLocalParticipant)
    assert (local.identity, local.kind, local.state) == (
        "agent",
        ParticipantKind.PARTICIPANT_KIND_AGENT,
        ParticipantState.PARTICIPANT_STATE_ACTIVE,
    )
    assert dict(room.remote_participants) == {}


async def test_connect_and_disconnect():
    room = FakeRoom(connected=False)
    assert not room.isconnected()
    with pytest.raises(RuntimeError, match=r"^cannot access local participant before connecting$"):
        _ = room.local_participant
    events = []
    room.on("connection_state_changed", lambda s: events.append(("state", s)))
    room.on("disconnected", lambda r: events.append(("disconnected", r)))
    await room.connect("ws://unused", "token")
    assert room.isconnected()
    assert room.local_participant.identity == "local"
    assert events == []  # livekit's connect() emits nothing itself
    await room.disconnect()
    assert events == [
        ("state", ConnectionState.CONN_DISCONNECTED),
        ("disconnected", DisconnectReason.CLIENT_INITIATED),
    ]
    await room.disconnect()  # a second disconnect does nothing
    assert len(events) == 2
    assert room.local_participant.identity == "local"  # still readable after disconnecting


def test_participant_lifecycle_events(room, log):
    bob = room.add_participant("bob", name="Bob", metadata="m", attributes={"a": "1"})
    assert isinstance(bob, FakeRemoteParticipant)
    assert log == [("participant_connected", (bob,)), ("participant_active", (bob,))]
    assert room.remote_participants["bob"] is bob
    assert (bob.identity, bob.name, bob.metadata, bob.attributes) == ("bob", "Bob", "m", {"a": "1"})
    assert bob.sid.startswith("PA_")
    assert bob.state == ParticipantState.PARTICIPANT_STATE_ACTIVE
    assert bob.disconnect_reason is None
    log.clear()
    assert room.remove_participant("bob", reason=DisconnectReason.PARTICIPANT_REMOVED) is bob
    assert log == [("participant_disconnected", (bob,))]
    assert "bob" not in room.remote_participants
    assert bob.disconnect_reason == DisconnectReason.PARTICIPANT_REMOVED


def test_participant_is_removed_before_participant_disconnected(room):
    # As in livekit, listeners see the room without the participant.
    room.add_participant("bob")
    seen = []
    room.on("participant_disconnected", lambda p: seen.append(p.identity in room.remote_participants))
    room.remove_participant("bob")
    assert seen == [False]


def test_inactive_participant_then_activated(room, log):
    bob = room.add_participant("bob", active=False)
    assert bob.state == ParticipantState.PARTICIPANT_STATE_JOINED
    assert log == [("participant_connected", (bob,))]
    room.activate_participant("bob")
    assert bob.state == ParticipantState.PARTICIPANT_STATE_ACTIVE
    assert log[-1] == ("participant_active", (bob,))


def test_attributes_merge_delete_and_emit_only_changes(room, log):
    bob = room.add_participant("bob", attributes={"a": "1", "b": "2"})
    log.clear()
    changed = room.set_participant_attributes("bob", {"a": "1", "b": "", "c": "3"})
    assert changed == {"b": "", "c": "3"}
    assert bob.attributes == {"a": "1", "c": "3"}
    assert log == [("participant_attributes_changed", ({"b": "", "c": "3"}, bob))]
    log.clear()
    assert room.set_participant_attributes("bob", {"a": "1"}) == {}
    assert log == []


def test_attributes_returned_are_a_copy(room):
    bob = room.add_participant("bob", attributes={"a": "1"})
    bob.attributes["a"] = "changed"
    assert bob.attributes == {"a": "1"}


def test_local_attributes(room, log):
    changed = room.set_participant_attributes("me", {"lk.agent.state": "listening"})
    assert changed == {"lk.agent.state": "listening"}
    assert log == [("participant_attributes_changed", (changed, room.local_participant))]


def test_remote_track_publish_subscribe_unpublish(room, log):
    bob = room.add_participant("bob")
    log.clear()
    pub = room.publish_remote_track(
        "bob", kind=TrackKind.KIND_VIDEO, name="cam", source=TrackSource.SOURCE_CAMERA
    )
    assert isinstance(pub, FakeRemoteTrackPublication)
    assert (pub.kind, pub.name, pub.source, pub.subscribed, pub.track, pub.muted) == (
        TrackKind.KIND_VIDEO,
        "cam",
        TrackSource.SOURCE_CAMERA,
        False,
        None,
        False,
    )
    assert bob.track_publications == {pub.sid: pub}
    assert log == [("track_published", (pub, bob))]
    log.clear()
    track = room.subscribe_remote_track("bob", pub.sid)
    assert isinstance(track, FakeTrack)
    assert (track.sid, track.kind, track.name) == (pub.sid, TrackKind.KIND_VIDEO, "cam")
    assert pub.subscribed
    assert pub.track is track
    assert log == [("track_subscribed", (track, pub, bob))]
    log.clear()
    assert room.unpublish_remote_track("bob", pub.sid) is pub
    assert log == [("track_unsubscribed", (track, pub, bob)), ("track_unpublished", (pub, bob))]
    assert not pub.subscribed
    assert pub.track is None
    assert dict(bob.track_publications) == {}


def test_publish_with_subscribe(room, log):
    bob = room.add_participant("bob")
    log.clear()
    pub = room.publish_remote_track("bob", subscribe=True)
    assert [name for name, _ in log] == ["track_published", "track_subscribed"]
    assert log[1][1] == (pub.track, pub, bob)


def test_unpublish_unsubscribed_track(room, log):
    bob = room.add_participant("bob")
    pub = room.publish_remote_track("bob")
    log.clear()
    room.unpublish_remote_track("bob", pub.sid)
    assert log == [("track_unpublished", (pub, bob))]


def test_local_track(room, log):
    pub = room.publish_local_track(
        kind=TrackKind.KIND_AUDIO, name="mic", source=TrackSource.SOURCE_MICROPHONE
    )
    assert isinstance(pub, FakeLocalTrackPublication)
    assert pub.track is not None
    assert pub.track.kind == TrackKind.KIND_AUDIO
    assert room.local_participant.track_publications == {pub.sid: pub}
    assert log == [("local_track_published", (pub, pub.track))]


def test_reconnecting(room, log):
    room.start_reconnecting()
    assert room.isconnected()
    assert room.connection_state == ConnectionState.CONN_RECONNECTING
    room.finish_reconnecting()
    assert room.connection_state == ConnectionState.CONN_CONNECTED
    assert log == [
        ("connection_state_changed", (ConnectionState.CONN_RECONNECTING,)),
        ("reconnecting", ()),
        ("connection_state_changed", (ConnectionState.CONN_CONNECTED,)),
        ("reconnected", ()),
    ]


def test_lose_connection_keeps_participants(room, log):
    bob = room.add_participant("bob")
    log.clear()
    room.lose_connection(DisconnectReason.SERVER_SHUTDOWN)
    assert not room.isconnected()
    assert log == [
        ("connection_state_changed", (ConnectionState.CONN_DISCONNECTED,)),
        ("disconnected", (DisconnectReason.SERVER_SHUTDOWN,)),
    ]
    assert room.remote_participants["bob"] is bob


def test_views_are_read_only(room):
    room.add_participant("bob")
    with pytest.raises(TypeError):
        room.remote_participants["x"] = None
    with pytest.raises(TypeError):
        room.local_participant.track_publications["x"] = None


def test_sids_are_unique(room):
    room.add_participant("a")
    room.add_participant("b")
    pubs = [room.publish_remote_track("a") for _ in range(3)] + [room.publish_local_track()]
    sids = (
        [p.sid for p in pubs] + [room.remote_participants[i].sid for i in "ab"] + [room.local_participant.sid]
    )
    assert len(set(sids)) == len(sids)


def test_repr(room):
    bob = room.add_participant("bob", name="Bob")
    assert repr(bob) == f"FakeRemoteParticipant(sid={bob.sid}, identity=bob, name=Bob)"
    pub = room.publish_remote_track("bob", name="mic")
    assert repr(pub) == f"FakeRemoteTrackPublication(sid={pub.sid}, name=mic, kind=1)"


# ---------------------------------------------------------------------- bad input
def test_drivers_need_a_connected_room():
    room = FakeRoom(connected=False)
    with pytest.raises(
        RuntimeError, match=r"^room 'fake-room' is not connected: connect\(\) it before driving it$"
    ):
        room.add_participant("bob")
    with pytest.raises(RuntimeError, match=r"is not connected"):
        room.publish_local_track()
    with pytest.raises(RuntimeError, match=r"is not connected"):
        room.lose_connection()


def test_unknown_participant(room):
    room.add_participant("alice")
    with pytest.raises(
        LookupError, match=r"^no remote participant 'bob' in room 'fake-room'; present: \['alice'\]$"
    ):
        room.publish_remote_track("bob")
    with pytest.raises(LookupError, match=r"^no remote participant 'bob'"):
        room.remove_participant("bob")


def test_unknown_publication(room):
    room.add_participant("bob")
    pub = room.publish_remote_track("bob")
    with pytest.raises(
        LookupError, match=rf"^participant 'bob' has no publication 'TR_x'; published: \['{pub.sid}'\]$"
    ):
        room.subscribe_remote_track("bob", "TR_x")


@pytest.mark.parametrize("identity", ["bob", "me"])
def test_duplicate_identity(room, identity):
    room.add_participant("bob")
    with pytest.raises(ValueError, match=rf"^participant '{identity}' is already in room 'fake-room'$"):
        room.add_participant(identity)


@pytest.mark.parametrize(
    ("call", "exc", "message"),
    [
        (lambda r: r.add_participant(1), TypeError, r"^identity must be a str, got int: 1$"),
        (lambda r: r.add_participant(""), ValueError, r"^identity must be a non-empty str, got ''$"),
        (
            lambda r: r.add_participant("x", kind="agent"),
            TypeError,
            r"^kind must be an int enum value, got str: 'agent'$",
        ),
        (
            lambda r: r.add_participant("x", attributes=["a"]),
            TypeError,
            r"^attributes must be a mapping of str to str, got list$",
        ),
        (
            lambda r: r.add_participant("x", attributes={"a": 1}),
            TypeError,
            r"^attributes must map str to str, got str 'a' -> int 1$",
        ),
        (
            lambda r: r.publish_local_track(kind=None),
            TypeError,
            r"^kind must be an int enum value, got NoneType: None$",
        ),
        (
            lambda r: r.publish_local_track(source=1.0),
            TypeError,
            r"^source must be an int enum value, got float: 1\.0$",
        ),
        (
            lambda r: r.lose_connection("server"),
            TypeError,
            r"^reason must be an int enum value, got str: 'server'$",
        ),
    ],
)
def test_bad_input(room, call, exc, message):
    with pytest.raises(exc, match=message):
        call(room)


def test_bad_input_leaves_no_partial_participant(room):
    with pytest.raises(TypeError):
        room.add_participant("x", kind="agent")
    assert "x" not in room.remote_participants


# ---------------------------------------------------------------------- import hygiene
def test_importing_never_imports_livekit():
    code = (
        "import sys, agentutils_rtc_helpers as m\n"
        "assert 'asyncio' not in sys.modules, 'asyncio imported by the top level'\n"
        "import agentutils_rtc_helpers.waiters, agentutils_rtc_helpers.testing\n"
        "for name in m.__all__: getattr(m, name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('livekit', 'numpy', 'aiohttp'))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_every_public_name_is_exported():
    import agentutils_rtc_helpers as top
    from agentutils_rtc_helpers import kinds, protocols, testing, waiters

    for module in (kinds, protocols, testing, waiters):
        for name in module.__all__:
            assert getattr(top, name) is getattr(module, name), name
            assert name in top.__all__, name
    with pytest.raises(AttributeError, match=r"has no attribute 'nope'"):
        _ = top.nope


def test_module_example_runs():
    import doctest

    from agentutils_rtc_helpers import testing

    result = doctest.testmod(testing)
    assert result.attempted >= 5
    assert result.failed == 0
