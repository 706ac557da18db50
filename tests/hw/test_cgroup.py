"""The cgroup monitors on fake trees: counts, quotas, NUM_CPUS, load, discarded deltas, bad files."""

from __future__ import annotations

import logging
import math

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from agentutils_hw import CGroupV1CPUMonitor, CGroupV2CPUMonitor, CPUUsageError

from .conftest import HOST_CPUS

WARN = (logging.WARNING, "agentutils.hw")


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if (r.levelno, r.name) == WARN]


# ---------------------------------------------------------------- counts
class TestV2Count:
    @pytest.mark.parametrize(
        ("cpu_max", "quota", "period"),
        [("150000 100000", 150000, 100000), ("50000 100000", 50000, 100000), ("25000 50000", 25000, 50000)],
    )
    def test_quota_over_period(self, tree, host_cpus, cpu_max, quota, period):
        tree.v2(cpu_max)
        assert CGroupV2CPUMonitor(tree.root).cpu_count() == quota / period

    @pytest.mark.parametrize("cpu_max", ["max 100000", "max", None])
    def test_no_limit_is_the_host_count(self, tree, host_cpus, caplog, cpu_max):
        tree.v2(cpu_max)
        assert CGroupV2CPUMonitor(tree.root).cpu_count() == host_cpus
        assert warnings_of(caplog) == []

    def test_quota_above_the_host_is_capped(self, tree, host_cpus):
        tree.v2(f"{(host_cpus + 4) * 100000} 100000")
        assert CGroupV2CPUMonitor(tree.root).cpu_count() == host_cpus

    @pytest.mark.parametrize(
        "cpu_max", ["abc 100000", "100000 0", "-5 100000", "0 100000", "1 2 3", "", "5 x"]
    )
    def test_malformed_cpu_max_warns_once_and_counts_the_host(self, tree, host_cpus, caplog, cpu_max):
        path = tree.write("cpu.max", cpu_max)
        tree.v2(cpu_max=None)
        monitor = CGroupV2CPUMonitor(tree.root)
        assert monitor.cpu_count() == host_cpus
        assert monitor.cpu_count() == host_cpus
        expected = "'max' or '<quota> <period>' (positive microseconds)"
        assert warnings_of(caplog) == [
            f"ignoring the CPU quota in {path}: expected {expected}, got {cpu_max!r}; using the host count"
        ]


class TestV1Count:
    def test_unset_quota_is_the_host_count_not_a_constant(self, tree, monkeypatch):
        tree.v1(quota="-1")
        monitor = CGroupV1CPUMonitor(tree.root)
        for host in (1, 3, 16):
            monkeypatch.setattr("os.cpu_count", lambda host=host: host)
            assert monitor.cpu_count() == host

    @pytest.mark.parametrize(("quota", "period"), [(50000, 100000), (250000, 100000), (100000, 100000)])
    def test_quota_over_period_including_fractions(self, tree, host_cpus, quota, period):
        tree.v1(quota=str(quota), period=str(period))
        assert CGroupV1CPUMonitor(tree.root).cpu_count() == quota / period

    def test_joint_cpu_cpuacct_folder(self, tree, host_cpus):
        tree.v1(quota="150000", joint=True)
        monitor = CGroupV1CPUMonitor(tree.root)
        assert monitor.cpu_dir == monitor.cpuacct_dir == tree.root / "cpu,cpuacct"
        assert monitor.cpu_count() == 1.5

    @pytest.mark.parametrize(("quota", "period"), [(None, "100000"), ("50000", None), (None, None)])
    def test_missing_quota_files_mean_no_limit(self, tree, host_cpus, caplog, quota, period):
        tree.v1(quota=quota, period=period)
        assert CGroupV1CPUMonitor(tree.root).cpu_count() == host_cpus
        assert warnings_of(caplog) == []

    @pytest.mark.parametrize(
        ("quota", "period", "bad_file", "bad", "expected"),
        [
            ("x", "100000", "cpu.cfs_quota_us", "x", "-1 or a positive number of microseconds"),
            ("0", "100000", "cpu.cfs_quota_us", "0", "-1 or a positive number of microseconds"),
            ("-7", "100000", "cpu.cfs_quota_us", "-7", "-1 or a positive number of microseconds"),
            ("50000", "0", "cpu.cfs_period_us", "0", "a positive number of microseconds"),
            ("50000", "1.5", "cpu.cfs_period_us", "1.5", "a positive number of microseconds"),
        ],
    )
    def test_malformed_quota_warns_once(
        self, tree, host_cpus, caplog, quota, period, bad_file, bad, expected
    ):
        tree.v1(quota=quota, period=period)
        monitor = CGroupV1CPUMonitor(tree.root)
        assert monitor.cpu_count() == host_cpus
        assert monitor.cpu_count() == host_cpus
        path = tree.root / "cpu" / bad_file
        assert warnings_of(caplog) == [
            f"ignoring the CPU quota in {path}: expected {expected}, got {bad!r}; using the host count"
        ]


@pytest.mark.parametrize("make", ["v1", "v2"])
class TestNumCpus:
    def build(self, tree, make):
        if make == "v1":
            return CGroupV1CPUMonitor(tree.v1(quota="50000").root)
        return CGroupV2CPUMonitor(tree.v2("50000 100000").root)

    @pytest.mark.parametrize("raw", ["3", "2.5", " 6 ", "64"])
    def test_overrides_the_quota(self, tree, host_cpus, monkeypatch, make, raw):
        monitor = self.build(tree, make)
        monkeypatch.setenv("NUM_CPUS", raw)
        assert monitor.cpu_count() == float(raw)

    @pytest.mark.parametrize("raw", ["abc", "0", "-1", "nan", "inf", "1e999"])
    def test_invalid_is_a_warning_not_a_crash(self, tree, host_cpus, monkeypatch, caplog, make, raw):
        monitor = self.build(tree, make)
        monkeypatch.setenv("NUM_CPUS", raw)
        assert monitor.cpu_count() == 0.5
        assert monitor.cpu_count() == 0.5
        assert warnings_of(caplog) == [
            f"ignoring NUM_CPUS={raw!r}: expected a positive number of CPUs; using the detected count"
        ]

    @pytest.mark.parametrize("raw", ["", "  "])
    def test_blank_is_unset(self, tree, host_cpus, monkeypatch, caplog, make, raw):
        monitor = self.build(tree, make)
        monkeypatch.setenv("NUM_CPUS", raw)
        assert monitor.cpu_count() == 0.5
        assert warnings_of(caplog) == []


# ---------------------------------------------------------------- load
def measure_v2(tree, clock, monitor, usage_usec, interval):
    clock.during_sleep = lambda: tree.set_usage_usec(usage_usec)
    return monitor.cpu_percent(interval)


class TestLoad:
    def test_v2_usage_over_elapsed_times_count(self, tree, clock):
        monitor = CGroupV2CPUMonitor(tree.v2("200000 100000", usage_usec=5_000_000).root)
        # 0.5 s of CPU over 1 s on 2 CPUs
        assert measure_v2(tree, clock, monitor, 5_500_000, 1.0) == pytest.approx(0.5 / (1.0 * 2))
        assert clock.sleeps == [1.0]

    def test_v1_usage_in_nanoseconds(self, tree, clock):
        tree.v1(quota="100000", usage_ns=10**9)
        monitor = CGroupV1CPUMonitor(tree.root)
        clock.during_sleep = lambda: tree.set_usage_ns(10**9 + 300_000_000)
        assert monitor.cpu_percent(0.5) == pytest.approx(0.3 / (0.5 * 1))

    def test_clamped_to_one(self, tree, clock):
        # a 0.5-CPU quota may burst above its share within a window; the load is at most 1
        monitor = CGroupV2CPUMonitor(tree.v2("50000 100000").root)
        assert measure_v2(tree, clock, monitor, 2_000_000, 1.0) == 1.0

    def test_counter_backwards_returns_the_last_valid_reading(self, tree, clock, caplog):
        monitor = CGroupV2CPUMonitor(tree.v2("100000 100000", usage_usec=1_000_000).root)
        first = measure_v2(tree, clock, monitor, 1_250_000, 1.0)
        assert first == pytest.approx(0.25)
        assert measure_v2(tree, clock, monitor, 900_000, 1.0) == first
        (message,) = warnings_of(caplog)
        assert message.startswith("discarding an impossible CPU usage delta of -0.350000 s over 1.000000 s")
        assert message.endswith("returning the last valid reading")

    def test_first_reading_discarded_is_zero(self, tree, clock, caplog):
        monitor = CGroupV2CPUMonitor(tree.v2(usage_usec=1_000_000).root)
        assert measure_v2(tree, clock, monitor, 0, 1.0) == 0.0
        assert len(warnings_of(caplog)) == 1

    def test_delta_beyond_elapsed_times_host_cpus_is_discarded(self, tree, clock, caplog):
        monitor = CGroupV2CPUMonitor(tree.v2().root)
        first = measure_v2(tree, clock, monitor, 500_000, 1.0)
        assert first == pytest.approx(0.5 / HOST_CPUS)
        # a torn read: 10 CPU-seconds in one second on a 4-CPU host
        assert measure_v2(tree, clock, monitor, 10_500_000, 1.0) == first
        assert "ceiling 4.080000 s" in warnings_of(caplog)[0]

    def test_not_discarded_for_read_skew(self, tree, clock, caplog):
        # the clock and the counter are read a moment apart: a saturated host may show a
        # little more than elapsed x CPUs (up to 20 ms per CPU)
        monitor = CGroupV2CPUMonitor(tree.v2().root)
        assert measure_v2(tree, clock, monitor, int((1.0 + 0.01) * HOST_CPUS * 1e6), 1.0) == 1.0
        assert warnings_of(caplog) == []

    async def test_async_uses_asyncio_sleep(self, tree, clock):
        monitor = CGroupV2CPUMonitor(tree.v2("100000 100000").root)
        clock.during_sleep = lambda: tree.set_usage_usec(200_000)
        assert await monitor.cpu_percent_async(0.4) == pytest.approx(0.2 / 0.4)
        assert clock.sleeps == [0.4]

    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
    @given(
        quota=st.one_of(st.none(), st.integers(1_000, 800_000)),
        steps=st.lists(
            st.tuples(st.integers(0, 20_000_000), st.floats(0.001, 5.0, allow_nan=False)),
            min_size=1,
            max_size=8,
        ),
    )
    def test_matches_the_rule(self, tree, clock, quota, steps):
        # The rule, written out: load = delta / (elapsed x count), clamped to 1, unless the
        # delta is negative or beyond (elapsed + 20 ms) x host CPUs: then the last valid one.
        tree.v2("max 100000" if quota is None else f"{quota} 100000", usage_usec=0)
        monitor = CGroupV2CPUMonitor(tree.root)
        count = HOST_CPUS if quota is None else min(quota / 100_000, HOST_CPUS)
        previous, last = 0, 0.0
        for usage, interval in steps:
            start = clock.now
            got = measure_v2(tree, clock, monitor, usage, interval)
            used, elapsed = usage / 1e6 - previous / 1e6, (start + interval) - start
            if 0 <= used <= (elapsed + 0.02) * HOST_CPUS:
                last = min(used / (elapsed * count), 1.0)
            assert got == pytest.approx(last, rel=1e-12, abs=0)
            assert 0.0 <= got <= 1.0
            previous = usage


# ---------------------------------------------------------------- bad counters and arguments
class TestUnreadableCounters:
    def test_v2_missing_cpu_stat(self, tree):
        tree.v2()
        tree.remove("cpu.stat")
        path = tree.root / "cpu.stat"
        with pytest.raises(
            CPUUsageError, match=f"cannot read the cgroup v2 CPU usage: {path} does not exist"
        ):
            CGroupV2CPUMonitor(tree.root).cpu_percent(0.01)

    @pytest.mark.parametrize("value", ["x", "-5", "1.5", "1 2"])
    def test_v2_malformed_usage(self, tree, value):
        tree.v2()
        tree.set_usage_usec(value)
        with pytest.raises(
            CPUUsageError, match=r"malformed .*cpu.stat: expected 'usage_usec <microseconds>', got"
        ):
            CGroupV2CPUMonitor(tree.root).usage_seconds()

    def test_v2_no_usage_line(self, tree):
        tree.v2()
        tree.write("cpu.stat", "user_usec 5\n")
        with pytest.raises(CPUUsageError, match="expected a 'usage_usec <microseconds>' line, found none"):
            CGroupV2CPUMonitor(tree.root).usage_seconds()

    def test_v1_missing_cpuacct_usage(self, tree):
        tree.v1()
        tree.remove("cpuacct/cpuacct.usage")
        with pytest.raises(
            CPUUsageError, match=r"cannot read the cgroup v1 CPU usage: .*cpuacct\.usage does not"
        ):
            CGroupV1CPUMonitor(tree.root).usage_seconds()

    @pytest.mark.parametrize("value", ["x", "-1", "", "1e9"])
    def test_v1_malformed_usage(self, tree, value):
        tree.v1()
        tree.set_usage_ns(value)
        with pytest.raises(CPUUsageError, match="expected a non-negative number of nanoseconds, got"):
            CGroupV1CPUMonitor(tree.root).usage_seconds()


@pytest.mark.parametrize("cls", [CGroupV1CPUMonitor, CGroupV2CPUMonitor])
class TestArguments:
    @pytest.mark.parametrize("root", [1, None, b"/sys"])
    def test_root_not_a_path(self, cls, root):
        with pytest.raises(TypeError, match=r"root must be a path \(str or os.PathLike\), got"):
            cls(root)

    @pytest.mark.parametrize(
        ("interval", "error", "message"),
        [
            (True, TypeError, "interval must be a number of seconds, got bool: True"),
            ("1", TypeError, "interval must be a number of seconds, got str: '1'"),
            (0, ValueError, "interval must be > 0 seconds, got 0"),
            (-1.0, ValueError, r"interval must be > 0 seconds, got -1.0"),
            (math.nan, ValueError, "interval must be a number of seconds, got nan"),
            (math.inf, ValueError, "interval must be a finite number of seconds > 0, got inf"),
        ],
    )
    async def test_bad_interval(self, tree, cls, interval, error, message):
        tree.v1()
        tree.v2()
        monitor = cls(tree.root)
        with pytest.raises(error, match=message):
            monitor.cpu_percent(interval)
        with pytest.raises(error, match=message):
            await monitor.cpu_percent_async(interval)

    def test_repr_names_the_root(self, tree, cls):
        assert repr(cls(tree.root)) == f"{cls.__name__}(root={str(tree.root)!r})"


# ---------------------------------------------------------------- hostile files
HUGE = "9" * 400  # an int() accepts it; a float cannot hold it (usage / 1e6 overflowed)
NOT_UTF8 = b"\xff\xfe\x00garbage"


class TestHostileFiles:
    """Files a broken or hostile cgroup mount could hold: never an exception other than ours."""

    @pytest.mark.parametrize(
        "cpu_max",
        [
            f"{HUGE} 100000",
            f"1 {HUGE}",
            "1_50000 100000",
            "١٥٠٠٠٠ 100000",
            "150000 100000 x",
            "+150000 100000",
        ],
    )
    def test_v2_quota_that_is_not_plain_decimal_is_malformed(self, tree, host_cpus, caplog, cpu_max):
        tree.v2(cpu_max)
        monitor = CGroupV2CPUMonitor(tree.root)
        assert monitor.cpu_count() == host_cpus
        (message,) = warnings_of(caplog)
        assert message.startswith(f"ignoring the CPU quota in {tree.root / 'cpu.max'}: expected 'max' or")

    @pytest.mark.parametrize(("quota", "period"), [(HUGE, "100000"), ("50000", HUGE), ("5_0000", "100000")])
    def test_v1_quota_that_is_not_plain_decimal_is_malformed(self, tree, host_cpus, caplog, quota, period):
        tree.v1(quota=quota, period=period)
        assert CGroupV1CPUMonitor(tree.root).cpu_count() == host_cpus
        (message,) = warnings_of(caplog)
        assert message.startswith("ignoring the CPU quota in ")

    def test_v2_quota_file_with_bytes_that_are_not_text(self, tree, host_cpus, caplog):
        tree.v2()
        (tree.root / "cpu.max").write_bytes(b"150000 100000\n" + NOT_UTF8)
        assert CGroupV2CPUMonitor(tree.root).cpu_count() == host_cpus
        (message,) = warnings_of(caplog)
        assert message.startswith("ignoring the CPU quota in ")

    @pytest.mark.parametrize("value", [HUGE, "1_000", "١٢٣"])
    def test_v2_usage_not_plain_decimal(self, tree, value):
        tree.v2()
        tree.set_usage_usec(value)
        with pytest.raises(
            CPUUsageError, match=r"malformed .*cpu\.stat: expected 'usage_usec <microseconds>'"
        ):
            CGroupV2CPUMonitor(tree.root).usage_seconds()

    @pytest.mark.parametrize("value", [HUGE, "1_000", "١٢٣"])
    def test_v1_usage_not_plain_decimal(self, tree, value):
        tree.v1()
        tree.set_usage_ns(value)
        with pytest.raises(CPUUsageError, match="expected a non-negative number of nanoseconds, got"):
            CGroupV1CPUMonitor(tree.root).usage_seconds()

    def test_v2_usage_with_bytes_that_are_not_text(self, tree):
        tree.v2()
        (tree.root / "cpu.stat").write_bytes(b"usage_usec 12" + NOT_UTF8 + b"\n")
        with pytest.raises(
            CPUUsageError, match=r"malformed .*cpu\.stat: expected 'usage_usec <microseconds>'"
        ):
            CGroupV2CPUMonitor(tree.root).usage_seconds()
        (tree.root / "cpu.stat").write_bytes(b"usage_usec 12\nuser_usec 5\n" + NOT_UTF8)  # trailing garbage
        assert CGroupV2CPUMonitor(tree.root).usage_seconds() == 12e-6

    def test_v1_usage_with_bytes_that_are_not_text(self, tree):
        tree.v1()
        (tree.root / "cpuacct" / "cpuacct.usage").write_bytes(b"12" + NOT_UTF8)
        with pytest.raises(CPUUsageError, match="expected a non-negative number of nanoseconds, got"):
            CGroupV1CPUMonitor(tree.root).usage_seconds()

    @pytest.mark.parametrize("error", [PermissionError(13, "Permission denied"), OSError(5, "I/O error")])
    def test_unreadable_files(self, tree, host_cpus, refuse_reading, caplog, error):
        tree.v2("50000 100000")
        tree.v1(quota="50000")
        refuse_reading("cpu.max", "cpu.stat", "cpu.cfs_quota_us", "cpuacct.usage", error=error)
        for cls in (CGroupV1CPUMonitor, CGroupV2CPUMonitor):
            monitor = cls(tree.root)
            assert monitor.cpu_count() == host_cpus  # an unreadable quota is no limit
            with pytest.raises(CPUUsageError, match="does not exist or is unreadable"):
                monitor.usage_seconds()
        assert warnings_of(caplog) == []


class TestLoadAlwaysInRange:
    @pytest.mark.parametrize("num_cpus", ["5e-324", "1e-300", "1e-30", "1e300"])
    def test_extreme_num_cpus(self, tree, clock, monkeypatch, num_cpus):
        monkeypatch.setenv("NUM_CPUS", num_cpus)
        monitor = CGroupV2CPUMonitor(tree.v2(usage_usec=0).root)
        assert monitor.cpu_count() == float(num_cpus)
        for usage in (0, 1, 250_000):
            load = measure_v2(tree, clock, monitor, usage, 0.25)  # elapsed x 5e-324 is 0.0
            assert 0.0 <= load <= 1.0
        # 0.249999 CPU-seconds over 0.25 s
        assert load == (1.0 if float(num_cpus) < 1 else pytest.approx(0.999996 / 1e300, rel=1e-9))

    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=80)
    @given(
        quota=st.integers(1, 10**20 - 1),
        period=st.integers(1, 10**20 - 1),
        steps=st.lists(
            st.tuples(st.integers(0, 2**64 - 1), st.floats(1e-9, 1e6, allow_nan=False)),
            min_size=1,
            max_size=6,
        ),
    )
    def test_any_kernel_numbers(self, tree, clock, quota, period, steps):
        # every quota, period and counter a u64 kernel file can hold: a load in 0..1, no exception
        tree.v2(f"{quota} {period}", usage_usec=0)
        monitor = CGroupV2CPUMonitor(tree.root)
        assert 0 < monitor.cpu_count() <= HOST_CPUS
        for usage, interval in steps:
            load = measure_v2(tree, clock, monitor, usage, interval)
            assert 0.0 <= load <= 1.0
