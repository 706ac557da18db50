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

from agentutils_core.lazy import exports

from .__about__ import __version__ as __version__

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs ~15 ms
if TYPE_CHECKING:
    import agentutils_audio as audio  # noqa: F401  (the modules, re-exported through _EXPORTS)
    import agentutils_codecs as codecs  # noqa: F401
    import agentutils_http.http_context as http_context  # noqa: F401
    import agentutils_http.http_server as http_server  # noqa: F401
    import agentutils_hw as hw  # noqa: F401
    import agentutils_images as images  # noqa: F401
    from agentutils_audio import (
        AudioArrayBuffer as AudioArrayBuffer,
        AudioBuffer as AudioBuffer,
        AudioByteStream as AudioByteStream,
        AudioFrame as AudioFrame,
        combine_frames as combine_frames,
        merge_frames as merge_frames,
    )
    from agentutils_core import (
        NOT_GIVEN as NOT_GIVEN,
        BoundedDict as BoundedDict,
        NotGiven as NotGiven,
        NotGivenOr as NotGivenOr,
        aio as aio,
        is_dev_mode as is_dev_mode,
        is_given as is_given,
        is_hosted as is_hosted,
        log_exceptions as log_exceptions,
        nodename as nodename,
        resolve_env_int as resolve_env_int,
        resolve_env_var as resolve_env_var,
        shortuuid as shortuuid,
        time_ms as time_ms,
    )
    from agentutils_events import AsyncEventEmitter as AsyncEventEmitter, EventEmitter as EventEmitter
    from agentutils_filters import ExpFilter as ExpFilter, MovingAverage as MovingAverage
    from agentutils_pool import ConnectionPool as ConnectionPool
    from agentutils_rtc_helpers import (
        wait_for_agent as wait_for_agent,
        wait_for_participant as wait_for_participant,
        wait_for_participant_attribute as wait_for_participant_attribute,
        wait_for_track_publication as wait_for_track_publication,
    )

# The public names, each imported from its module on first use: the one table from which
# __all__ and the lazy lookups follow (tests/integration/test_exports.py checks the imports above).
_EXPORTS = {
    "AudioArrayBuffer": "agentutils_audio:AudioArrayBuffer",
    "AudioBuffer": "agentutils_audio:AudioBuffer",
    "AudioByteStream": "agentutils_audio:AudioByteStream",
    "codecs": "agentutils_codecs",
    "hw": "agentutils_hw",
    "images": "agentutils_images",
    "http_context": "agentutils_http.http_context",
    "http_server": "agentutils_http.http_server",
    "AudioFrame": "agentutils_audio:AudioFrame",
    "audio": "agentutils_audio",
    "combine_frames": "agentutils_audio:combine_frames",
    "merge_frames": "agentutils_audio:merge_frames",
    "BoundedDict": "agentutils_core:BoundedDict",
    "NOT_GIVEN": "agentutils_core:NOT_GIVEN",
    "NotGiven": "agentutils_core:NotGiven",
    "NotGivenOr": "agentutils_core:NotGivenOr",
    "aio": "agentutils_core:aio",
    "is_dev_mode": "agentutils_core:is_dev_mode",
    "is_given": "agentutils_core:is_given",
    "is_hosted": "agentutils_core:is_hosted",
    "log_exceptions": "agentutils_core:log_exceptions",
    "nodename": "agentutils_core:nodename",
    "resolve_env_int": "agentutils_core:resolve_env_int",
    "resolve_env_var": "agentutils_core:resolve_env_var",
    "shortuuid": "agentutils_core:shortuuid",
    "time_ms": "agentutils_core:time_ms",
    "AsyncEventEmitter": "agentutils_events:AsyncEventEmitter",
    "EventEmitter": "agentutils_events:EventEmitter",
    "ExpFilter": "agentutils_filters:ExpFilter",
    "MovingAverage": "agentutils_filters:MovingAverage",
    "ConnectionPool": "agentutils_pool:ConnectionPool",
    "wait_for_agent": "agentutils_rtc_helpers:wait_for_agent",
    "wait_for_participant": "agentutils_rtc_helpers:wait_for_participant",
    "wait_for_participant_attribute": "agentutils_rtc_helpers:wait_for_participant_attribute",
    "wait_for_track_publication": "agentutils_rtc_helpers:wait_for_track_publication",
}

__all__ = exports(__name__, globals(), _EXPORTS)
