"""Fixtures of the hw tests: fake cgroup trees in tmp_path, a fake clock, a fixed host count."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

from agentutils_hw import monitor as monitor_module

HOST_CPUS = 4


@pytest.fixture(autouse=True)
def _fixed_host(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests start without NUM_CPUS, whatever the calling shell sets, and with no NUM_CPUS warning given."""
    monkeypatch.delenv("NUM_CPUS", raising=False)
    monkeypatch.setattr(monitor_module, "_warned_num_cpus", set())


@pytest.fixture
def host_cpus(monkeypatch: pytest.MonkeyPatch) -> int:
    """Make os.cpu_count() report HOST_CPUS for the test."""
    monkeypatch.setattr(os, "cpu_count", lambda: HOST_CPUS)
    return HOST_CPUS


class FakeClock:
    """Stands in for time.monotonic/time.sleep/asyncio.sleep in agentutils_hw.monitor.

    ``sleep`` advances the clock and then runs ``during_sleep`` (which rewrites a counter
    file), so a measurement sees exactly the counter delta and elapsed time a test chose.
    """

    def __init__(self) -> None:
        self.now = 1000.0
        self.during_sleep: Callable[[], None] | None = None
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        if self.during_sleep is not None:
            self.during_sleep()

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch, host_cpus: int) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(monitor_module, "time", SimpleNamespace(monotonic=fake.monotonic, sleep=fake.sleep))
    monkeypatch.setattr(monitor_module, "asyncio", SimpleNamespace(sleep=fake.async_sleep))
    return fake


class CGroupTree:
    """A fake cgroup filesystem under a temporary folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, relative: str, content: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
        return path

    def remove(self, relative: str) -> None:
        (self.root / relative).unlink()

    # v2
    def v2(self, cpu_max: str | None = "max 100000", usage_usec: int = 0) -> CGroupTree:
        self.write("cgroup.controllers", "cpuset cpu io memory pids\n")
        if cpu_max is not None:
            self.write("cpu.max", cpu_max + "\n")
        self.set_usage_usec(usage_usec)
        return self

    def set_usage_usec(self, value: int | str) -> None:
        self.write("cpu.stat", f"usage_usec {value}\nuser_usec 0\nsystem_usec 0\nnr_periods 0\n")

    # v1
    def v1(
        self, quota: str | None = "-1", period: str | None = "100000", usage_ns: int = 0, joint: bool = False
    ) -> CGroupTree:
        cpu, cpuacct = ("cpu,cpuacct", "cpu,cpuacct") if joint else ("cpu", "cpuacct")
        self.cpu_dir, self.cpuacct_dir = cpu, cpuacct
        (self.root / cpu).mkdir(parents=True, exist_ok=True)
        (self.root / cpuacct).mkdir(parents=True, exist_ok=True)
        if quota is not None:
            self.write(f"{cpu}/cpu.cfs_quota_us", quota + "\n")
        if period is not None:
            self.write(f"{cpu}/cpu.cfs_period_us", period + "\n")
        self.set_usage_ns(usage_ns)
        return self

    def set_usage_ns(self, value: int | str) -> None:
        self.write(f"{self.cpuacct_dir}/cpuacct.usage", f"{value}\n")


@pytest.fixture
def tree(tmp_path: Path) -> CGroupTree:
    return CGroupTree(tmp_path / "cgroup")


@pytest.fixture
def refuse_reading(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Make reading the files of the given names fail with ``error`` (root reads every file,
    so a permission error is made, not set with chmod)."""

    def refuse(*names: str, error: OSError | None = None) -> None:
        real = Path.read_bytes
        failure = error if error is not None else PermissionError(13, "Permission denied")

        def read_bytes(path: Path) -> bytes:
            if path.name in names:
                raise failure
            return real(path)

        monkeypatch.setattr(Path, "read_bytes", read_bytes)

    return refuse
