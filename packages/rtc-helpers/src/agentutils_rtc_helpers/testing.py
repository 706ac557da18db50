"""An in-process double of ``livekit.rtc.Room``, for testing agent code without a server.

:class:`FakeRoom` has the read surface of ``livekit.rtc.Room`` (``isconnected()``,
``connection_state``, ``remote_participants``, ``local_participant``, ``name``,
``on``/``once``/``off``/``emit``, ``connect()``/``disconnect()``) and emits the room's
events, with the same arguments, when a test drives it through its *driver* methods,
which play the part of the LiveKit server:

==================================  ==========================================================
driver                              events emitted (arguments)
==================================  ==========================================================
``add_participant``                 ``participant_connected`` (participant), then, unless
                                    ``active=False``, ``participant_active`` (participant)
``activate_participant``            ``participant_active`` (participant)
``remove_participant``              ``participant_disconnected`` (participant)
``set_participant_attributes``      ``participant_attributes_changed`` (changed, participant)
``publish_remote_track``            ``track_published`` (publication, participant), then
                                    with ``subscribe=True`` ``track_subscribed``
``subscribe_remote_track``          ``track_subscribed`` (track, publication, participant)
``unpublish_remote_track``          ``track_unsubscribed`` (track, publication, participant)
                                    if subscribed, then ``track_unpublished`` (publication,
                                    participant)
``publish_local_track``             ``local_track_published`` (publication, track)
``start_reconnecting``              ``connection_state_changed`` (CONN_RECONNECTING),
                                    ``reconnecting`` ()
``finish_reconnecting``             ``connection_state_changed`` (CONN_CONNECTED),
                                    ``reconnected`` ()
``lose_connection``, ``disconnect`` ``connection_state_changed`` (CONN_DISCONNECTED),
                                    ``disconnected`` (reason)
==================================  ==========================================================

Participants and publications are :class:`FakeRemoteParticipant`,
:class:`FakeLocalParticipant`, :class:`FakeRemoteTrackPublication` and
:class:`FakeLocalTrackPublication`, with the attributes of their ``livekit.rtc``
counterparts that agent code reads (``identity``, ``kind``, ``state``, ``attributes``,
``track_publications``, ``subscribed``, ``track``...). Kinds and states are the
``IntEnum`` classes of :mod:`agentutils_rtc_helpers.kinds`, equal to livekit's values.

Example:
    >>> import asyncio
    >>> from agentutils_rtc_helpers import ParticipantKind, wait_for_agent
    >>> from agentutils_rtc_helpers.testing import FakeRoom
    >>> async def main():
    ...     room = FakeRoom()
    ...     waiter = asyncio.create_task(wait_for_agent(room, timeout=5))
    ...     await asyncio.sleep(0)
    ...     room.add_participant("agent-1", kind=ParticipantKind.PARTICIPANT_KIND_AGENT)
    ...     return (await waiter).identity
    >>> asyncio.run(main())
    'agent-1'

"""

from __future__ import annotations

import itertools
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from agentutils_events import EventEmitter

from .kinds import (
    ConnectionState,
    DisconnectReason,
    ParticipantKind,
    ParticipantState,
    TrackKind,
    TrackSource,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "FakeLocalParticipant",
    "FakeLocalTrackPublication",
    "FakeParticipant",
    "FakeRemoteParticipant",
    "FakeRemoteTrackPublication",
    "FakeRoom",
    "FakeTrack",
    "FakeTrackPublication",
]


def _check_int(name: str, value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int enum value, got {type(value).__name__}: {value!r}")
    return value


def _check_identity(identity: object) -> str:
    if not isinstance(identity, str):
        raise TypeError(f"identity must be a str, got {type(identity).__name__}: {identity!r}")
    if not identity:
        raise ValueError("identity must be a non-empty str, got ''")
    return identity


def _check_attributes(attributes: object) -> dict[str, str]:
    if attributes is None:
        return {}
    items = getattr(attributes, "items", None)
    if items is None:
        raise TypeError(f"attributes must be a mapping of str to str, got {type(attributes).__name__}")
    result: dict[str, str] = {}
    for key, value in items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise TypeError(
                f"attributes must map str to str, got {type(key).__name__} {key!r} -> "
                f"{type(value).__name__} {value!r}"
            )
        result[key] = value
    return result


class _FakeTrackBase:
    """What a track and a publication share: sid, name, kind and muted."""

    def __init__(self, *, sid: str, name: str, kind: int, muted: bool) -> None:
        self._sid = sid
        self._name = name
        self._kind = _check_int("kind", kind)
        self._muted = muted

    @property
    def sid(self) -> str:
        """The track sid."""
        return self._sid

    @property
    def name(self) -> str:
        """The track name."""
        return self._name

    @property
    def kind(self) -> int:
        """A :class:`~agentutils_rtc_helpers.TrackKind` value."""
        return self._kind

    @property
    def muted(self) -> bool:
        """Whether the track is muted."""
        return self._muted


class FakeTrack(_FakeTrackBase):
    """A subscribed or local track (``livekit.rtc.Track``): sid, name, kind, muted."""

    def __init__(
        self, *, sid: str, name: str = "", kind: int = TrackKind.KIND_AUDIO, muted: bool = False
    ) -> None:
        super().__init__(sid=sid, name=name, kind=kind, muted=muted)

    def __repr__(self) -> str:
        return f"FakeTrack(sid={self._sid}, name={self._name}, kind={self._kind})"


class FakeTrackPublication(_FakeTrackBase):
    """A track publication (``livekit.rtc.TrackPublication``)."""

    def __init__(
        self,
        *,
        sid: str,
        name: str = "",
        kind: int = TrackKind.KIND_AUDIO,
        source: int = TrackSource.SOURCE_UNKNOWN,
        track: FakeTrack | None = None,
    ) -> None:
        super().__init__(sid=sid, name=name, kind=kind, muted=False)
        self._source = _check_int("source", source)
        self._track = track

    @property
    def source(self) -> int:
        """A :class:`~agentutils_rtc_helpers.TrackSource` value."""
        return self._source

    @property
    def track(self) -> FakeTrack | None:
        """The track, or ``None`` (remote: until subscribed)."""
        return self._track

    def __repr__(self) -> str:
        return f"{type(self).__name__}(sid={self._sid}, name={self._name}, kind={self._kind})"


class FakeRemoteTrackPublication(FakeTrackPublication):
    """A remote participant's publication (``livekit.rtc.RemoteTrackPublication``)."""

    def __init__(
        self,
        *,
        sid: str,
        name: str = "",
        kind: int = TrackKind.KIND_AUDIO,
        source: int = TrackSource.SOURCE_UNKNOWN,
    ) -> None:
        super().__init__(sid=sid, name=name, kind=kind, source=source)
        self._subscribed = False

    @property
    def subscribed(self) -> bool:
        """Whether the local participant is subscribed to the track."""
        return self._subscribed


class FakeLocalTrackPublication(FakeTrackPublication):
    """A publication of the local participant (``livekit.rtc.LocalTrackPublication``)."""


class FakeParticipant:
    """A participant (``livekit.rtc.Participant``); created by :class:`FakeRoom`."""

    def __init__(
        self,
        identity: str,
        *,
        sid: str,
        name: str = "",
        kind: int = ParticipantKind.PARTICIPANT_KIND_STANDARD,
        state: int = ParticipantState.PARTICIPANT_STATE_JOINED,
        attributes: Mapping[str, str] | None = None,
        metadata: str = "",
    ) -> None:
        self._identity = _check_identity(identity)
        self._sid = sid
        self._name = name
        self._kind = _check_int("kind", kind)
        self._state = _check_int("state", state)
        self._attributes = _check_attributes(attributes)
        self._metadata = metadata
        self._disconnect_reason: int | None = None

    @property
    def sid(self) -> str:
        """The participant sid."""
        return self._sid

    @property
    def identity(self) -> str:
        """The identity, unique in the room."""
        return self._identity

    @property
    def name(self) -> str:
        """The display name."""
        return self._name

    @property
    def metadata(self) -> str:
        """The metadata string."""
        return self._metadata

    @property
    def attributes(self) -> dict[str, str]:
        """A copy of the custom attributes (as ``livekit.rtc`` returns a copy)."""
        return dict(self._attributes)

    @property
    def kind(self) -> int:
        """A :class:`~agentutils_rtc_helpers.ParticipantKind` value."""
        return self._kind

    @property
    def state(self) -> int:
        """A :class:`~agentutils_rtc_helpers.ParticipantState` value."""
        return self._state

    @property
    def disconnect_reason(self) -> int | None:
        """A :class:`~agentutils_rtc_helpers.DisconnectReason` value once disconnected, else None."""
        return self._disconnect_reason

    def __repr__(self) -> str:
        return f"{type(self).__name__}(sid={self._sid}, identity={self._identity}, name={self._name})"


_Pub = TypeVar("_Pub", bound=FakeTrackPublication)


class _FakePublishingParticipant(FakeParticipant, Generic[_Pub]):
    """A participant with publications of type ``_Pub`` (remote or local)."""

    def __init__(self, identity: str, **kwargs: Any) -> None:
        super().__init__(identity, **kwargs)
        self._track_publications: dict[str, _Pub] = {}

    @property
    def track_publications(self) -> Mapping[str, _Pub]:
        """Its publications, by track sid (read-only)."""
        return MappingProxyType(self._track_publications)


class FakeRemoteParticipant(_FakePublishingParticipant[FakeRemoteTrackPublication]):
    """A remote participant (``livekit.rtc.RemoteParticipant``)."""


class FakeLocalParticipant(_FakePublishingParticipant[FakeLocalTrackPublication]):
    """The local participant (``livekit.rtc.LocalParticipant``)."""


class FakeRoom(EventEmitter[str]):
    """A ``livekit.rtc.Room`` double driven by the test instead of a LiveKit server.

    Args:
        name: the room name.
        local_identity: the identity of the local participant.
        local_kind: the kind of the local participant (an agent is ``PARTICIPANT_KIND_AGENT``).
        local_attributes: the initial attributes of the local participant.
        connected: start connected (the default), or disconnected until :meth:`connect`.

    Driver methods raise ``RuntimeError`` when the room is not connected, ``LookupError``
    for an identity or sid that is not in the room, and ``ValueError`` for an identity
    that already is.

    """

    def __init__(
        self,
        *,
        name: str = "fake-room",
        local_identity: str = "local",
        local_kind: int = ParticipantKind.PARTICIPANT_KIND_STANDARD,
        local_attributes: Mapping[str, str] | None = None,
        connected: bool = True,
    ) -> None:
        super().__init__()
        self._name = name
        self._sids = itertools.count(1)
        self._local = FakeLocalParticipant(
            local_identity,
            sid=self._new_sid("PA"),
            kind=local_kind,
            state=ParticipantState.PARTICIPANT_STATE_ACTIVE,
            attributes=local_attributes,
        )
        self._ever_connected = connected
        self._connection_state = (
            ConnectionState.CONN_CONNECTED if connected else ConnectionState.CONN_DISCONNECTED
        )
        self._remote: dict[str, FakeRemoteParticipant] = {}

    def _new_sid(self, prefix: str) -> str:
        return f"{prefix}_{next(self._sids)}"

    # ------------------------------------------------------------------ the Room surface
    @property
    def name(self) -> str:
        """The room name."""
        return self._name

    @property
    def connection_state(self) -> ConnectionState:
        """The :class:`~agentutils_rtc_helpers.ConnectionState` of the room."""
        return self._connection_state

    def isconnected(self) -> bool:
        """Whether the room is connected (reconnecting counts as connected, as in livekit)."""
        return self._connection_state != ConnectionState.CONN_DISCONNECTED

    @property
    def remote_participants(self) -> Mapping[str, FakeRemoteParticipant]:
        """The remote participants, by identity (a read-only live view)."""
        return MappingProxyType(self._remote)

    @property
    def local_participant(self) -> FakeLocalParticipant:
        """The local participant.

        Raises:
            RuntimeError: the room has never been connected (livekit raises there too).

        """
        if not self._ever_connected:
            raise RuntimeError("cannot access local participant before connecting")
        return self._local

    async def connect(self, url: str = "", token: str = "", options: object = None) -> None:
        """Connect the room; like livekit's, this emits no event. The arguments are ignored."""
        self._ever_connected = True
        self._connection_state = ConnectionState.CONN_CONNECTED

    async def disconnect(self, *, reason: int = DisconnectReason.CLIENT_INITIATED) -> None:
        """Disconnect the room (nothing happens when it is not connected)."""
        if self.isconnected():
            self.lose_connection(reason)

    # ------------------------------------------------------------------ drivers
    def _require_connected(self) -> None:
        if not self.isconnected():
            raise RuntimeError(f"room {self._name!r} is not connected: connect() it before driving it")

    def _participant(self, identity: str) -> FakeRemoteParticipant:
        self._require_connected()
        participant = self._remote.get(identity)
        if participant is None:
            raise LookupError(
                f"no remote participant {identity!r} in room {self._name!r}; present: {sorted(self._remote)}"
            )
        return participant

    def _publication(
        self, identity: str, sid: str
    ) -> tuple[FakeRemoteParticipant, FakeRemoteTrackPublication]:
        participant = self._participant(identity)
        publication = participant._track_publications.get(sid)
        if publication is None:
            raise LookupError(
                f"participant {identity!r} has no publication {sid!r}; "
                f"published: {sorted(participant._track_publications)}"
            )
        return participant, publication

    def add_participant(
        self,
        identity: str,
        *,
        kind: int = ParticipantKind.PARTICIPANT_KIND_STANDARD,
        name: str = "",
        metadata: str = "",
        attributes: Mapping[str, str] | None = None,
        active: bool = True,
    ) -> FakeRemoteParticipant:
        """A remote participant joins: ``participant_connected``, then ``participant_active``.

        Args:
            identity: its identity (not already in the room, nor the local one).
            kind: a :class:`~agentutils_rtc_helpers.ParticipantKind` value.
            name: its display name.
            metadata: its metadata.
            attributes: its initial attributes (``lk.agent.name`` for a named agent).
            active: also make it active; with ``False`` it stays joined until
                :meth:`activate_participant`.

        Returns:
            The new participant.

        """
        self._require_connected()
        _check_identity(identity)
        if identity in self._remote or identity == self._local.identity:
            raise ValueError(f"participant {identity!r} is already in room {self._name!r}")
        participant = FakeRemoteParticipant(
            identity,
            sid=self._new_sid("PA"),
            name=name,
            kind=kind,
            metadata=metadata,
            attributes=attributes,
        )
        self._remote[identity] = participant
        self.emit("participant_connected", participant)
        if active:
            self.activate_participant(identity)
        return participant

    def activate_participant(self, identity: str) -> FakeRemoteParticipant:
        """A joined remote participant becomes active: ``participant_active``."""
        participant = self._participant(identity)
        participant._state = ParticipantState.PARTICIPANT_STATE_ACTIVE
        self.emit("participant_active", participant)
        return participant

    def remove_participant(
        self, identity: str, *, reason: int = DisconnectReason.CLIENT_INITIATED
    ) -> FakeRemoteParticipant:
        """A remote participant leaves: it is removed, then ``participant_disconnected``."""
        participant = self._participant(identity)
        del self._remote[identity]
        participant._disconnect_reason = _check_int("reason", reason)
        self.emit("participant_disconnected", participant)
        return participant

    def set_participant_attributes(self, identity: str, attributes: Mapping[str, str]) -> dict[str, str]:
        """Update a participant's attributes: ``participant_attributes_changed``.

        As on a LiveKit server, the given attributes are merged into the current ones and
        an empty value deletes its attribute. The event is emitted only when something
        changed.

        Args:
            identity: a remote participant, or the local participant's identity.
            attributes: the attributes to set.

        Returns:
            The changed attributes (the event's first argument): name to new value, ``""``
            for a deleted one.

        """
        participant: FakeParticipant
        if identity == self._local.identity:
            self._require_connected()
            participant = self._local
        else:
            participant = self._participant(identity)
        changed: dict[str, str] = {}
        for key, value in _check_attributes(attributes).items():
            if participant._attributes.get(key, "") != value:
                changed[key] = value
                if value:
                    participant._attributes[key] = value
                else:
                    del participant._attributes[key]
        if changed:
            self.emit("participant_attributes_changed", dict(changed), participant)
        return changed

    def publish_remote_track(
        self,
        identity: str,
        *,
        kind: int = TrackKind.KIND_AUDIO,
        name: str = "",
        source: int = TrackSource.SOURCE_UNKNOWN,
        subscribe: bool = False,
    ) -> FakeRemoteTrackPublication:
        """A remote participant publishes a track: ``track_published``.

        Args:
            identity: the publishing remote participant.
            kind: a :class:`~agentutils_rtc_helpers.TrackKind` value.
            name: the track name.
            source: a :class:`~agentutils_rtc_helpers.TrackSource` value.
            subscribe: then subscribe to it (``track_subscribed``), as a room with
                auto-subscribe would.

        Returns:
            The new publication.

        """
        participant = self._participant(identity)
        publication = FakeRemoteTrackPublication(sid=self._new_sid("TR"), name=name, kind=kind, source=source)
        participant._track_publications[publication.sid] = publication
        self.emit("track_published", publication, participant)
        if subscribe:
            self.subscribe_remote_track(identity, publication.sid)
        return publication

    def subscribe_remote_track(self, identity: str, sid: str) -> FakeTrack:
        """The subscription to a remote publication completes: ``track_subscribed``.

        Returns:
            The subscribed track, now also the publication's ``track``.

        """
        participant, publication = self._publication(identity, sid)
        track = FakeTrack(sid=publication.sid, name=publication.name, kind=publication.kind)
        publication._subscribed = True
        publication._track = track
        self.emit("track_subscribed", track, publication, participant)
        return track

    def unpublish_remote_track(self, identity: str, sid: str) -> FakeRemoteTrackPublication:
        """A remote participant unpublishes a track.

        Emits ``track_unsubscribed`` (track, publication, participant) if it was subscribed,
        then ``track_unpublished`` (publication, participant).
        """
        participant, publication = self._publication(identity, sid)
        track = publication._track
        if publication._subscribed:
            publication._subscribed = False
            publication._track = None
            self.emit("track_unsubscribed", track, publication, participant)
        del participant._track_publications[sid]
        self.emit("track_unpublished", publication, participant)
        return publication

    def publish_local_track(
        self,
        *,
        kind: int = TrackKind.KIND_AUDIO,
        name: str = "",
        source: int = TrackSource.SOURCE_UNKNOWN,
    ) -> FakeLocalTrackPublication:
        """The local participant publishes a track: ``local_track_published`` (publication, track)."""
        self._require_connected()
        sid = self._new_sid("TR")
        track = FakeTrack(sid=sid, name=name, kind=kind)
        publication = FakeLocalTrackPublication(sid=sid, name=name, kind=kind, source=source, track=track)
        self._local._track_publications[sid] = publication
        self.emit("local_track_published", publication, track)
        return publication

    def _change_connection_state(self, state: ConnectionState, event: str, *args: object) -> None:
        self._connection_state = state
        self.emit("connection_state_changed", state)
        self.emit(event, *args)

    def start_reconnecting(self) -> None:
        """The connection drops and the room starts reconnecting (still ``isconnected()``)."""
        self._require_connected()
        self._change_connection_state(ConnectionState.CONN_RECONNECTING, "reconnecting")

    def finish_reconnecting(self) -> None:
        """The room has reconnected."""
        self._require_connected()
        self._change_connection_state(ConnectionState.CONN_CONNECTED, "reconnected")

    def lose_connection(self, reason: int = DisconnectReason.UNKNOWN_REASON) -> None:
        """The room is disconnected by the server or the network.

        Emits ``connection_state_changed`` (CONN_DISCONNECTED), then ``disconnected``
        (reason). Remote participants stay listed, as in livekit.
        """
        self._require_connected()
        _check_int("reason", reason)
        self._change_connection_state(ConnectionState.CONN_DISCONNECTED, "disconnected", reason)
