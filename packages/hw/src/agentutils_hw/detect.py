"""``get_cpu_monitor``: the monitor that fits where the process runs; ``cpu_percent_async``.

The cgroup version is read from what ``root`` holds (:func:`~agentutils_hw.cgroup_version`):
``cgroup.controllers`` or ``cpu.max`` means cgroup v2, a ``cpu`` or ``cpuacct`` folder
means cgroup v1, nothing means the host. A cgroup whose usage counter cannot be read
(missing, unreadable, malformed) falls back to the host monitor with a warning: its load
could not be measured at all, and a monitor raising at every measurement helps no one.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from .cgroup import DEFAULT_CGROUP_ROOT, CGroupV1CPUMonitor, CGroupV2CPUMonitor, cgroup_version
from .host import DefaultCPUMonitor
from .monitor import CPUMonitor, CPUUsageError, logger

if TYPE_CHECKING:
    import os

__all__ = ["cpu_percent_async", "get_cpu_monitor"]


def get_cpu_monitor(root: str | os.PathLike[str] = DEFAULT_CGROUP_ROOT) -> CPUMonitor:
    """Return a monitor for the cgroup under ``root`` (v2, then v1), else for the host.

    Raises:
        TypeError: ``root`` is not a str or ``os.PathLike``.

    """
    version = cgroup_version(root)
    if version is None:
        return DefaultCPUMonitor()
    monitor: CGroupV1CPUMonitor | CGroupV2CPUMonitor = (
        CGroupV2CPUMonitor(root) if version == 2 else CGroupV1CPUMonitor(root)
    )
    try:
        monitor.usage_seconds()  # the counter is there and makes sense
    except CPUUsageError as exc:
        logger.warning(
            "cgroup v%d at %s: %s; measuring the host's CPU load instead", version, monitor.root, exc
        )
        return DefaultCPUMonitor()
    return monitor


@functools.cache
def _default_monitor() -> CPUMonitor:
    return get_cpu_monitor()


async def cpu_percent_async(interval: float = 0.5, *, monitor: CPUMonitor | None = None) -> float:
    """Return the CPU load (0..1) over the next ``interval`` seconds without blocking the event loop.

    Args:
        interval: seconds to measure over (finite, > 0).
        monitor: the monitor to use; by default one from :func:`get_cpu_monitor`, made once
            per process (so its last valid reading carries over between calls).

    Raises:
        TypeError: ``interval`` is not a number, or ``monitor`` is not a ``CPUMonitor``.
        ValueError: ``interval`` is not a finite number of seconds > 0.
        CPUUsageError: the usage counter cannot be read.

    """
    if monitor is None:
        monitor = _default_monitor()
    elif not isinstance(monitor, CPUMonitor):
        raise TypeError(f"monitor must be a CPUMonitor or None, got {type(monitor).__name__}")
    return await monitor.cpu_percent_async(interval)
