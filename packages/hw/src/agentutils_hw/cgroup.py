"""CPU monitors of a Linux control group: ``CGroupV2CPUMonitor`` and ``CGroupV1CPUMonitor``.

Both read every file under ``root`` (``/sys/fs/cgroup`` by default, what a container
sees of its own cgroup), so a fake tree in a temporary folder works the same:

- v2: ``cpu.max`` (``"<quota> <period>"`` in microseconds, or ``"max <period>"`` for no
  limit) and ``cpu.stat`` (``usage_usec``);
- v1: ``cpu/cpu.cfs_quota_us`` (``-1`` for no limit), ``cpu/cpu.cfs_period_us`` and
  ``cpuacct/cpuacct.usage`` (nanoseconds); the folders may also be the joint
  ``cpu,cpuacct`` or ``cpuacct,cpu``.

The CPU count is ``NUM_CPUS`` when set, else the quota divided by the period, capped at
the host's count (a quota above what the machine has cannot be used); no limit (or no
quota file) means the host's count. A malformed quota is logged once and read as no limit.

Numbers are what the kernel writes: plain ASCII decimals of at most 20 digits (a u64).
Anything else (``1_000``, other scripts' digits, a 400-digit number no float can hold,
bytes that are not text) is malformed; a file that cannot be read for any reason
(permissions, I/O) counts as absent.
"""

from __future__ import annotations

import os
import re
from abc import abstractmethod
from pathlib import Path
from typing import Literal

from .monitor import CPUMonitor, CPUUsageError, cpu_count_from_env, host_cpu_count, logger

__all__ = ["DEFAULT_CGROUP_ROOT", "CGroupV1CPUMonitor", "CGroupV2CPUMonitor", "cgroup_version"]

DEFAULT_CGROUP_ROOT = "/sys/fs/cgroup"
"""Where Linux mounts the cgroup filesystem (a container's own cgroup, under a namespace)."""

# A kernel counter or setting: an optional minus (v1's -1) and at most 20 digits (u64).
_KERNEL_INT = re.compile(r"-?[0-9]{1,20}")

_V1_CPU_DIRS = ("cpu", "cpu,cpuacct", "cpuacct,cpu")
_V1_CPUACCT_DIRS = ("cpuacct", "cpu,cpuacct", "cpuacct,cpu")


def check_path(value: object, name: str = "root") -> Path:
    """Return ``value`` as a ``Path``; raise ``TypeError`` unless it is a str or ``os.PathLike``."""
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{name} must be a path (str or os.PathLike), got {type(value).__name__}: {value!r}")
    return Path(value)


def read_kernel_text(path: Path) -> str | None:
    """The stripped content of ``path``, or None when it does not exist or cannot be read.

    Bytes that are not UTF-8 are replaced (U+FFFD), so they reach the parser as malformed
    content instead of raising ``UnicodeDecodeError``.
    """
    try:
        data = path.read_bytes()
    except OSError:  # missing, a folder, permissions, I/O: the file is not there for us
        return None
    return data.decode("utf-8", errors="replace").strip()


def cgroup_version(root: str | os.PathLike[str] = DEFAULT_CGROUP_ROOT) -> Literal[1, 2] | None:
    """Return the cgroup version mounted at ``root``: 2, 1, or None when there is none.

    ``cgroup.controllers`` or ``cpu.max`` means v2; a ``cpu`` or ``cpuacct`` folder (or a
    joint ``cpu,cpuacct``) means v1. A hybrid host, whose v2 hierarchy is mounted at
    ``root/unified``, is v1 here: its CPU controllers are the v1 ones.

    Raises:
        TypeError: ``root`` is not a str or ``os.PathLike``.

    """
    path = check_path(root)
    # os.path's exists/isdir: False on any OSError; Path's raise EACCES before Python 3.13.
    if os.path.exists(path / "cgroup.controllers") or os.path.exists(path / "cpu.max"):
        return 2
    if any(os.path.isdir(path / name) for name in (*_V1_CPU_DIRS, "cpuacct")):
        return 1
    return None


def _first_dir(root: Path, names: tuple[str, ...]) -> Path:
    for name in names:
        if os.path.isdir(root / name):
            return root / name
    return root / names[0]


class _CGroupMonitor(CPUMonitor):
    """What both versions share: the root, the count rule, one warning per malformed quota."""

    def __init__(self, root: str | os.PathLike[str] = DEFAULT_CGROUP_ROOT) -> None:
        super().__init__()
        self._root = check_path(root)
        self._warned: set[str] = set()

    @property
    def root(self) -> Path:
        """The folder the cgroup files are read from."""
        return self._root

    def __repr__(self) -> str:
        return f"{type(self).__name__}(root={str(self._root)!r})"

    def cpu_count(self) -> float:
        """Return ``NUM_CPUS``, else the quota / period capped at the host count, else the host count."""
        override = cpu_count_from_env()
        if override is not None:
            return override
        host = host_cpu_count()
        quota = self.quota_cpus()
        return float(host) if quota is None else min(quota, float(host))

    @abstractmethod
    def quota_cpus(self) -> float | None:
        """Return the quota in CPUs (quota / period), or None when there is no limit."""

    def _malformed(self, path: Path, content: str, expected: str) -> None:
        key = f"{path}\0{content}"
        if key not in self._warned:
            self._warned.add(key)
            logger.warning(
                "ignoring the CPU quota in %s: expected %s, got %r; using the host count",
                path,
                expected,
                content,
            )


def parse_kernel_int(text: str) -> int | None:
    """``text`` as an int when it is a kernel number (ASCII, ``-?[0-9]{1,20}``), else None."""
    return int(text) if _KERNEL_INT.fullmatch(text) else None


class CGroupV2CPUMonitor(_CGroupMonitor):
    """CPU count and load of a cgroup v2 (``cpu.max``, ``cpu.stat``) under ``root``."""

    def quota_cpus(self) -> float | None:
        """Return ``cpu.max``'s quota / period in CPUs, or None for ``max``, no file, or malformed."""
        path = self._root / "cpu.max"
        content = read_kernel_text(path)
        if content is None:
            return None  # the root cgroup has no cpu.max: no limit
        fields = content.split()
        expected = "'max' or '<quota> <period>' (positive microseconds)"
        if not 1 <= len(fields) <= 2:
            self._malformed(path, content, expected)
            return None
        period = parse_kernel_int(fields[1]) if len(fields) == 2 else 100_000
        if period is None or period <= 0:
            self._malformed(path, content, expected)
            return None
        if fields[0] == "max":
            return None
        quota = parse_kernel_int(fields[0])
        if quota is None or quota <= 0:
            self._malformed(path, content, expected)
            return None
        return quota / period

    def usage_seconds(self) -> float:
        """Return ``usage_usec`` of ``cpu.stat`` in seconds.

        Raises:
            CPUUsageError: ``cpu.stat`` is missing, has no ``usage_usec`` line, or its value
                is not a non-negative integer.

        """
        path = self._root / "cpu.stat"
        content = read_kernel_text(path)
        if content is None:
            raise CPUUsageError(
                f"cannot read the cgroup v2 CPU usage: {path} does not exist or is unreadable"
            )
        for line in content.splitlines():
            fields = line.split()
            if fields and fields[0] == "usage_usec":
                value = parse_kernel_int(fields[1]) if len(fields) == 2 else None
                if value is None or value < 0:
                    raise CPUUsageError(
                        f"malformed {path}: expected 'usage_usec <microseconds>', got {line!r}"
                    )
                return value / 1_000_000
        raise CPUUsageError(f"malformed {path}: expected a 'usage_usec <microseconds>' line, found none")


class CGroupV1CPUMonitor(_CGroupMonitor):
    """CPU count and load of a cgroup v1 (``cpu`` and ``cpuacct`` controllers) under ``root``."""

    @property
    def cpu_dir(self) -> Path:
        """The ``cpu`` controller's folder (``cpu``, or a joint ``cpu,cpuacct``)."""
        return _first_dir(self._root, _V1_CPU_DIRS)

    @property
    def cpuacct_dir(self) -> Path:
        """The ``cpuacct`` controller's folder (``cpuacct``, or a joint ``cpu,cpuacct``)."""
        return _first_dir(self._root, _V1_CPUACCT_DIRS)

    def quota_cpus(self) -> float | None:
        """Return ``cfs_quota_us / cfs_period_us`` in CPUs, or None when unset (-1), absent or malformed."""
        folder = self.cpu_dir
        quota_path, period_path = folder / "cpu.cfs_quota_us", folder / "cpu.cfs_period_us"
        quota_text, period_text = read_kernel_text(quota_path), read_kernel_text(period_path)
        if quota_text is None or period_text is None:
            return None  # a kernel without CFS bandwidth control: no limit
        quota, period = parse_kernel_int(quota_text), parse_kernel_int(period_text)
        if quota == -1:
            return None
        if quota is None or quota <= 0:
            self._malformed(quota_path, quota_text, "-1 or a positive number of microseconds")
            return None
        if period is None or period <= 0:
            self._malformed(period_path, period_text, "a positive number of microseconds")
            return None
        return quota / period

    def usage_seconds(self) -> float:
        """Return ``cpuacct.usage`` in seconds.

        Raises:
            CPUUsageError: ``cpuacct.usage`` is missing or not a non-negative integer.

        """
        path = self.cpuacct_dir / "cpuacct.usage"
        content = read_kernel_text(path)
        if content is None:
            raise CPUUsageError(
                f"cannot read the cgroup v1 CPU usage: {path} does not exist or is unreadable"
            )
        value = parse_kernel_int(content)
        if value is None or value < 0:
            raise CPUUsageError(
                f"malformed {path}: expected a non-negative number of nanoseconds, got {content!r}"
            )
        return value / 1_000_000_000
