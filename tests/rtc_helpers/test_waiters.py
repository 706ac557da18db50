"""The wait_for_* helpers on the room double: every path, with listener counts around each."""

from __future__ import annotations

import asyncio
import math

import pytest

from agentutils_rtc_helpers import (
    ATTRIBUTE_AGENT_NAME,
    ParticipantKind,
    TrackKind,
    wait_for_agent,
    wait_for_participant,
    wait_for_participant_attribute,
    wait_for_track_publication,
)

AGENT = ParticipantKind.PARTICIPANT_KIND_AGENT
STANDARD = ParticipantKind.PARTICIPANT_KIND_STANDARD
SIP = ParticipantKind.PARTICIPANT_KIND_SIP
AUDIO = TrackKind.KIND_AUDIO
VIDEO = TrackKind.KIND_VIDEO

pytestmark = pytest.mark.usefixtures("deadline")


# ---------------------------------------------------------------------- shared paths
# Each entry: a name, a setup driving the room into a state where the helper must wait,
# and the helper call.
def _setup_attribute(room):
    room.add_participant("bob")


HELPERS = {
    "participant": (lambda room: None, lambda room, **kw: wait_for_participant(room, identity="bob", **kw)),
    "track": (lambda room: None, lambda room, **kw: wait_for_track_publication(room, identity="bob", **kw)),
    "subscribed_track": (
        lambda room: None,
        lambda room, **kw: wait_for_track_publication(room, wait_for_subscription=True, **kw),
    ),
    "local_track": (
        lambda room: None,
        lambda room, **kw: wait_for_track_publication(room, include_local=True, **kw),
    ),
    "agent": (lambda room: None, lambda room, **kw: wait_for_agent(room, **kw)),
    "attribute": (
        _setup_attribute,
        lambda room, **kw: wait_for_participant_attribute(
            room, identity="bob", attribute="ready", value="1", **kw
        ),
    ),
}


@pytest.fixture(params=sorted(HELPERS))
def helper(request):
    return HELPERS[request.param]


async def test_not_connected_raises_without_listeners(make_room, counts, baseline, helper):
    _, call = helper
    room = make_room(connected=False)
    with pytest.raises(RuntimeError, match=r"^room is not connected$"):
        await call(room)
    assert counts(room) == baseline


async def test_not_connected_after_disconnect(room, counts, baseline, helper):
    setup, call = helper
    setup(room)
    await room.disconnect()
    with pytest.raises(RuntimeError, match=r"^room is not connected$"):
        await call(room)
    assert counts(room) == baseline


async def test_room_disconnect_while_waiting(room, counts, baseline, spawn, helper):
    setup, call = helper
    setup(room)
    task = await spawn(call(room))
    assert not task.done()
    assert counts(room) != baseline
    room.lose_connection()
    with pytest.raises(RuntimeError, match=r"^room disconnected while waiting for"):
        await task
    assert counts(room) == baseline


async def test_disconnected_event_alone_ends_the_wait(room, counts, baseline, spawn, helper):
    # A room that reports only "disconnected" (no connection_state_changed) still ends it.
    setup, call = helper
    setup(room)
    task = await spawn(call(room))
    room.emit("disconnected", 0)
    with pytest.raises(RuntimeError, match=r"^room disconnected while waiting for"):
        await task
    assert counts(room) == baseline


async def test_reconnecting_keeps_waiting(room, counts, baseline, spawn, helper):
    setup, call = helper
    setup(room)
    task = await spawn(call(room, timeout=60))
    room.start_reconnecting()
    room.finish_reconnecting()
    await asyncio.sleep(0)
    assert not task.done()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert counts(room) == baseline


async def test_timeout(room, counts, baseline, helper):
    setup, call = helper
    setup(room)
    with pytest.raises(TimeoutError, match=r"^timed out after 0\.01 s waiting for "):
        await call(room, timeout=0.01)
    assert counts(room) == baseline


async def test_timeout_zero_still_waits_one_loop_turn(room, counts, baseline, helper):
    setup, call = helper
    setup(room)
    with pytest.raises(TimeoutError):
        await call(room, timeout=0)
    assert counts(room) == baseline


async def test_cancellation(room, counts, baseline, spawn, helper):
    setup, call = helper
    setup(room)
    task = await spawn(call(room))
    assert counts(room) != baseline
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert counts(room) == baseline


async def test_cancellation_through_wait_for(room, counts, baseline, helper):
    setup, call = helper
    setup(room)
    with pytest.raises((asyncio.TimeoutError, TimeoutError)):
        await asyncio.wait_for(call(room), 0.01)
    assert counts(room) == baseline


async def test_infinite_timeout_waits(room, counts, baseline, spawn, helper):
    setup, call = helper
    setup(room)
    task = await spawn(call(room, timeout=math.inf))
    assert not task.done()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert counts(room) == baseline


@pytest.mark.parametrize(
    ("timeout", "exc", "message"),
    [
        (-1, ValueError, r"^timeout must be >= 0 seconds, got -1$"),
        (math.nan, ValueError, r"^timeout must be a number of seconds, got nan$"),
        ("1", TypeError, r"^timeout must be a number of seconds or None, got str: '1'$"),
        (True, TypeError, r"^timeout must be a number of seconds or None, got bool: True$"),
    ],
)
async def test_bad_timeout(room, counts, baseline, helper, timeout, exc, message):
    setup, call = helper
    setup(room)
    with pytest.raises(exc, match=message):
        await call(room, timeout=timeout)
    assert counts(room) == baseline


async def test_not_a_room(helper):
    _, call = helper
    with pytest.raises(
        TypeError, match=r"^room must offer the livekit\.rtc\.Room surface .* got object without "
    ):
        await call(object())


# ---------------------------------------------------------------------- wait_for_participant
async def test_participant_already_present_returns_without_listening(room, counts, baseline, monkeypatch):
    bob = room.add_participant("bob")
    monkeypatch.setattr(room, "on", lambda *a: pytest.fail("a helper listened though the answer was known"))
    assert await wait_for_participant(room, identity="bob") is bob
    assert await wait_for_participant(room) is bob
    assert counts(room) == baseline


async def test_participant_arrives_later(room, counts, baseline, spawn):
    task = await spawn(wait_for_participant(room, identity="bob"))
    assert counts(room)["participant_active"] == 2
    bob = room.add_participant("bob")
    assert await task is bob
    assert counts(room) == baseline


async def test_participant_present_but_not_active_waits_for_active(room, counts, baseline, spawn):
    bob = room.add_participant("bob", active=False)
    task = await spawn(wait_for_participant(room, identity="bob"))
    assert not task.done()
    room.activate_participant("bob")
    assert await task is bob
    assert counts(room) == baseline


async def test_participant_wrong_identity_ignored(room, counts, baseline, spawn):
    task = await spawn(wait_for_participant(room, identity="bob"))
    room.add_participant("alice")
    await asyncio.sleep(0)
    assert not task.done()
    bob = room.add_participant("bob")
    assert await task is bob
    assert counts(room) == baseline


async def test_participant_wrong_kind_ignored(room, counts, baseline, spawn):
    room.add_participant("alice")  # already present, but standard
    task = await spawn(wait_for_participant(room, kind=AGENT))
    room.add_participant("carol", kind=SIP)
    await asyncio.sleep(0)
    assert not task.done()
    agent = room.add_participant("agent", kind=AGENT)
    assert await task is agent
    assert counts(room) == baseline


@pytest.mark.parametrize("kinds", [[SIP, AGENT], (SIP, AGENT), {SIP, AGENT}, [3, 4]])
async def test_participant_list_of_kinds(room, counts, baseline, spawn, kinds):
    room.add_participant("alice")
    task = await spawn(wait_for_participant(room, kind=kinds))
    room.add_participant("egress", kind=ParticipantKind.PARTICIPANT_KIND_EGRESS)
    await asyncio.sleep(0)
    assert not task.done()
    caller = room.add_participant("caller", kind=SIP)
    assert await task is caller
    assert counts(room) == baseline


async def test_participant_identity_and_kind_both_required(room, counts, baseline, spawn):
    task = await spawn(wait_for_participant(room, identity="bob", kind=AGENT))
    room.add_participant("bob")  # right identity, wrong kind
    await asyncio.sleep(0)
    assert not task.done()
    room.remove_participant("bob")
    bob = room.add_participant("bob", kind=AGENT)
    assert await task is bob
    assert counts(room) == baseline


async def test_participant_include_local(room, counts, baseline):
    assert await wait_for_participant(room, include_local=True) is room.local_participant
    assert await wait_for_participant(room, identity="me", include_local=True) is room.local_participant
    assert await wait_for_participant(room, kind=[SIP, AGENT], include_local=True) is room.local_participant
    assert counts(room) == baseline


async def test_participant_local_not_considered_by_default(room, counts, baseline):
    with pytest.raises(TimeoutError):
        await wait_for_participant(room, identity="me", timeout=0.01)
    assert counts(room) == baseline


async def test_participant_include_local_falls_back_to_remote(room, counts, baseline, spawn):
    task = await spawn(wait_for_participant(room, kind=STANDARD, include_local=True))
    bob = room.add_participant("bob")
    assert await task is bob
    assert counts(room) == baseline


async def test_participant_leaving_does_not_end_the_wait(room, counts, baseline, spawn):
    # As in the reference: the wait is for any future match, not for one participant.
    room.add_participant("bob", active=False)
    task = await spawn(wait_for_participant(room, identity="bob"))
    room.remove_participant("bob")
    await asyncio.sleep(0)
    assert not task.done()
    bob = room.add_participant("bob")
    assert await task is bob
    assert counts(room) == baseline


async def test_participant_first_match_wins(room, counts, baseline, spawn):
    task = await spawn(wait_for_participant(room))
    first = room.add_participant("a")
    room.add_participant("b")
    assert await task is first
    assert counts(room) == baseline


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"identity": 1}, r"^identity must be a str or None, got int: 1$"),
        ({"kind": "agent"}, r"^kind must be an int enum value, a list of them or None, got str: 'agent'$"),
        ({"kind": True}, r"^kind must be an int enum value, a list of them or None, got bool: True$"),
        (
            {"kind": [4, "x"]},
            r"^kind must be an int enum value or a list of them, got a list containing str: 'x'$",
        ),
        ({"kind": 4.0}, r"^kind must be an int enum value, a list of them or None, got float: 4\.0$"),
    ],
)
async def test_participant_bad_arguments(room, counts, baseline, kwargs, message):
    with pytest.raises(TypeError, match=message):
        await wait_for_participant(room, **kwargs)
    assert counts(room) == baseline


# ---------------------------------------------------------------------- wait_for_track_publication
async def test_track_already_published(room, counts, baseline, monkeypatch):
    room.add_participant("bob")
    pub = room.publish_remote_track("bob", kind=AUDIO)
    monkeypatch.setattr(room, "on", lambda *a: pytest.fail("a helper listened though the answer was known"))
    assert await wait_for_track_publication(room) is pub
    assert await wait_for_track_publication(room, identity="bob", kind=AUDIO) is pub
    assert counts(room) == baseline


async def test_track_published_later(room, counts, baseline, spawn):
    room.add_participant("bob")
    task = await spawn(wait_for_track_publication(room, identity="bob"))
    pub = room.publish_remote_track("bob")
    assert await task is pub
    assert counts(room) == baseline


async def test_track_wrong_identity_ignored(room, counts, baseline, spawn):
    room.add_participant("alice")
    room.publish_remote_track("alice")
    task = await spawn(wait_for_track_publication(room, identity="bob"))
    room.publish_remote_track("alice")
    await asyncio.sleep(0)
    assert not task.done()
    room.add_participant("bob")
    pub = room.publish_remote_track("bob")
    assert await task is pub
    assert counts(room) == baseline


async def test_track_wrong_kind_ignored(room, counts, baseline, spawn):
    room.add_participant("bob")
    room.publish_remote_track("bob", kind=AUDIO)
    task = await spawn(wait_for_track_publication(room, kind=VIDEO))
    room.publish_remote_track("bob", kind=AUDIO)
    await asyncio.sleep(0)
    assert not task.done()
    video = room.publish_remote_track("bob", kind=VIDEO)
    assert await task is video
    assert counts(room) == baseline


async def test_track_list_of_kinds(room, counts, baseline, spawn):
    room.add_participant("bob")
    room.publish_remote_track("bob", kind=TrackKind.KIND_UNKNOWN)
    task = await spawn(wait_for_track_publication(room, kind=[AUDIO, VIDEO]))
    video = room.publish_remote_track("bob", kind=VIDEO)
    assert await task is video
    assert counts(room) == baseline


async def test_track_subscription_wait(room, counts, baseline, spawn):
    room.add_participant("bob")
    pending = room.publish_remote_track("bob")  # published, not subscribed: does not count
    task = await spawn(wait_for_track_publication(room, wait_for_subscription=True))
    assert counts(room)["track_subscribed"] == 2
    assert counts(room)["track_published"] == 1  # the subscription wait ignores publications
    room.publish_remote_track("bob")
    await asyncio.sleep(0)
    assert not task.done()
    room.subscribe_remote_track("bob", pending.sid)
    assert await task is pending
    assert pending.subscribed
    assert pending.track is not None
    assert counts(room) == baseline


async def test_track_already_subscribed(room, counts, baseline):
    room.add_participant("bob")
    pub = room.publish_remote_track("bob", subscribe=True)
    assert await wait_for_track_publication(room, wait_for_subscription=True) is pub
    assert counts(room) == baseline


async def test_track_subscription_with_identity_and_kind(room, counts, baseline, spawn):
    room.add_participant("alice")
    room.add_participant("bob")
    task = await spawn(
        wait_for_track_publication(room, identity="bob", kind=VIDEO, wait_for_subscription=True)
    )
    room.publish_remote_track("alice", kind=VIDEO, subscribe=True)
    room.publish_remote_track("bob", kind=AUDIO, subscribe=True)
    await asyncio.sleep(0)
    assert not task.done()
    pub = room.publish_remote_track("bob", kind=VIDEO, subscribe=True)
    assert await task is pub
    assert counts(room) == baseline


async def test_track_include_local_already_published(room, counts, baseline):
    local_pub = room.publish_local_track(kind=AUDIO)
    room.add_participant("bob")
    room.publish_remote_track("bob", kind=AUDIO)
    # local publications come first, and ignore wait_for_subscription
    assert await wait_for_track_publication(room, include_local=True) is local_pub
    assert (
        await wait_for_track_publication(room, include_local=True, kind=AUDIO, wait_for_subscription=True)
        is local_pub
    )
    assert counts(room) == baseline


async def test_track_include_local_published_later(room, counts, baseline, spawn):
    task = await spawn(wait_for_track_publication(room, identity="me", kind=VIDEO, include_local=True))
    assert counts(room)["local_track_published"] == 2
    room.publish_local_track(kind=AUDIO)
    await asyncio.sleep(0)
    assert not task.done()
    pub = room.publish_local_track(kind=VIDEO)
    assert await task is pub
    assert counts(room) == baseline


async def test_track_local_ignored_without_include_local(room, counts, baseline):
    room.publish_local_track()
    with pytest.raises(TimeoutError):
        await wait_for_track_publication(room, timeout=0.01)
    assert counts(room) == baseline


async def test_track_include_local_other_identity_ignores_local(room, counts, baseline, spawn):
    room.publish_local_track()
    task = await spawn(wait_for_track_publication(room, identity="bob", include_local=True))
    room.publish_local_track()
    await asyncio.sleep(0)
    assert not task.done()
    room.add_participant("bob")
    pub = room.publish_remote_track("bob")
    assert await task is pub
    assert counts(room) == baseline


async def test_track_participant_leaves(room, counts, baseline, spawn):
    room.add_participant("bob")
    task = await spawn(wait_for_track_publication(room, identity="bob"))
    room.add_participant("alice")
    room.remove_participant("alice")  # someone else leaving is ignored
    await asyncio.sleep(0)
    assert not task.done()
    room.remove_participant("bob")
    with pytest.raises(
        RuntimeError, match=r"^participant 'bob' disconnected while waiting for track publication$"
    ):
        await task
    assert counts(room) == baseline


async def test_track_without_identity_ignores_participants_leaving(room, counts, baseline, spawn):
    room.add_participant("bob")
    task = await spawn(wait_for_track_publication(room))
    assert counts(room)["participant_disconnected"] == 1  # not listened to without identity
    room.remove_participant("bob")
    await asyncio.sleep(0)
    assert not task.done()
    room.add_participant("carol")
    pub = room.publish_remote_track("carol")
    assert await task is pub
    assert counts(room) == baseline


async def test_track_bad_kind(room, counts, baseline):
    with pytest.raises(TypeError, match=r"^kind must be an int enum value, a list of them or None, got str"):
        await wait_for_track_publication(room, kind="audio")
    assert counts(room) == baseline


# ---------------------------------------------------------------------- wait_for_agent
async def test_agent_already_present(room, counts, baseline):
    room.add_participant("bob")
    agent = room.add_participant("agent", kind=AGENT, attributes={ATTRIBUTE_AGENT_NAME: "alpha"})
    assert await wait_for_agent(room) is agent
    assert await wait_for_agent(room, agent_name="alpha") is agent
    assert counts(room) == baseline


async def test_agent_arrives_later_non_agents_ignored(room, counts, baseline, spawn):
    task = await spawn(wait_for_agent(room))
    room.add_participant("bob")
    room.add_participant("caller", kind=SIP)
    await asyncio.sleep(0)
    assert not task.done()
    agent = room.add_participant("agent", kind=AGENT, active=False)  # connected is enough
    assert await task is agent
    assert counts(room) == baseline


async def test_agent_name_mismatch_ignored_then_attribute_change(room, counts, baseline, spawn):
    beta = room.add_participant("beta", kind=AGENT, attributes={ATTRIBUTE_AGENT_NAME: "beta"})
    task = await spawn(wait_for_agent(room, agent_name="alpha"))
    room.add_participant("gamma", kind=AGENT, attributes={ATTRIBUTE_AGENT_NAME: "gamma"})
    room.add_participant("alpha-impostor", attributes={ATTRIBUTE_AGENT_NAME: "alpha"})  # not an agent
    await asyncio.sleep(0)
    assert not task.done()
    room.set_participant_attributes("beta", {ATTRIBUTE_AGENT_NAME: "alpha"})
    assert await task is beta
    assert counts(room) == baseline


async def test_agent_named_on_join(room, counts, baseline, spawn):
    task = await spawn(wait_for_agent(room, agent_name="alpha"))
    agent = room.add_participant("a", kind=AGENT, attributes={ATTRIBUTE_AGENT_NAME: "alpha"})
    assert await task is agent
    assert counts(room) == baseline


async def test_agent_local_participant_ignored(room, counts, baseline, spawn):
    # The local participant is an agent here (see make_room); only remote agents count.
    task = await spawn(wait_for_agent(room, agent_name="alpha"))
    room.set_participant_attributes("me", {ATTRIBUTE_AGENT_NAME: "alpha"})
    await asyncio.sleep(0)
    assert not task.done()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert counts(room) == baseline


async def test_agent_bad_name(room, counts, baseline):
    with pytest.raises(TypeError, match=r"^agent_name must be a str or None, got int: 3$"):
        await wait_for_agent(room, agent_name=3)
    assert counts(room) == baseline


# ---------------------------------------------------------------------- wait_for_participant_attribute
async def test_attribute_already_set(room, counts, baseline):
    room.add_participant("bob", attributes={"ready": "1"})
    assert await wait_for_participant_attribute(room, identity="bob", attribute="ready", value="1") is None
    assert counts(room) == baseline


async def test_attribute_set_later(room, counts, baseline, spawn):
    room.add_participant("bob", attributes={"ready": "0"})
    room.add_participant("alice")
    task = await spawn(wait_for_participant_attribute(room, identity="bob", attribute="ready", value="1"))
    room.set_participant_attributes("alice", {"ready": "1"})  # other participant
    room.set_participant_attributes("bob", {"other": "1"})  # other attribute
    room.set_participant_attributes("bob", {"ready": "2"})  # other value
    room.set_participant_attributes("me", {"ready": "1"})  # the local participant
    await asyncio.sleep(0)
    assert not task.done()
    room.set_participant_attributes("bob", {"ready": "1"})
    assert await task is None
    assert counts(room) == baseline


async def test_attribute_participant_not_in_room(room, counts, baseline):
    with pytest.raises(RuntimeError, match=r"^participant 'bob' is not in the room$"):
        await wait_for_participant_attribute(room, identity="bob", attribute="ready", value="1")
    assert counts(room) == baseline


async def test_attribute_participant_leaves(room, counts, baseline, spawn):
    room.add_participant("bob")
    room.add_participant("alice")
    task = await spawn(wait_for_participant_attribute(room, identity="bob", attribute="ready", value="1"))
    room.remove_participant("alice")
    await asyncio.sleep(0)
    assert not task.done()
    room.remove_participant("bob")
    with pytest.raises(RuntimeError, match=r"^participant 'bob' disconnected while waiting for ready$"):
        await task
    assert counts(room) == baseline


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"identity": None, "attribute": "a", "value": "v"}, r"^identity must be a str, got NoneType: None$"),
        ({"identity": "bob", "attribute": 1, "value": "v"}, r"^attribute must be a str, got int: 1$"),
        ({"identity": "bob", "attribute": "a", "value": 1}, r"^value must be a str, got int: 1$"),
    ],
)
async def test_attribute_bad_arguments(room, counts, baseline, kwargs, message):
    with pytest.raises(TypeError, match=message):
        await wait_for_participant_attribute(room, **kwargs)
    assert counts(room) == baseline


# ---------------------------------------------------------------------- concurrency
async def test_concurrent_waits_are_independent(room, counts, baseline, spawn):
    first = await spawn(wait_for_participant(room, identity="a"))
    second = await spawn(wait_for_participant(room, identity="b"))
    third = await spawn(wait_for_participant(room, identity="c", timeout=60))
    assert counts(room)["participant_active"] == 4
    b = room.add_participant("b")
    assert await second is b
    assert counts(room)["participant_active"] == 3
    third.cancel()
    a = room.add_participant("a")
    assert await first is a
    with pytest.raises(asyncio.CancelledError):
        await third
    assert counts(room) == baseline


async def test_helpers_keep_application_listeners(room, counts, baseline, spawn):
    seen = []
    room.on("participant_active", seen.append)
    task = await spawn(wait_for_participant(room, identity="bob"))
    bob = room.add_participant("bob")
    assert await task is bob
    room.add_participant("carol")
    assert [p.identity for p in seen] == ["bob", "carol"]
    assert counts(room) == {**baseline, "participant_active": 2}
