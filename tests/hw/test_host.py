"""The host monitor: /proc/stat parsing on fake files, psutil, NUM_CPUS, backend selection, bad input."""

from __future__ import annotations

import importlib.util
import logging
import os

import pytest
from tests.conftest import require

from agentutils_hw import CPUUsageError, DefaultCPUMonitor

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def stat_line(user=0, nice=0, system=0, idle=0, iowait=0, irq=0, softirq=0, steal=0, guest=0, guest_nice=0):
    fields = (user, nice, system, idle, iowait, irq, softirq, steal, guest, guest_nice)
    return "cpu  " + " ".join(map(str, fields)) + "\ncpu0 1 2 3 4 5 6 7 8 9 10\nintr 1 2 3\n"


@pytest.fixture
def proc_stat(tmp_path):
    path = tmp_path / "stat"
    path.write_text(stat_line())
    return path


def procfs(proc_stat):
    return DefaultCPUMonitor(backend="procfs", proc_stat=proc_stat)


class TestProcStat:
    def test_busy_is_everything_but_idle_and_iowait_guests_not_twice(self, proc_stat):
        proc_stat.write_text(stat_line(100, 20, 30, 1000, 50, 5, 6, 7, guest=40, guest_nice=8))
        assert procfs(proc_stat).usage_seconds() == (100 + 20 + 30 + 5 + 6 + 7) / TICKS

    def test_old_kernel_with_four_fields(self, proc_stat):
        proc_stat.write_text("cpu 10 20 30 40\n")
        assert procfs(proc_stat).usage_seconds() == 60 / TICKS

    def test_load_from_ticks(self, proc_stat, clock):
        monitor = procfs(proc_stat)
        busy = int(0.8 * TICKS)  # 0.8 CPU-seconds in 1 s on the 4-CPU host
        clock.during_sleep = lambda: proc_stat.write_text(stat_line(user=busy, idle=4 * TICKS - busy))
        assert monitor.cpu_percent(1.0) == pytest.approx((busy / TICKS) / (1.0 * 4))

    @pytest.mark.parametrize(
        "content", ["", "intr 1 2 3\n", "cpu a b c d\n", "cpu 1 2 3\n", "cpu 1 2 -3 4\n", "cpu0 1 2 3 4\n"]
    )
    def test_malformed(self, proc_stat, content):
        proc_stat.write_text(content)
        first = content.split("\n")[0]
        with pytest.raises(
            CPUUsageError, match=rf"malformed .*stat: expected a first line 'cpu <user>.*got '{first}'"
        ):
            procfs(proc_stat).usage_seconds()

    def test_missing_file_names_the_extra(self, tmp_path):
        with pytest.raises(
            CPUUsageError, match=r"cannot read the host CPU usage from .*nope \(FileNotFoundError\)"
        ):
            procfs(tmp_path / "nope").cpu_percent(0.01)
        with pytest.raises(CPUUsageError, match=r"pip install 'agentutils-hw\[psutil\]'"):
            procfs(tmp_path / "nope").usage_seconds()


class TestCount:
    def test_host_count(self, proc_stat, host_cpus):
        assert procfs(proc_stat).cpu_count() == host_cpus

    def test_num_cpus(self, proc_stat, host_cpus, monkeypatch):
        monkeypatch.setenv("NUM_CPUS", "1.5")
        assert procfs(proc_stat).cpu_count() == 1.5

    def test_invalid_num_cpus(self, proc_stat, host_cpus, monkeypatch, caplog):
        monkeypatch.setenv("NUM_CPUS", "two")
        with caplog.at_level(logging.WARNING, logger="agentutils.hw"):
            assert procfs(proc_stat).cpu_count() == host_cpus
        assert "ignoring NUM_CPUS='two'" in caplog.text


class TestBackend:
    def test_auto_prefers_psutil(self):
        has_psutil = importlib.util.find_spec("psutil") is not None
        assert DefaultCPUMonitor().backend == ("psutil" if has_psutil else "procfs")
        assert repr(DefaultCPUMonitor(backend="procfs")) == "DefaultCPUMonitor(backend='procfs')"

    def test_psutil_agrees_with_proc_stat(self):
        require("psutil")
        if not os.path.exists("/proc/stat"):
            pytest.skip("no /proc/stat here")
        ours, theirs = DefaultCPUMonitor(backend="procfs"), DefaultCPUMonitor(backend="psutil")
        before = ours.usage_seconds()
        middle = theirs.usage_seconds()
        after = ours.usage_seconds()
        # psutil reads the same counters; rounding of the tick division differs by far less
        assert before - 1e-6 <= middle <= after + 1e-6

    def test_psutil_missing(self, monkeypatch):
        real = importlib.util.find_spec
        monkeypatch.setattr(
            importlib.util, "find_spec", lambda name, *a: None if name == "psutil" else real(name, *a)
        )
        with pytest.raises(
            ModuleNotFoundError, match=r"the 'psutil' backend needs psutil: pip install 'agentutils"
        ):
            DefaultCPUMonitor(backend="psutil")
        assert DefaultCPUMonitor().backend == "procfs"

    def test_backend_not_a_string(self):
        with pytest.raises(TypeError, match="backend must be 'auto', 'psutil' or 'procfs', got NoneType"):
            DefaultCPUMonitor(backend=None)  # type: ignore[arg-type]

    def test_unknown_backend(self):
        with pytest.raises(ValueError, match="backend must be 'auto', 'psutil' or 'procfs', got 'proc'"):
            DefaultCPUMonitor(backend="proc")  # type: ignore[arg-type]

    def test_proc_stat_not_a_path(self):
        with pytest.raises(TypeError, match=r"proc_stat must be a path \(str or os.PathLike\), got int: 3"):
            DefaultCPUMonitor(proc_stat=3)  # type: ignore[arg-type]


class TestHostileProcStat:
    @pytest.mark.parametrize("field", ["9" * 400, "1_000", "١٢", "+5"])
    def test_field_that_is_not_a_kernel_number(self, proc_stat, field):
        proc_stat.write_text(f"cpu 1 2 {field} 4\n")
        with pytest.raises(CPUUsageError, match=r"malformed .*stat: expected a first line 'cpu <user>"):
            procfs(proc_stat).usage_seconds()

    def test_bytes_that_are_not_text(self, proc_stat):
        proc_stat.write_bytes(b"cpu 1 2 \xff 4\n")
        with pytest.raises(CPUUsageError, match=r"malformed .*stat: expected a first line 'cpu <user>"):
            procfs(proc_stat).usage_seconds()
        proc_stat.write_bytes(stat_line(user=3 * TICKS).encode() + b"\xff\xfe trailing garbage\n")
        assert procfs(proc_stat).usage_seconds() == 3
