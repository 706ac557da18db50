"""agentutils-rtc-helpers: wait on a LiveKit room for a participant, a track or an agent.

The helpers work on ``livekit.rtc.Room`` and on any object with its surface, such as the
in-process double :class:`~agentutils_rtc_helpers.testing.FakeRoom`; they never import
livekit. Every helper takes a ``timeout`` and removes its listeners however it ends.

Names are resolved lazily, so ``import agentutils_rtc_helpers`` imports neither asyncio
nor the room double.
"""

from __future__ import annotations

from agentutils_core.lazy import exports

from .__about__ import __version__ as __version__

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs ~15 ms
if TYPE_CHECKING:
    from .kinds import (
        ATTRIBUTE_AGENT_NAME as ATTRIBUTE_AGENT_NAME,
        ConnectionState as ConnectionState,
        DisconnectReason as DisconnectReason,
        ParticipantKind as ParticipantKind,
        ParticipantState as ParticipantState,
        TrackKind as TrackKind,
        TrackSource as TrackSource,
    )
    from .protocols import (
        ParticipantLike as ParticipantLike,
        RemoteTrackPublicationLike as RemoteTrackPublicationLike,
        RoomLike as RoomLike,
        TrackPublicationLike as TrackPublicationLike,
    )
    from .testing import (
        FakeLocalParticipant as FakeLocalParticipant,
        FakeLocalTrackPublication as FakeLocalTrackPublication,
        FakeParticipant as FakeParticipant,
        FakeRemoteParticipant as FakeRemoteParticipant,
        FakeRemoteTrackPublication as FakeRemoteTrackPublication,
        FakeRoom as FakeRoom,
        FakeTrack as FakeTrack,
        FakeTrackPublication as FakeTrackPublication,
    )
    from .waiters import (
        wait_for_agent as wait_for_agent,
        wait_for_participant as wait_for_participant,
        wait_for_participant_attribute as wait_for_participant_attribute,
        wait_for_track_publication as wait_for_track_publication,
    )

# The public names, each imported from its module on first use: the one table from which
# __all__ and the lazy lookups follow (tests/integration/test_exports.py checks the imports above).
_EXPORTS = {
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

__all__ = exports(__name__, globals(), _EXPORTS)
