"""The part of the ``livekit.rtc`` surface the helpers use, as typing protocols.

``livekit.rtc.Room`` and :class:`agentutils_rtc_helpers.testing.FakeRoom` both satisfy
:class:`RoomLike`; the helpers rely on nothing else, so they never import livekit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "ParticipantLike",
    "RemoteTrackPublicationLike",
    "RoomLike",
    "TrackPublicationLike",
]

Pub_co = TypeVar("Pub_co", covariant=True)
RP_co = TypeVar("RP_co", covariant=True)
LP_co = TypeVar("LP_co", covariant=True)


class TrackPublicationLike(Protocol):
    """A track publication (``livekit.rtc.TrackPublication``): its kind."""

    @property
    def kind(self) -> int:
        """The media kind, a :class:`~agentutils_rtc_helpers.TrackKind` value."""
        ...


class RemoteTrackPublicationLike(TrackPublicationLike, Protocol):
    """A remote track publication (``livekit.rtc.RemoteTrackPublication``)."""

    @property
    def subscribed(self) -> bool:
        """Whether the local participant is subscribed to the track."""
        ...

    @property
    def track(self) -> object | None:
        """The subscribed track, or ``None`` before the subscription completes."""
        ...


class ParticipantLike(Protocol[Pub_co]):
    """A participant (``livekit.rtc.Participant``), generic in its publication type."""

    @property
    def identity(self) -> str:
        """The participant's identity, unique in the room."""
        ...

    @property
    def kind(self) -> int:
        """What the participant is, a :class:`~agentutils_rtc_helpers.ParticipantKind` value."""
        ...

    @property
    def state(self) -> int:
        """Its connection state, a :class:`~agentutils_rtc_helpers.ParticipantState` value."""
        ...

    @property
    def attributes(self) -> Mapping[str, str]:
        """Its custom attributes."""
        ...

    @property
    def track_publications(self) -> Mapping[str, Pub_co]:
        """Its track publications, by track sid."""
        ...


class RoomLike(Protocol[RP_co, LP_co]):
    """A room (``livekit.rtc.Room``), generic in its remote and local participant types."""

    def isconnected(self) -> bool:
        """Whether the room is connected (connecting and reconnecting count as connected)."""
        ...

    @property
    def remote_participants(self) -> Mapping[str, RP_co]:
        """The remote participants, by identity."""
        ...

    @property
    def local_participant(self) -> LP_co:
        """The local participant."""
        ...

    def on(self, event: Any, callback: Any, /) -> Any:
        """Register ``callback`` for ``event``."""
        ...

    def off(self, event: Any, callback: Any, /) -> Any:
        """Unregister ``callback`` from ``event``."""
        ...
