"""agentutils-rtc-helpers: wait on a LiveKit room for a participant, a track or an agent.

The helpers work on ``livekit.rtc.Room`` and on any object with its surface, such as the
in-process double :class:`~agentutils_rtc_helpers.testing.FakeRoom`; they never import
livekit. Every helper takes a ``timeout`` and removes its listeners however it ends.

Names are resolved lazily, so ``import agentutils_rtc_helpers`` imports neither asyncio
nor the room double.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .__about__ import __version__

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
    "ATTRIBUTE_AGENT_NAME": "kinds",
    "ConnectionState": "kinds",
    "DisconnectReason": "kinds",
    "ParticipantKind": "kinds",
    "ParticipantState": "kinds",
    "TrackKind": "kinds",
    "TrackSource": "kinds",
    "ParticipantLike": "protocols",
    "RemoteTrackPublicationLike": "protocols",
    "RoomLike": "protocols",
    "TrackPublicationLike": "protocols",
    "FakeLocalParticipant": "testing",
    "FakeLocalTrackPublication": "testing",
    "FakeParticipant": "testing",
    "FakeRemoteParticipant": "testing",
    "FakeRemoteTrackPublication": "testing",
    "FakeRoom": "testing",
    "FakeTrack": "testing",
    "FakeTrackPublication": "testing",
    "wait_for_agent": "waiters",
    "wait_for_participant": "waiters",
    "wait_for_participant_attribute": "waiters",
    "wait_for_track_publication": "waiters",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
