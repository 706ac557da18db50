"""agentutils-hw.

CPU count and load that understand containers (cgroup v1 and v2), for realtime agents::

    from agentutils_hw import get_cpu_monitor

    monitor = get_cpu_monitor()  # cgroup v2, cgroup v1, or the host
    monitor.cpu_count()  # 1.5 under a 150000/100000 quota; NUM_CPUS overrides
    monitor.cpu_percent(0.5)  # load over the next half second, 0..1

Importing this package does not import psutil (the host monitor imports it when used).
"""

from __future__ import annotations

from .__about__ import __version__
from .cgroup import DEFAULT_CGROUP_ROOT, CGroupV1CPUMonitor, CGroupV2CPUMonitor, cgroup_version
from .detect import cpu_percent_async, get_cpu_monitor
from .host import DefaultCPUMonitor, HostBackend
from .monitor import NUM_CPUS_ENV_VAR, CPUMonitor, CPUUsageError, host_cpu_count

__all__ = [
    "DEFAULT_CGROUP_ROOT",
    "NUM_CPUS_ENV_VAR",
    "CGroupV1CPUMonitor",
    "CGroupV2CPUMonitor",
    "CPUMonitor",
    "CPUUsageError",
    "DefaultCPUMonitor",
    "HostBackend",
    "__version__",
    "cgroup_version",
    "cpu_percent_async",
    "get_cpu_monitor",
    "host_cpu_count",
]
