"""get_cpu_monitor on fake trees and on this machine's real cgroups; cpu_percent_async."""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path

import pytest

import agentutils_hw
from agentutils_hw import (
    CGroupV1CPUMonitor,
    CGroupV2CPUMonitor,
    CPUMonitor,
    DefaultCPUMonitor,
    cgroup_version,
    cpu_percent_async,
    get_cpu_monitor,
    monitor as monitor_module,
)


class TestDetection:
    def test_v2(self, tree):
        tree.v2()
        assert cgroup_version(tree.root) == 2
        monitor = get_cpu_monitor(tree.root)
        assert type(monitor) is CGroupV2CPUMonitor
        assert monitor.root == tree.root

    def test_v2_by_cpu_max_alone(self, tree):
        tree.write("cpu.max", "max 100000")
        tree.set_usage_usec(0)
        assert type(get_cpu_monitor(str(tree.root))) is CGroupV2CPUMonitor

    @pytest.mark.parametrize("joint", [False, True])
    def test_v1(self, tree, joint):
        tree.v1(joint=joint)
        assert cgroup_version(tree.root) == 1
        assert type(get_cpu_monitor(tree.root)) is CGroupV1CPUMonitor

    def test_hybrid_host_is_v1(self, tree):
        # systemd's hybrid layout: the v2 hierarchy (no controllers) at root/unified
        tree.v1()
        tree.write("unified/cgroup.controllers", "")
        tree.write("unified/cpu.stat", "usage_usec 5\n")
        assert type(get_cpu_monitor(tree.root)) is CGroupV1CPUMonitor

    def test_nothing_is_the_host(self, tmp_path, caplog):
        assert cgroup_version(tmp_path) is None
        assert type(get_cpu_monitor(tmp_path)) is DefaultCPUMonitor
        assert type(get_cpu_monitor(tmp_path / "missing")) is DefaultCPUMonitor
        assert caplog.records == []

    def test_v2_without_cpu_stat_falls_back_with_a_warning(self, tree, caplog):
        tree.v2()
        tree.remove("cpu.stat")
        with caplog.at_level(logging.WARNING, logger="agentutils.hw"):
            assert type(get_cpu_monitor(tree.root)) is DefaultCPUMonitor
        path = tree.root / "cpu.stat"
        assert caplog.messages == [
            f"cgroup v2 at {tree.root}: cannot read the cgroup v2 CPU usage: {path} does not exist or "
            "is unreadable; measuring the host's CPU load instead"
        ]

    def test_v1_without_cpuacct_usage_falls_back_with_a_warning(self, tree, caplog):
        tree.v1()
        tree.remove("cpuacct/cpuacct.usage")
        with caplog.at_level(logging.WARNING, logger="agentutils.hw"):
            assert type(get_cpu_monitor(tree.root)) is DefaultCPUMonitor
        path = tree.root / "cpuacct" / "cpuacct.usage"
        assert caplog.messages == [
            f"cgroup v1 at {tree.root}: cannot read the cgroup v1 CPU usage: {path} does not exist or "
            "is unreadable; measuring the host's CPU load instead"
        ]

    @pytest.mark.parametrize("version", [1, 2])
    def test_a_counter_that_cannot_be_read_falls_back_with_a_warning(
        self, tree, refuse_reading, caplog, version
    ):
        # the file is there, but reading it fails (permissions in a locked-down container):
        # the host's load, not a monitor that raises at every measurement
        tree.v1() if version == 1 else tree.v2()
        refuse_reading("cpuacct.usage" if version == 1 else "cpu.stat")
        with caplog.at_level(logging.WARNING, logger="agentutils.hw"):
            assert type(get_cpu_monitor(tree.root)) is DefaultCPUMonitor
        (message,) = caplog.messages
        assert message.startswith(
            f"cgroup v{version} at {tree.root}: cannot read the cgroup v{version} CPU usage"
        )
        assert message.endswith("is unreadable; measuring the host's CPU load instead")

    def test_a_malformed_counter_falls_back_with_a_warning(self, tree, caplog):
        tree.v2()
        tree.set_usage_usec("garbage")
        with caplog.at_level(logging.WARNING, logger="agentutils.hw"):
            assert type(get_cpu_monitor(tree.root)) is DefaultCPUMonitor
        (message,) = caplog.messages
        assert message.startswith(f"cgroup v2 at {tree.root}: malformed ")
        assert "'usage_usec garbage'" in message

    @pytest.mark.parametrize("root", [None, 5, b"/sys/fs/cgroup"])
    def test_root_not_a_path(self, root):
        with pytest.raises(TypeError, match=r"root must be a path \(str or os.PathLike\), got"):
            get_cpu_monitor(root)
        with pytest.raises(TypeError, match=r"root must be a path \(str or os.PathLike\), got"):
            cgroup_version(root)


class TestCpuPercentAsync:
    async def test_does_not_block_the_loop(self, tree, monkeypatch):
        monitor = CGroupV2CPUMonitor(tree.v2().root)

        def forbidden(seconds):
            raise AssertionError("time.sleep called in cpu_percent_async")

        monkeypatch.setattr(monitor_module.time, "sleep", forbidden)
        ticks = 0

        async def other_work():
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0)

        worker = asyncio.create_task(other_work())
        measuring = asyncio.create_task(cpu_percent_async(0.05, monitor=monitor))
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        assert not measuring.done()
        assert ticks > 0  # the loop ran other tasks while the measurement waited
        assert 0.0 <= await measuring <= 1.0
        worker.cancel()

    async def test_default_monitor_is_made_once(self, monkeypatch):
        made: list[CPUMonitor] = []

        class Counting(DefaultCPUMonitor):
            def __init__(self) -> None:
                super().__init__(backend="procfs")
                made.append(self)

            def usage_seconds(self) -> float:
                return 0.0

        monkeypatch.setattr(agentutils_hw.detect, "get_cpu_monitor", Counting)
        agentutils_hw.detect._default_monitor.cache_clear()
        try:
            assert await cpu_percent_async(0.001) == 0.0
            assert await cpu_percent_async(0.001) == 0.0
            assert len(made) == 1
        finally:
            agentutils_hw.detect._default_monitor.cache_clear()

    async def test_monitor_not_a_monitor(self):
        with pytest.raises(TypeError, match="monitor must be a CPUMonitor or None, got str"):
            await cpu_percent_async(0.01, monitor="host")  # type: ignore[arg-type]


class TestThisMachine:
    """The monitors on the real /sys/fs/cgroup and /proc of the machine running the tests."""

    def test_detected_monitor_measures(self):
        version = cgroup_version()
        monitor = get_cpu_monitor()
        expected = {2: CGroupV2CPUMonitor, 1: CGroupV1CPUMonitor, None: DefaultCPUMonitor}[version]
        assert type(monitor) in (expected, DefaultCPUMonitor)
        assert 0 < monitor.cpu_count() <= (os.cpu_count() or 1)
        assert 0.0 <= monitor.cpu_percent(0.05) <= 1.0

    async def test_async_measures(self):
        assert 0.0 <= await get_cpu_monitor().cpu_percent_async(0.05) <= 1.0

    def test_cgroup_counter_only_grows(self):
        monitor = get_cpu_monitor()
        if isinstance(monitor, DefaultCPUMonitor):
            pytest.skip("no readable cgroup here")
        first = monitor.usage_seconds()
        sum(range(200_000))  # some CPU work of our own, inside the cgroup
        assert monitor.usage_seconds() >= first > 0

    def test_v1_reads_the_real_files(self):
        root = Path("/sys/fs/cgroup")
        if cgroup_version(root) != 1:
            pytest.skip("not a cgroup v1 machine")
        monitor = CGroupV1CPUMonitor(root)
        quota_file = monitor.cpu_dir / "cpu.cfs_quota_us"
        if quota_file.exists():
            quota = int(quota_file.read_text())
            period = int((monitor.cpu_dir / "cpu.cfs_period_us").read_text())
            assert monitor.quota_cpus() == (None if quota == -1 else quota / period)
        usage = monitor.cpuacct_dir / "cpuacct.usage"
        before = int(usage.read_text()) / 1e9
        value = monitor.usage_seconds()
        after = int(usage.read_text()) / 1e9
        assert before <= value <= after

    def test_v2_reads_the_real_files(self):
        root = Path("/sys/fs/cgroup")
        if cgroup_version(root) != 2:
            pytest.skip("not a cgroup v2 machine")
        monitor = CGroupV2CPUMonitor(root)
        cpu_max = root / "cpu.max"
        if cpu_max.exists():
            quota, period = cpu_max.read_text().split()
            assert monitor.quota_cpus() == (None if quota == "max" else int(quota) / int(period))
        else:
            assert monitor.quota_cpus() is None

        def usage() -> float:
            line = next(
                x for x in (root / "cpu.stat").read_text().splitlines() if x.startswith("usage_usec ")
            )
            return int(line.split()[1]) / 1e6

        before = usage()
        value = monitor.usage_seconds()
        after = usage()
        assert before <= value <= after

    def test_host_monitor(self):
        if not os.path.exists("/proc/stat"):
            pytest.skip("no /proc/stat here")
        monitor = DefaultCPUMonitor(backend="procfs")
        assert monitor.usage_seconds() > 0
        assert 0.0 <= monitor.cpu_percent(0.05) <= 1.0


def test_a_cgroup_root_that_cannot_be_searched_is_the_host(tree, monkeypatch):
    # stat() under root fails with EACCES (a locked-down mount): Path.exists() and is_dir()
    # raise that on Python < 3.13, where get_cpu_monitor must still answer
    tree.v2()
    real_stat = os.stat

    def refuse(path, *args, **kwargs):
        if str(path).startswith(str(tree.root) + os.sep):
            raise PermissionError(13, "Permission denied", str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", refuse)
    assert cgroup_version(tree.root) is None
    assert type(get_cpu_monitor(tree.root)) is DefaultCPUMonitor
