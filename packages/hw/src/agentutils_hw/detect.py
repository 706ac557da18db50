"""``get_cpu_monitor``: the monitor that fits where the process runs; ``cpu_percent_async``.

The cgroup version is read from what ``root`` holds (:func:`~agentutils_hw.cgroup_version`):
``cgroup.controllers`` or ``cpu.max`` means cgroup v2, a ``cpu`` or ``cpuacct`` folder
means cgroup v1, nothing means the host. A cgroup whose usage counter is missing falls
back to the host monitor with a warning (its load could not be measured at all).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from .cgroup import DEFAULT_CGROUP_ROOT, CGroupV1CPUMonitor, CGroupV2CPUMonitor, cgroup_version
from .host import DefaultCPUMonitor
from .monitor import CPUMonitor, logger

if TYPE_CHECKING:
    import os

__all__ = ["cpu_percent_async", "get_cpu_monitor"]


def get_cpu_monitor(root: str | os.PathLike[str] = DEFAULT_CGROUP_ROOT) -> CPUMonitor:
    """Return a monitor for the cgroup under ``root`` (v2, then v1), else for the host.

    Raises:
        TypeError: ``root`` is not a str or ``os.PathLike``.

    """
    version = cgroup_version(root)
    if version == 2:
        v2 = CGroupV2CPUMonitor(root)
        if (v2.root / "cpu.stat").is_file():
            return v2
        logger.warning("cgroup v2 at %s has no cpu.stat; measuring the host's CPU load instead", v2.root)
    elif version == 1:
        v1 = CGroupV1CPUMonitor(root)
        if (v1.cpuacct_dir / "cpuacct.usage").is_file():
            return v1
        logger.warning("cgroup v1 at %s has no cpuacct.usage; measuring the host's CPU load instead", v1.root)
    return DefaultCPUMonitor()


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
