"""agentutils-rtc-helpers: wait on a LiveKit room for a participant, a track or an agent.

The helpers work on ``livekit.rtc.Room`` and on any object with its surface, such as the
in-process double :class:`~agentutils_rtc_helpers.testing.FakeRoom`; they never import
livekit. Every helper takes a ``timeout`` and removes its listeners however it ends.

Names are resolved lazily, so ``import agentutils_rtc_helpers`` imports neither asyncio
nor the room double.
"""

from __future__ import annotations

from agentutils_core.lazy import lazy_exports

from .__about__ import __version__

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs ~15 ms
if TYPE_CHECKING:
    from .kinds import (
        ATTRIBUTE_AGENT_NAME,
        ConnectionState,
        DisconnectReason,
        ParticipantKind,
        ParticipantState,
        TrackKind,
        TrackSource,
    )
    from .protocols import ParticipantLike, RemoteTrackPublicationLike, RoomLike, TrackPublicationLike
    from .testing import (
        FakeLocalParticipant,
        FakeLocalTrackPublication,
        FakeParticipant,
        FakeRemoteParticipant,
        FakeRemoteTrackPublication,
        FakeRoom,
        FakeTrack,
        FakeTrackPublication,
    )
    from .waiters import (
        wait_for_agent,
        wait_for_participant,
        wait_for_participant_attribute,
        wait_for_track_publication,
    )

__all__ = [
    "ATTRIBUTE_AGENT_NAME",
    "ConnectionState",
    "DisconnectReason",
    "FakeLocalParticipant",
    "FakeLocalTrackPublication",
    "FakeParticipant",
    "FakeRemoteParticipant",
    "FakeRemoteTrackPublication",
    "FakeRoom",
    "FakeTrack",
    "FakeTrackPublication",
    "ParticipantKind",
    "ParticipantLike",
    "ParticipantState",
    "RemoteTrackPublicationLike",
    "RoomLike",
    "TrackKind",
    "TrackPublicationLike",
    "TrackSource",
    "__version__",
    "wait_for_agent",
    "wait_for_participant",
    "wait_for_participant_attribute",
    "wait_for_track_publication",
]

_LAZY = {
    "ATTRIBUTE_AGENT_NAME": ".kinds:ATTRIBUTE_AGENT_NAME",
    "ConnectionState": ".kinds:ConnectionState",
    "DisconnectReason": ".kinds:DisconnectReason",
    "ParticipantKind": ".kinds:ParticipantKind",
    "ParticipantState": ".kinds:ParticipantState",
    "TrackKind": ".kinds:TrackKind",
    "TrackSource": ".kinds:TrackSource",
    "ParticipantLike": ".protocols:ParticipantLike",
    "RemoteTrackPublicationLike": ".protocols:RemoteTrackPublicationLike",
    "RoomLike": ".protocols:RoomLike",
    "TrackPublicationLike": ".protocols:TrackPublicationLike",
    "FakeLocalParticipant": ".testing:FakeLocalParticipant",
    "FakeLocalTrackPublication": ".testing:FakeLocalTrackPublication",
    "FakeParticipant": ".testing:FakeParticipant",
    "FakeRemoteParticipant": ".testing:FakeRemoteParticipant",
    "FakeRemoteTrackPublication": ".testing:FakeRemoteTrackPublication",
    "FakeRoom": ".testing:FakeRoom",
    "FakeTrack": ".testing:FakeTrack",
    "FakeTrackPublication": ".testing:FakeTrackPublication",
    "wait_for_agent": ".waiters:wait_for_agent",
    "wait_for_participant": ".waiters:wait_for_participant",
    "wait_for_participant_attribute": ".waiters:wait_for_participant_attribute",
    "wait_for_track_publication": ".waiters:wait_for_track_publication",
}


__getattr__, __dir__ = lazy_exports(__name__, globals(), _LAZY, __all__)
