"""Counter rates: 32- and 64-bit wraps are rates, resets and reboots are never spikes."""

from __future__ import annotations

from collectors.snmp.rates import RateTracker, counter_delta

M32 = 1 << 32
M64 = 1 << 64


def test_plain_increase() -> None:
    assert counter_delta(100, 350, 64, 10, None) == 250


def test_32bit_wrap_is_a_rate() -> None:
    assert counter_delta(M32 - 100, 50, 32, 10, None) == 150


def test_64bit_wrap_is_a_rate() -> None:
    assert counter_delta(M64 - 1000, 500, 64, 10, None) == 1500


def test_reset_to_small_is_no_spike() -> None:
    assert counter_delta(5_000_000_000, 12, 64, 60, None) is None
    assert counter_delta(1_000_000_000, 12, 32, 60, None) is None


def test_wrap_faster_than_the_link_is_a_reset() -> None:
    # wrapped advance of ~1.3e9 bytes in 1 s is over a 1 Gbit/s (125 MB/s) link's limit
    assert counter_delta(3_000_000_000, 10, 32, 1.0, 125e6) is None
    assert counter_delta(M32 - 1000, 10, 32, 1.0, 125e6) == 1010


def test_tracker_first_poll_has_no_rate_then_rates() -> None:
    t = RateTracker()
    assert t.rate("d", "s", 1000, 0.0) is None
    assert t.rate("d", "s", 2000, 10.0) == 100.0


def test_tracker_wrap_32() -> None:
    t = RateTracker()
    t.rate("d", "s", M32 - 500, 0.0, bits=32)
    assert t.rate("d", "s", 500, 10.0, bits=32) == 100.0


def test_tracker_reboot_drops_state_no_spike() -> None:
    t = RateTracker()
    t.observe_uptime("d", 1000.0)
    t.rate("d", "s", 10_000_000, 0.0, bits=32)
    assert t.observe_uptime("d", 5.0) is True  # sysUpTime went backwards: a reboot
    # after a reboot the counter restarted near 0 (and near M32 it could look like a wrap)
    assert t.rate("d", "s", 3_000, 60.0, bits=32) is None
    assert t.rate("d", "s", 9_000, 120.0, bits=32) == 100.0


def test_tracker_counter_reset_without_reboot_no_spike() -> None:
    t = RateTracker()
    t.rate("d", "s", 9_000_000_000, 0.0)
    assert t.rate("d", "s", 100, 60.0) is None
    assert t.rate("d", "s", 700, 120.0) == 10.0


def test_tracker_same_time_no_rate_and_devices_are_separate() -> None:
    t = RateTracker()
    t.rate("a", "s", 1, 5.0)
    assert t.rate("a", "s", 2, 5.0) is None
    assert t.rate("b", "s", 2, 6.0) is None


def test_forget_keeps_only_live_series() -> None:
    t = RateTracker()
    t.rate("d", "gone", 1, 0.0)
    t.rate("d", "kept", 1, 0.0)
    t.forget("d", {"kept"})
    assert t.rate("d", "gone", 5, 1.0) is None
    assert t.rate("d", "kept", 5, 1.0) == 4.0
