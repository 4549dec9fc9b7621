"""The state machine of one alert: for, hysteresis, absence, all-of, rates, value labels."""

from __future__ import annotations

from datetime import timedelta

from alerting.alert import AlertState
from alerting.engine import AlertEngine
from alerting.rule_loader import load_rules
from noc.model import Sample
from tests.alerting.support import T0


def engine() -> AlertEngine:
    return AlertEngine(load_rules())


def s(engine: AlertEngine, seconds: float, metric: str, value: float, **labels: str) -> list[str]:
    ts = T0 + timedelta(seconds=seconds)
    labels = {"device": "core-1", **labels}
    moves = engine.observe_samples([Sample(metric=metric, labels=labels, value=value, ts=ts)])
    return [f"{t.alert.key}:{t.old.value}->{t.new.value}" for t in moves]


def tick(engine: AlertEngine, seconds: float) -> list[str]:
    moves = engine.tick(T0 + timedelta(seconds=seconds))
    return [f"{t.alert.key}:{t.old.value}->{t.new.value}" for t in moves]


KEY = "link_utilization_high/interface:core-1:Te1"


def test_utilization_pends_fires_after_for_and_clears_below_the_clear_threshold() -> None:
    e = engine()
    assert s(e, 0, "if_in_utilization_ratio", 0.8, interface="Te1") == [f"{KEY}:inactive->pending"]
    assert e.next_deadline() == T0 + timedelta(minutes=15)
    assert tick(e, 899) == []
    assert tick(e, 900) == [f"{KEY}:pending->firing"]
    assert s(e, 960, "if_in_utilization_ratio", 0.68, interface="Te1") == []  # hysteresis
    assert s(e, 1020, "if_in_utilization_ratio", 0.60, interface="Te1") == [
        f"{KEY}:firing->resolved"
    ]
    assert s(e, 1080, "if_in_utilization_ratio", 0.68, interface="Te1") == []  # not above 0.70


def test_a_dip_during_pending_starts_the_wait_again() -> None:
    e = engine()
    s(e, 0, "if_in_utilization_ratio", 0.8, interface="Te1")
    assert s(e, 300, "if_in_utilization_ratio", 0.5, interface="Te1") == [
        f"{KEY}:pending->inactive"
    ]
    s(e, 360, "if_in_utilization_ratio", 0.9, interface="Te1")
    assert tick(e, 900) == []
    assert tick(e, 360 + 900) == [f"{KEY}:pending->firing"]


def test_absence_fires_when_a_seen_series_stops() -> None:
    e = engine()
    s(e, 0, "noc_collect_up", 1)
    assert tick(e, 599) == []
    assert tick(e, 600) == ["collection_silent/device:core-1:inactive->firing"]
    assert s(e, 700, "noc_collect_up", 1) == ["collection_silent/device:core-1:firing->resolved"]


def test_any_of_two_thresholds_ups_charge_or_runtime() -> None:
    e = engine()
    assert s(e, 0, "ups_battery_runtime_seconds", 600, device="ups-1") == [
        "ups_battery_low/device:ups-1:inactive->firing"
    ]
    assert s(e, 1, "ups_battery_charge_ratio", 0.9, device="ups-1") == []
    assert s(e, 2, "ups_battery_runtime_seconds", 1300, device="ups-1") == [
        "ups_battery_low/device:ups-1:firing->resolved"
    ]


def test_all_of_across_devices_of_one_site_for_the_genset() -> None:
    e = engine()
    s(e, 0, "genset_running", 0, device="gen-1", site="dc")
    assert e.alerts() == []
    assert s(e, 5, "ups_output_source", 3, device="ups-1", site="dc", state="battery") == [
        "ups_on_battery/device:ups-1:inactive->firing",
        "genset_not_started/site:dc:inactive->pending",
    ]
    assert tick(e, 65) == ["genset_not_started/site:dc:pending->firing"]


def test_genset_starting_in_time_is_no_alert() -> None:
    e = engine()
    s(e, 0, "genset_running", 0, device="gen-1", site="dc")
    s(e, 5, "ups_output_source", 3, device="ups-1", site="dc", state="battery")
    assert s(e, 30, "genset_running", 1, device="gen-1", site="dc") == [
        "genset_not_started/site:dc:pending->inactive"
    ]
    assert tick(e, 120) == []


def test_counter_rate_for_interface_errors() -> None:
    e = engine()
    key = "interface_errors/interface:core-1:Te1"
    assert s(e, 0, "if_in_errors_total", 100, interface="Te1") == []
    assert s(e, 60, "if_in_errors_total", 700, interface="Te1") == [f"{key}:inactive->pending"]
    assert s(e, 120, "if_in_errors_total", 50, interface="Te1") == []  # counter reset: no rate
    assert s(e, 180, "if_in_errors_total", 51, interface="Te1") == [f"{key}:pending->inactive"]


def test_optical_rx_compares_with_the_modules_own_threshold_label() -> None:
    e = engine()
    assert s(e, 0, "optic_rx_power_dbm", -15.0, interface="Te1") == []  # no threshold known yet
    assert s(e, 1, "optic_rx_power_low_warning_dbm", -14.0, interface="Te1") == []
    assert s(e, 2, "optic_rx_power_dbm", -10.0, interface="Te1") == []
    assert s(e, 3, "optic_rx_power_dbm", -15.2, interface="Te1") == [
        "optical_rx_low/interface:core-1:Te1:inactive->pending"
    ]


def test_temperature_outside_18_to_27_for_ten_minutes() -> None:
    e = engine()
    key = "room_temperature_out_of_range/device:env-1"
    assert s(e, 0, "env_temperature_celsius", 28.0, device="env-1") == [f"{key}:inactive->pending"]
    assert tick(e, 600) == [f"{key}:pending->firing"]
    assert s(e, 700, "env_temperature_celsius", 26.8, device="env-1") == []  # clear is 26.5
    assert s(e, 760, "env_temperature_celsius", 26.0, device="env-1") == [f"{key}:firing->resolved"]
    alert = e.alert(key)
    assert alert is not None and alert.state is AlertState.resolved
    assert alert.summary["id"].startswith("Suhu ruang env-1")


def test_one_alert_per_rule_and_object_whatever_the_series() -> None:
    e = engine()
    s(e, 0, "env_water_leak", 1, device="env-1", zone="a")
    s(e, 1, "env_water_leak", 1, device="env-1", zone="b")
    assert [a.key for a in e.alerts()] == ["water_leak/device:env-1"]
    assert s(e, 2, "env_water_leak", 0, device="env-1", zone="a") == []  # zone b still wet


def test_enum_state_label_is_the_value_not_the_series() -> None:
    e = engine()
    key = "ups_on_battery/device:ups-1"
    assert s(e, 0, "ups_output_source", 3, device="ups-1", state="battery") == [
        f"{key}:inactive->firing"
    ]
    assert s(e, 60, "ups_output_source", 2, device="ups-1", state="normal") == [
        f"{key}:firing->resolved"
    ]


def test_a_steady_series_keeps_one_wake_up_queued_not_one_per_sample() -> None:
    """Each poll moves the absence deadline on; the engine keeps one queued wake-up per alert
    (the earliest) instead of one per sample, so a day of polls does not grow its heap."""
    e = engine()
    for minute in range(24 * 60):  # a day of one-minute polls
        s(e, minute * 60, "noc_collect_up", 1)
        tick(e, minute * 60 + 1)
    assert len(e._heap) <= 2
    # and absence still fires 10 minutes after the last answer
    last = (24 * 60 - 1) * 60
    assert tick(e, last + 599) == []
    assert tick(e, last + 600) == ["collection_silent/device:core-1:inactive->firing"]
