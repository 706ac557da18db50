"""The LiveKit enum values the helpers and the room double use, without importing livekit.

``livekit.rtc`` exposes these as protobuf enums whose values are plain ``int`` values. The
classes here are ``IntEnum`` classes with the same member names and values, so a
value of either kind compares equal to the other (``ParticipantKind.PARTICIPANT_KIND_AGENT
== rtc.ParticipantKind.PARTICIPANT_KIND_AGENT``) and either can be passed to the helpers.
"""

from __future__ import annotations

from enum import IntEnum

__all__ = [
    "ATTRIBUTE_AGENT_NAME",
    "ConnectionState",
    "DisconnectReason",
    "ParticipantKind",
    "ParticipantState",
    "TrackKind",
    "TrackSource",
]

ATTRIBUTE_AGENT_NAME = "lk.agent.name"
"""The participant attribute in which a LiveKit agent publishes its agent name."""


class ParticipantKind(IntEnum):
    """What a participant is (``livekit.rtc.ParticipantKind``)."""

    PARTICIPANT_KIND_STANDARD = 0
    PARTICIPANT_KIND_INGRESS = 1
    PARTICIPANT_KIND_EGRESS = 2
    PARTICIPANT_KIND_SIP = 3
    PARTICIPANT_KIND_AGENT = 4
    PARTICIPANT_KIND_CONNECTOR = 5
    PARTICIPANT_KIND_BRIDGE = 6


class ParticipantState(IntEnum):
    """Where a participant is in its connection (``livekit.rtc.ParticipantState``)."""

    PARTICIPANT_STATE_JOINING = 0
    PARTICIPANT_STATE_JOINED = 1
    PARTICIPANT_STATE_ACTIVE = 2
    PARTICIPANT_STATE_DISCONNECTED = 3


class TrackKind(IntEnum):
    """The media kind of a track (``livekit.rtc.TrackKind``)."""

    KIND_UNKNOWN = 0
    KIND_AUDIO = 1
    KIND_VIDEO = 2


class TrackSource(IntEnum):
    """Where a track comes from (``livekit.rtc.TrackSource``)."""

    SOURCE_UNKNOWN = 0
    SOURCE_CAMERA = 1
    SOURCE_MICROPHONE = 2
    SOURCE_SCREENSHARE = 3
    SOURCE_SCREENSHARE_AUDIO = 4


class ConnectionState(IntEnum):
    """The connection state of a room (``livekit.rtc.ConnectionState``)."""

    CONN_DISCONNECTED = 0
    CONN_CONNECTED = 1
    CONN_RECONNECTING = 2


class DisconnectReason(IntEnum):
    """Why a room or a participant disconnected (``livekit.rtc.DisconnectReason``)."""

    UNKNOWN_REASON = 0
    CLIENT_INITIATED = 1
    DUPLICATE_IDENTITY = 2
    SERVER_SHUTDOWN = 3
    PARTICIPANT_REMOVED = 4
    ROOM_DELETED = 5
    STATE_MISMATCH = 6
    JOIN_FAILURE = 7
    MIGRATION = 8
    SIGNAL_CLOSE = 9
    ROOM_CLOSED = 10
    USER_UNAVAILABLE = 11
    USER_REJECTED = 12
    SIP_TRUNK_FAILURE = 13
    CONNECTION_TIMEOUT = 14
    MEDIA_FAILURE = 15
    AGENT_ERROR = 16
