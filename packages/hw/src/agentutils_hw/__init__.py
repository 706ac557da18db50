"""agentutils-hw.

CPU count and load that understand containers (cgroup v1 and v2), for realtime agents::

    from agentutils_hw import get_cpu_monitor

    monitor = get_cpu_monitor()  # cgroup v2, cgroup v1, or the host
    monitor.cpu_count()  # 1.5 under a 150000/100000 quota; NUM_CPUS overrides
    monitor.cpu_percent(0.5)  # load over the next half second, 0..1

Names are resolved lazily; importing this package never imports psutil (the host
monitor imports it when it reads CPU time).
"""

from __future__ import annotations

from agentutils_core.lazy import exports

from .__about__ import __version__ as __version__

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs ~15 ms
if TYPE_CHECKING:
    from .cgroup import (
        DEFAULT_CGROUP_ROOT as DEFAULT_CGROUP_ROOT,
        CGroupV1CPUMonitor as CGroupV1CPUMonitor,
        CGroupV2CPUMonitor as CGroupV2CPUMonitor,
        cgroup_version as cgroup_version,
    )
    from .detect import cpu_percent_async as cpu_percent_async, get_cpu_monitor as get_cpu_monitor
    from .host import DefaultCPUMonitor as DefaultCPUMonitor, HostBackend as HostBackend
    from .monitor import (
        NUM_CPUS_ENV_VAR as NUM_CPUS_ENV_VAR,
        CPUMonitor as CPUMonitor,
        CPUUsageError as CPUUsageError,
        host_cpu_count as host_cpu_count,
    )

# The public names, each imported from its module on first use: the one table from which
# __all__ and the lazy lookups follow (tests/integration/test_exports.py checks the imports above).
_EXPORTS = {
    "DEFAULT_CGROUP_ROOT": ".cgroup:DEFAULT_CGROUP_ROOT",
    "CGroupV1CPUMonitor": ".cgroup:CGroupV1CPUMonitor",
    "CGroupV2CPUMonitor": ".cgroup:CGroupV2CPUMonitor",
    "cgroup_version": ".cgroup:cgroup_version",
    "cpu_percent_async": ".detect:cpu_percent_async",
    "get_cpu_monitor": ".detect:get_cpu_monitor",
    "DefaultCPUMonitor": ".host:DefaultCPUMonitor",
    "HostBackend": ".host:HostBackend",
    "NUM_CPUS_ENV_VAR": ".monitor:NUM_CPUS_ENV_VAR",
    "CPUMonitor": ".monitor:CPUMonitor",
    "CPUUsageError": ".monitor:CPUUsageError",
    "host_cpu_count": ".monitor:host_cpu_count",
}

__all__ = exports(__name__, globals(), _EXPORTS)
