"""agentutils: utilities for realtime voice and video agents.

The flat API of ``livekit.agents.utils`` under the same names, each resolved from its
member on first use, so ``import agentutils`` imports nothing else and touching
``agentutils.EventEmitter`` never imports numpy or aiohttp::

    import agentutils

    emitter = agentutils.EventEmitter[str]()
    frame = agentutils.combine_frames(frames)
    async with agentutils.ConnectionPool(...).connection() as conn: ...
"""

from __future__ import annotations

from agentutils_core.lazy import lazy_exports

from .__about__ import __version__

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs ~15 ms
if TYPE_CHECKING:
    import agentutils_audio as audio
    from agentutils_audio import AudioByteStream, AudioFrame, combine_frames, merge_frames
    from agentutils_core import (
        NOT_GIVEN,
        BoundedDict,
        NotGiven,
        NotGivenOr,
        aio,
        is_given,
        log_exceptions,
        nodename,
        resolve_env_int,
        resolve_env_var,
        shortuuid,
        time_ms,
    )
    from agentutils_events import AsyncEventEmitter, EventEmitter
    from agentutils_filters import ExpFilter, MovingAverage
    from agentutils_pool import ConnectionPool
    from agentutils_rtc_helpers import (
        wait_for_agent,
        wait_for_participant,
        wait_for_participant_attribute,
        wait_for_track_publication,
    )

__all__ = [
    "NOT_GIVEN",
    "AsyncEventEmitter",
    "AudioByteStream",
    "AudioFrame",
    "BoundedDict",
    "ConnectionPool",
    "EventEmitter",
    "ExpFilter",
    "MovingAverage",
    "NotGiven",
    "NotGivenOr",
    "__version__",
    "aio",
    "audio",
    "combine_frames",
    "is_given",
    "log_exceptions",
    "merge_frames",
    "nodename",
    "resolve_env_int",
    "resolve_env_var",
    "shortuuid",
    "time_ms",
    "wait_for_agent",
    "wait_for_participant",
    "wait_for_participant_attribute",
    "wait_for_track_publication",
]

# name -> "module" (the module itself) or "module:attribute".
_LAZY = {
    "NOT_GIVEN": "agentutils_core:NOT_GIVEN",
    "NotGiven": "agentutils_core:NotGiven",
    "NotGivenOr": "agentutils_core:NotGivenOr",
    "BoundedDict": "agentutils_core:BoundedDict",
    "is_given": "agentutils_core:is_given",
    "log_exceptions": "agentutils_core:log_exceptions",
    "nodename": "agentutils_core:nodename",
    "shortuuid": "agentutils_core:shortuuid",
    "time_ms": "agentutils_core:time_ms",
    "aio": "agentutils_core.aio",
    "resolve_env_int": "agentutils_core:resolve_env_int",
    "resolve_env_var": "agentutils_core:resolve_env_var",
    "EventEmitter": "agentutils_events:EventEmitter",
    "AsyncEventEmitter": "agentutils_events:AsyncEventEmitter",
    "audio": "agentutils_audio",
    "AudioFrame": "agentutils_audio:AudioFrame",
    "AudioByteStream": "agentutils_audio:AudioByteStream",
    "combine_frames": "agentutils_audio:combine_frames",
    "merge_frames": "agentutils_audio:merge_frames",
    "ConnectionPool": "agentutils_pool:ConnectionPool",
    "wait_for_agent": "agentutils_rtc_helpers:wait_for_agent",
    "wait_for_participant": "agentutils_rtc_helpers:wait_for_participant",
    "wait_for_participant_attribute": "agentutils_rtc_helpers:wait_for_participant_attribute",
    "wait_for_track_publication": "agentutils_rtc_helpers:wait_for_track_publication",
    "ExpFilter": "agentutils_filters:ExpFilter",
    "MovingAverage": "agentutils_filters:MovingAverage",
}

__getattr__, __dir__ = lazy_exports(__name__, globals(), _LAZY, __all__)
