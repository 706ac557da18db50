"""Wait for a participant, a track publication, an agent or an attribute in a room.

The helpers accept any object with the ``livekit.rtc.Room`` surface described by
:class:`~agentutils_rtc_helpers.protocols.RoomLike`: a real ``livekit.rtc.Room`` or the
:class:`~agentutils_rtc_helpers.testing.FakeRoom` double. They compare kinds and states
by their ``int`` values, so livekit's protobuf enums and this package's ``IntEnum`` classes are
interchangeable.

Every helper removes every listener it registered, whichever way it ends: result, error,
timeout or cancellation.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, overload

from agentutils_core.checks import check_timeout

from .kinds import ATTRIBUTE_AGENT_NAME, ConnectionState, ParticipantKind, ParticipantState

if TYPE_CHECKING:
    from .protocols import ParticipantLike, RemoteTrackPublicationLike, RoomLike, TrackPublicationLike

__all__ = [
    "wait_for_agent",
    "wait_for_participant",
    "wait_for_participant_attribute",
    "wait_for_track_publication",
]

_T = TypeVar("_T")
RP = TypeVar("RP", bound="ParticipantLike[Any]")
LP = TypeVar("LP", bound="ParticipantLike[Any]")
RPub = TypeVar("RPub", bound="RemoteTrackPublicationLike")
LPub = TypeVar("LPub", bound="TrackPublicationLike")

KindArg = int | Iterable[int] | None
"""One kind value, several (any iterable of them), or ``None`` for any kind."""

_ROOM_METHODS = ("isconnected", "on", "off")
_DISCONNECTED = int(ConnectionState.CONN_DISCONNECTED)
_ACTIVE = int(ParticipantState.PARTICIPANT_STATE_ACTIVE)
_AGENT = int(ParticipantKind.PARTICIPANT_KIND_AGENT)


# ---------------------------------------------------------------------- argument checks
def _check_room(room: object) -> None:
    for name in _ROOM_METHODS:
        if not callable(getattr(room, name, None)):
            raise TypeError(
                "room must offer the livekit.rtc.Room surface (isconnected(), on(), off(), "
                f"remote_participants, local_participant); got {type(room).__name__} without {name}()"
            )
    if not room.isconnected():  # type: ignore[attr-defined]
        raise RuntimeError("room is not connected")


def _check_str(name: str, value: object, *, optional: bool) -> None:
    if isinstance(value, str) or (optional and value is None):
        return
    expected = "a str or None" if optional else "a str"
    raise TypeError(f"{name} must be {expected}, got {type(value).__name__}: {value!r}")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _kind_set(kind: object) -> frozenset[int] | None:
    """Normalise ``kind`` (one value, an iterable of values, or None) to a set of ints."""
    if kind is None:
        return None
    if _is_int(kind):
        return frozenset((int(kind),))  # type: ignore[call-overload]
    if isinstance(kind, Iterable) and not isinstance(kind, (str, bytes, bytearray)):
        values = list(kind)
        bad = [v for v in values if not _is_int(v)]
        if not bad:
            return frozenset(int(v) for v in values)
        raise TypeError(
            f"kind must be an int enum value or a list of them, got a {type(kind).__name__} "
            f"containing {type(bad[0]).__name__}: {bad[0]!r}"
        )
    raise TypeError(
        f"kind must be an int enum value, a list of them or None, got {type(kind).__name__}: {kind!r}"
    )


def _describe(**criteria: object) -> str:
    given = ", ".join(f"{k}={sorted(v) if isinstance(v, frozenset) else v!r}" for k, v in criteria.items())
    return f" ({given})" if given else ""


# ---------------------------------------------------------------------- the wait itself
class _Wait(Generic[_T]):
    """One wait on a room: its future, its listeners and its timeout, cleaned up together."""

    def __init__(self, room: RoomLike[Any, Any], what: str, timeout: float | None) -> None:
        self._room = room
        self._what = what
        self._timeout = timeout
        self._loop = asyncio.get_running_loop()
        self._future: asyncio.Future[_T] = self._loop.create_future()
        self._listeners: list[tuple[str, Callable[..., None]]] = []

    def listen(self, event: str, callback: Callable[..., None]) -> None:
        self._room.on(event, callback)
        self._listeners.append((event, callback))

    def listen_room_disconnect(self, message: str) -> None:
        """Fail with ``RuntimeError(message)`` when the room disconnects."""

        def on_state(state: int) -> None:
            if state == _DISCONNECTED:
                self.fail(RuntimeError(message))

        def on_disconnected(*_reason: object) -> None:
            self.fail(RuntimeError(message))

        # The real room emits connection_state_changed(CONN_DISCONNECTED) then disconnected;
        # either one ends the wait.
        self.listen("connection_state_changed", on_state)
        self.listen("disconnected", on_disconnected)

    @property
    def done(self) -> bool:
        return self._future.done()

    def resolve(self, value: _T) -> None:
        if not self._future.done():
            self._future.set_result(value)

    def fail(self, exc: BaseException) -> None:
        if not self._future.done():
            self._future.set_exception(exc)

    def _expire(self) -> None:
        self.fail(TimeoutError(f"timed out after {self._timeout} s waiting for {self._what}"))

    async def result(self) -> _T:
        handle = self._loop.call_later(self._timeout, self._expire) if self._timeout is not None else None
        try:
            return await self._future
        finally:
            if handle is not None:
                handle.cancel()

    async def run(self, listeners: Iterable[tuple[str, Callable[..., None]]], disconnect_message: str) -> _T:
        """Listen to ``listeners`` and to the room's disconnection, then return the result.

        Every listener is removed however the wait ends (:meth:`close`).
        """
        try:
            for event, callback in listeners:
                self.listen(event, callback)
            self.listen_room_disconnect(disconnect_message)
            return await self.result()
        finally:
            self.close()

    def close(self) -> None:
        """Unregister every listener; safe to call more than once."""
        listeners, self._listeners = self._listeners, []
        for event, callback in reversed(listeners):
            self._room.off(event, callback)
        if not self._future.done():
            self._future.cancel()
        elif not self._future.cancelled():
            # Retrieve an exception nobody awaited, so asyncio does not log it.
            self._future.exception()


def _is_remote(room: RoomLike[Any, Any], participant: ParticipantLike[Any]) -> bool:
    # Duck-typed stand-in for isinstance(p, rtc.RemoteParticipant): the room maps a remote
    # participant's identity to that very object.
    return room.remote_participants.get(participant.identity) is participant


# ---------------------------------------------------------------------- wait_for_participant
@overload
async def wait_for_participant(
    room: RoomLike[RP, LP],
    *,
    identity: str | None = None,
    kind: KindArg = None,
    include_local: Literal[False] = False,
    timeout: float | None = None,
) -> RP: ...
@overload
async def wait_for_participant(
    room: RoomLike[RP, LP],
    *,
    identity: str | None = None,
    kind: KindArg = None,
    include_local: bool,
    timeout: float | None = None,
) -> RP | LP: ...
async def wait_for_participant(
    room: RoomLike[RP, LP],
    *,
    identity: str | None = None,
    kind: KindArg = None,
    include_local: bool = False,
    timeout: float | None = None,
) -> RP | LP:
    """Return the first active participant matching ``identity`` and ``kind``.

    A matching remote participant that is already active is returned at once; otherwise
    the wait ends on the ``participant_active`` event of one. With ``include_local``, the
    local participant is considered first (it counts as active).

    Args:
        room: a connected ``livekit.rtc.Room`` or anything with its surface.
        identity: the identity to wait for; ``None`` accepts any.
        kind: a ``ParticipantKind`` value, an iterable of them, or ``None`` for any kind.
        include_local: also consider the local participant.
        timeout: seconds to wait at most; ``None`` waits forever.

    Returns:
        The matching participant.

    Raises:
        RuntimeError: the room is not connected, or disconnects while waiting.
        TimeoutError: ``timeout`` passed first.
        TypeError: an argument has the wrong type.
        ValueError: ``timeout`` is negative or NaN.

    """
    _check_str("identity", identity, optional=True)
    kinds = _kind_set(kind)
    seconds = check_timeout(timeout)
    _check_room(room)

    def matches(p: ParticipantLike[Any]) -> bool:
        return (identity is None or p.identity == identity) and (kinds is None or int(p.kind) in kinds)

    if include_local:
        local = room.local_participant
        if matches(local):
            return local
    for p in room.remote_participants.values():
        if int(p.state) == _ACTIVE and matches(p):
            return p

    wait: _Wait[RP] = _Wait(room, "a participant" + _describe(identity=identity, kind=kinds), seconds)

    def on_active(p: RP) -> None:
        if matches(p):
            wait.resolve(p)

    return await wait.run(
        [("participant_active", on_active)], "room disconnected while waiting for participant"
    )


# ---------------------------------------------------------------------- wait_for_track_publication
class _PublicationMatch:
    """Which track publications ``wait_for_track_publication`` is waiting for."""

    def __init__(self, identity: str | None, kinds: frozenset[int] | None, subscribed: bool) -> None:
        self.identity = identity
        self.kinds = kinds
        self.subscribed = subscribed

    def kind(self, publication: TrackPublicationLike) -> bool:
        return self.kinds is None or int(publication.kind) in self.kinds

    def remote(self, publication: RemoteTrackPublicationLike, participant: ParticipantLike[Any]) -> bool:
        if self.identity is not None and participant.identity != self.identity:
            return False
        if not self.kind(publication):
            return False
        return not self.subscribed or (publication.subscribed and publication.track is not None)

    def local(self, participant: ParticipantLike[Any], publication: TrackPublicationLike) -> bool:
        return (self.identity is None or participant.identity == self.identity) and self.kind(publication)

    def existing(self, room: RoomLike[Any, Any], *, include_local: bool) -> Any:
        """A matching publication already in the room (the local ones first), or None."""
        if include_local:
            local = room.local_participant
            for publication in local.track_publications.values():
                if self.local(local, publication):
                    return publication
        for participant in room.remote_participants.values():
            for publication in participant.track_publications.values():
                if self.remote(publication, participant):
                    return publication
        return None


@overload
async def wait_for_track_publication(
    room: RoomLike[ParticipantLike[RPub], ParticipantLike[LPub]],
    *,
    identity: str | None = None,
    kind: KindArg = None,
    include_local: Literal[False] = False,
    wait_for_subscription: bool = False,
    timeout: float | None = None,
) -> RPub: ...
@overload
async def wait_for_track_publication(
    room: RoomLike[ParticipantLike[RPub], ParticipantLike[LPub]],
    *,
    identity: str | None = None,
    kind: KindArg = None,
    include_local: bool,
    wait_for_subscription: bool = False,
    timeout: float | None = None,
) -> RPub | LPub: ...
async def wait_for_track_publication(
    room: RoomLike[ParticipantLike[RPub], ParticipantLike[LPub]],
    *,
    identity: str | None = None,
    kind: KindArg = None,
    include_local: bool = False,
    wait_for_subscription: bool = False,
    timeout: float | None = None,
) -> RPub | LPub:
    """Return the first track publication matching ``identity`` and ``kind``.

    A matching publication already in the room is returned at once; otherwise the wait
    ends on the ``track_published`` event of one, or on its ``track_subscribed`` event
    when ``wait_for_subscription`` is set (then a publication counts only once it is
    subscribed and has its track). With ``include_local``, the local participant's
    publications are considered first and resolve on ``local_track_published``; they
    ignore ``wait_for_subscription``.

    Args:
        room: a connected ``livekit.rtc.Room`` or anything with its surface.
        identity: the identity of the publishing participant; ``None`` accepts any.
        kind: a ``TrackKind`` value, an iterable of them, or ``None`` for any kind.
        include_local: also consider the local participant's publications.
        wait_for_subscription: wait until a remote publication is subscribed.
        timeout: seconds to wait at most; ``None`` waits forever.

    Returns:
        The matching publication.

    Raises:
        RuntimeError: the room is not connected, or disconnects while waiting, or the
            participant named by ``identity`` leaves while waiting.
        TimeoutError: ``timeout`` passed first.
        TypeError: an argument has the wrong type.
        ValueError: ``timeout`` is negative or NaN.

    """
    _check_str("identity", identity, optional=True)
    match = _PublicationMatch(identity, _kind_set(kind), wait_for_subscription)
    seconds = check_timeout(timeout)
    _check_room(room)
    found: RPub | LPub | None = match.existing(room, include_local=include_local)
    if found is not None:
        return found

    what = "a subscribed track" if wait_for_subscription else "a track publication"
    wait: _Wait[RPub | LPub] = _Wait(room, what + _describe(identity=identity, kind=match.kinds), seconds)

    def on_published(publication: RPub, participant: ParticipantLike[Any]) -> None:
        if match.remote(publication, participant):
            wait.resolve(publication)

    def on_subscribed(_track: object, publication: RPub, participant: ParticipantLike[Any]) -> None:
        on_published(publication, participant)

    def on_local_published(publication: LPub, *_track: object) -> None:
        if match.local(room.local_participant, publication):
            wait.resolve(publication)

    def on_participant_disconnected(p: ParticipantLike[Any]) -> None:
        if p.identity == identity:
            wait.fail(
                RuntimeError(f"participant {identity!r} disconnected while waiting for track publication")
            )

    listeners: list[tuple[str, Callable[..., None]]] = [
        ("track_subscribed", on_subscribed) if wait_for_subscription else ("track_published", on_published)
    ]
    if include_local:
        listeners.append(("local_track_published", on_local_published))
    if identity is not None:
        listeners.append(("participant_disconnected", on_participant_disconnected))
    return await wait.run(listeners, "room disconnected while waiting for track publication")


# ---------------------------------------------------------------------- wait_for_agent
async def wait_for_agent(
    room: RoomLike[RP, Any],
    *,
    agent_name: str | None = None,
    timeout: float | None = None,
) -> RP:
    """Return the first remote agent participant, optionally with a given agent name.

    An agent already in the room is returned at once. Otherwise the wait ends when one
    connects (``participant_connected``), or when a remote agent's attributes change so
    that its ``lk.agent.name`` attribute equals ``agent_name``.

    Args:
        room: a connected ``livekit.rtc.Room`` or anything with its surface.
        agent_name: the value of the agent's ``lk.agent.name`` attribute; ``None`` accepts
            any agent.
        timeout: seconds to wait at most; ``None`` waits forever.

    Returns:
        The agent participant.

    Raises:
        RuntimeError: the room is not connected, or disconnects while waiting.
        TimeoutError: ``timeout`` passed first.
        TypeError: an argument has the wrong type.
        ValueError: ``timeout`` is negative or NaN.

    """
    _check_str("agent_name", agent_name, optional=True)
    seconds = check_timeout(timeout)
    _check_room(room)

    def matches(p: ParticipantLike[Any]) -> bool:
        if int(p.kind) != _AGENT:
            return False
        return agent_name is None or p.attributes.get(ATTRIBUTE_AGENT_NAME) == agent_name

    for p in room.remote_participants.values():
        if matches(p):
            return p

    wait: _Wait[RP] = _Wait(room, "an agent" + _describe(agent_name=agent_name), seconds)

    def on_connected(p: RP) -> None:
        if matches(p):
            wait.resolve(p)

    def on_attributes_changed(_changed: object, p: RP) -> None:
        if matches(p) and _is_remote(room, p):
            wait.resolve(p)

    return await wait.run(
        [("participant_connected", on_connected), ("participant_attributes_changed", on_attributes_changed)],
        "room disconnected while waiting for agent participant",
    )


# ---------------------------------------------------------------------- wait_for_participant_attribute
async def wait_for_participant_attribute(
    room: RoomLike[Any, Any],
    *,
    identity: str,
    attribute: str,
    value: str,
    timeout: float | None = None,
) -> None:
    """Wait until the remote participant ``identity`` has ``attribute`` set to ``value``.

    Returns at once when it already has. Otherwise the wait ends on the
    ``participant_attributes_changed`` event that sets it.

    Args:
        room: a connected ``livekit.rtc.Room`` or anything with its surface.
        identity: the identity of a remote participant present in the room.
        attribute: the attribute name.
        value: the value to wait for.
        timeout: seconds to wait at most; ``None`` waits forever.

    Raises:
        RuntimeError: the room is not connected, the participant is not in the room, or
            the participant or the room disconnects while waiting.
        TimeoutError: ``timeout`` passed first.
        TypeError: an argument has the wrong type.
        ValueError: ``timeout`` is negative or NaN.

    """
    _check_str("identity", identity, optional=False)
    _check_str("attribute", attribute, optional=False)
    _check_str("value", value, optional=False)
    seconds = check_timeout(timeout)
    _check_room(room)

    existing = room.remote_participants.get(identity)
    if existing is None:
        raise RuntimeError(f"participant {identity!r} is not in the room")
    if existing.attributes.get(attribute) == value:
        return

    wait: _Wait[None] = _Wait(
        room, f"participant {identity!r} to have attribute {attribute!r} = {value!r}", seconds
    )

    def on_attributes_changed(_changed: object, p: ParticipantLike[Any]) -> None:
        if p.identity == identity and p.attributes.get(attribute) == value and _is_remote(room, p):
            wait.resolve(None)

    def on_participant_disconnected(p: ParticipantLike[Any]) -> None:
        if p.identity == identity:
            wait.fail(RuntimeError(f"participant {identity!r} disconnected while waiting for {attribute}"))

    await wait.run(
        [
            ("participant_attributes_changed", on_attributes_changed),
            ("participant_disconnected", on_participant_disconnected),
        ],
        f"room disconnected while waiting for {identity!r} {attribute}",
    )
