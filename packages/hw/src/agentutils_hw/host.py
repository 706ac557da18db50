"""``DefaultCPUMonitor``: the whole machine's CPU count and load, outside any cgroup limit.

The usage counter comes from psutil when it is installed (``agentutils-hw[psutil]``,
which works on every platform), else from the first line of ``/proc/stat`` (Linux).
"""

from __future__ import annotations

import importlib.util
import os
from typing import TYPE_CHECKING, Literal

from .cgroup import check_path, parse_kernel_int
from .monitor import CPUMonitor, CPUUsageError, cpu_count_from_env, host_cpu_count

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["DefaultCPUMonitor", "HostBackend"]

HostBackend = Literal["auto", "psutil", "procfs"]
"""Where the host monitor reads CPU time: psutil, ``/proc/stat``, or psutil when installed."""

_BACKENDS = ("auto", "psutil", "procfs")


def _clock_ticks() -> int:
    try:
        return os.sysconf("SC_CLK_TCK")
    except (AttributeError, ValueError, OSError):  # not a POSIX system
        return 100


def _psutil_busy_seconds() -> float:
    import psutil

    times = psutil.cpu_times()
    idle = sum(getattr(times, name, 0.0) for name in ("idle", "iowait"))
    # On Linux guest time is already counted in user and nice: not twice.
    counted_twice = sum(getattr(times, name, 0.0) for name in ("guest", "guest_nice"))
    return float(sum(times)) - idle - counted_twice


def _parse_proc_stat(path: Path, content: str) -> float:
    """Busy CPU seconds from ``/proc/stat``'s ``cpu`` line (all but idle and iowait, guests excluded)."""
    line = content.split("\n", 1)[0]
    fields = line.split()
    expected = "a first line 'cpu <user> <nice> <system> <idle> ...' of non-negative integers"
    if len(fields) < 5 or fields[0] != "cpu":
        raise CPUUsageError(f"malformed {path}: expected {expected}, got {line!r}")
    parsed = [parse_kernel_int(field) for field in fields[1:9]]  # user .. steal; guests are in user/nice
    ticks = [tick for tick in parsed if tick is not None and tick >= 0]
    if len(ticks) != len(parsed):
        raise CPUUsageError(f"malformed {path}: expected {expected}, got {line!r}")
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)
    return (sum(ticks) - idle) / _clock_ticks()


class DefaultCPUMonitor(CPUMonitor):
    """The host's CPU count (``NUM_CPUS`` when set) and load, through psutil or ``/proc/stat``.

    Args:
        backend: ``"psutil"``, ``"procfs"`` (``/proc/stat``), or ``"auto"``: psutil when it
            is installed, else ``/proc/stat``.
        proc_stat: the ``/proc/stat`` file to read (for the ``procfs`` backend).

    Raises:
        TypeError: ``backend`` is not a str, or ``proc_stat`` is not a path.
        ValueError: ``backend`` is not one of ``"auto"``, ``"psutil"``, ``"procfs"``.
        ModuleNotFoundError: ``backend="psutil"`` and psutil is not installed.

    """

    def __init__(
        self, *, backend: HostBackend = "auto", proc_stat: str | os.PathLike[str] = "/proc/stat"
    ) -> None:
        super().__init__()
        if not isinstance(backend, str):
            raise TypeError(f"backend must be 'auto', 'psutil' or 'procfs', got {type(backend).__name__}")
        if backend not in _BACKENDS:
            raise ValueError(f"backend must be 'auto', 'psutil' or 'procfs', got {backend!r}")
        self._proc_stat = check_path(proc_stat, "proc_stat")
        has_psutil = importlib.util.find_spec("psutil") is not None
        if backend == "psutil" and not has_psutil:
            raise ModuleNotFoundError(
                "the 'psutil' backend needs psutil: pip install 'agentutils-hw[psutil]'", name="psutil"
            )
        self._backend: Literal["psutil", "procfs"] = (
            "psutil" if backend == "psutil" or (backend == "auto" and has_psutil) else "procfs"
        )

    @property
    def backend(self) -> Literal["psutil", "procfs"]:
        """Where CPU time is read: ``"psutil"`` or ``"procfs"``."""
        return self._backend

    def __repr__(self) -> str:
        return f"DefaultCPUMonitor(backend={self._backend!r})"

    def cpu_count(self) -> float:
        """Return ``NUM_CPUS`` when set, else the host's logical CPU count."""
        override = cpu_count_from_env()
        return float(host_cpu_count()) if override is None else override

    def usage_seconds(self) -> float:
        """Return the busy CPU time of the whole machine since boot, in seconds.

        Raises:
            CPUUsageError: the ``procfs`` backend cannot read or parse ``/proc/stat``.

        """
        if self._backend == "psutil":
            return _psutil_busy_seconds()
        try:
            content = self._proc_stat.read_bytes().decode("utf-8", errors="replace")
        except OSError as exc:
            raise CPUUsageError(
                f"cannot read the host CPU usage from {self._proc_stat} ({type(exc).__name__}); "
                "install psutil (pip install 'agentutils-hw[psutil]') on systems without /proc"
            ) from exc
        return _parse_proc_stat(self._proc_stat, content)
