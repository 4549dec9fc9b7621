"""Every real device output in ../shared/lab/cli parses to its expected result.

The expected parses come from ntc-templates (.yml) and genieparser (_expected.py); the typed
results are compared field by field through the mapping in CASES.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from collectors.ssh.models import Parsed
from collectors.ssh.parse import parse_command
from collectors.ssh.profile import load_profiles
from collectors.ssh.typed import number, uptime_seconds
from tests.collectors.ssh.fixtures import CLI_DIR, expected, fixture_dirs, raw_text

PROFILES = load_profiles()
Fields = dict[str, tuple[str, Callable[[Any], Any]]]


def num(value: str) -> float | None:
    return number(value)


def text(value: Any) -> str:
    return (value[0] if value else "") if isinstance(value, list) else str(value).strip()


def rows(
    items: list[Any], exp: list[dict[str, Any]], fields: dict[str, tuple[str, Callable[[Any], Any]]]
) -> None:
    assert len(items) == len(exp)
    for item, want in zip(items, exp, strict=True):
        for ours, (theirs, conv) in fields.items():
            got = item
            for part in ours.split("."):
                got = getattr(got, part) if got is not None else None
            assert got == conv(want[theirs]), (ours, theirs, want)


def none_empty(value: str) -> str | None:
    return value or None


def up(value: str) -> bool:
    return value.lower().startswith("up")


OPTICS_IOS: Fields = {
    "interface": ("interface", str),
    "rx_power_dbm": ("rx_pwr", num),
    "tx_power_dbm": ("tx_pwr", num),
    "bias_ma": ("current", num),
    "temperature_c": ("temperature", num),
    "voltage_v": ("voltage", num),
}
OPTICS_EOS: Fields = {
    "interface": ("port", str),
    "rx_power_dbm": ("rx_power", num),
    "tx_power_dbm": ("tx_power", num),
    "bias_ma": ("bias_current", num),
    "temperature_c": ("temp", num),
    "voltage_v": ("voltage", num),
}
OPTICS_NXOS: Fields = {
    "interface": ("interface", str),
    "rx_power_dbm": ("rx_value", num),
    "tx_power_dbm": ("tx_value", num),
    "bias_ma": ("amps_value", num),
    "temperature_c": ("temperature_value", num),
    "voltage_v": ("voltage_value", num),
    "rx_power_thresholds.low_alarm": ("rx_alarm_low", num),
    "rx_power_thresholds.low_warning": ("rx_warn_low", num),
    "rx_power_thresholds.high_alarm": ("rx_alarm_high", num),
    "tx_power_thresholds.low_alarm": ("tx_alarm_low", num),
    "bias_thresholds.high_warning": ("amps_warn_high", num),
    "temperature_thresholds.high_alarm": ("temperature_alarm_high", num),
}
NEIGHBORS_IOS_LLDP: Fields = {
    "local_interface": ("local_interface", str),
    "remote_system": ("neighbor_name", str),
    "remote_port": ("neighbor_port_id", str),
    "remote_port_description": ("neighbor_interface", str),
    "remote_address": ("mgmt_address", none_empty),
    "remote_chassis_id": ("chassis_id", str),
}
NEIGHBORS_NXOS_LLDP: Fields = {
    "local_interface": ("local_interface", str),
    "remote_system": ("neighbor_name", str),
    "remote_port": ("neighbor_interface", str),
    "remote_address": ("mgmt_address", none_empty),
    "remote_chassis_id": ("chassis_id", str),
}
NEIGHBORS_CDP: Fields = {
    "local_interface": ("local_interface", str),
    "remote_system": ("neighbor_name", str),
    "remote_port": ("neighbor_interface", str),
    "remote_address": ("mgmt_address", none_empty),
    "protocol": ("local_interface", lambda _: "cdp"),
}
NEIGHBORS_JUNOS: Fields = {
    "local_interface": ("local_interface", str),
    "remote_system": ("neighbor_name", str),
    "remote_port": ("neighbor_interface", str),
    "remote_chassis_id": ("chassis_id", str),
}
PSU_IOS: Fields = {
    "name": ("ps_module", str),
    "model": ("pid", str),
    "serial": ("serial", str),
    "state": ("status", str),
    "ok": ("status", lambda s: s.lower() == "ok"),
    "value": ("watts", num),
}
PORTS_IOS: Fields = {
    "name": ("interface", str),
    "description": ("description", str),
    "oper_up": ("protocol_status", up),
    "admin_up": ("link_status", lambda s: "admin" not in s.lower()),
}
PORTS_VRP: Fields = {
    "name": ("interface", str),
    "description": ("interface_description", str),
    "oper_up": ("protocol_status", up),
    "admin_up": ("link_status", lambda s: "admin" not in s.lower()),
}


def check_ios_version(parsed: Parsed, exp: list[dict[str, Any]]) -> None:
    facts, want = parsed.facts, exp[0]
    assert facts is not None
    assert facts.hostname == want["hostname"]
    assert facts.model == text(want["hardware"])
    assert facts.serial == text(want["serial"])
    assert facts.os_version == want["version"]
    assert facts.uptime_seconds == uptime_seconds(want["uptime"])


def check_junos_optics(parsed: Parsed, exp: dict[str, Any]) -> None:
    ifaces = exp["interface-information"]["physical-interface"]
    assert [o.interface for o in parsed.optics] == [i["name"] for i in ifaces]
    for optic, iface in zip(parsed.optics, ifaces, strict=True):
        d = iface["optics-diagnostics"]

        def dbm(key: str, d: dict[str, str] = d) -> float | None:
            return num(d[key].split("/")[-1])

        assert optic.bias_ma == num(d["laser-bias-current"])
        assert optic.tx_power_dbm == dbm("laser-output-power")
        assert optic.rx_power_dbm == dbm("receiver-signal-average-optical-power")
        assert optic.temperature_c == num(d["module-temperature"])
        assert optic.voltage_v == num(d["module-voltage"])
        rx, tx, bias, temp = (
            optic.rx_power_thresholds,
            optic.tx_power_thresholds,
            optic.bias_thresholds,
            optic.temperature_thresholds,
        )
        assert rx is not None and tx is not None and bias is not None and temp is not None
        for level in ("high-alarm", "low-alarm", "high-warning", "low-warning"):
            attr = level.replace("-", "_")
            assert getattr(rx, attr) == dbm(f"laser-rx-power-{level}-threshold")
            assert getattr(tx, attr) == dbm(f"laser-output-power-{level}-threshold")
            assert getattr(bias, attr) == num(d[f"laser-bias-current-{level}-threshold"])
            assert getattr(temp, attr) == num(d[f"module-temperature-{level}-threshold"])


def check_ios_environment(parsed: Parsed, exp: dict[str, Any]) -> None:
    sw = exp["switch"]["1"]
    env = {(c.kind, c.name): c for c in parsed.environment}
    for fan, want in sw["fan"].items():
        part = env[("fan", f"switch 1 fan {fan}")]
        assert part.state.lower() == want["state"] and part.ok is (want["state"] == "ok")
    assert env[("temperature", "switch 1 system")].state.lower() == sw["system_temperature_state"]
    for where in ("inlet", "outlet", "hotspot"):
        want = sw[f"{where}_temperature"]
        part = env[("temperature", where.capitalize())]
        assert part.value == float(want["value"])
        assert part.state.lower() == want["state"] and part.ok is (want["state"] == "green")
        assert part.thresholds is not None
        assert part.thresholds.high_warning == float(want["yellow_threshold"])
        assert part.thresholds.high_alarm == float(want["red_threshold"])
    psus = [c for c in parsed.environment if c.kind == "psu"]
    assert len(psus) == len(sw["power_supply"])
    for part, want in zip(psus, sw["power_supply"].values(), strict=True):
        assert part.model == want["pid"] and part.serial == want["serial_number"]
        assert part.state.lower() == want["status"]
        assert part.ok is (want["status"] == "ok" and want["system_power"] == "good")
        assert part.value == float(want["watts"])
    # genieparser marks PSU 1 "not present" from the line "FAN PS-1 is NOT PRESENT"
    assert env[("fan", "power supply 1 fan")].ok is False


def table(
    kind: str, fields: dict[str, tuple[str, Callable[[Any], Any]]]
) -> Callable[[Parsed, Any], None]:
    return lambda parsed, exp: rows(getattr(parsed, kind), exp, fields)


CASES: dict[str, tuple[str, str, Callable[[Parsed, Any], None]]] = {
    "arista_eos/show_interfaces_transceiver": (
        "arista_eos",
        "show interfaces transceiver",
        table("optics", OPTICS_EOS),
    ),
    "cisco_ios/show_cdp_neighbors_detail": (
        "cisco_ios",
        "show cdp neighbors detail",
        table("neighbors", NEIGHBORS_CDP),
    ),
    "cisco_ios/show_environment_all": ("cisco_ios", "show environment all", check_ios_environment),
    "cisco_ios/show_environment_power_all": (
        "cisco_ios",
        "show environment power all",
        table("environment", PSU_IOS),
    ),
    "cisco_ios/show_interface_transceiver": (
        "cisco_ios",
        "show interface transceiver",
        table("optics", OPTICS_IOS),
    ),
    "cisco_ios/show_interfaces": ("cisco_ios", "show interfaces", table("interfaces", PORTS_IOS)),
    "cisco_ios/show_lldp_neighbors_detail": (
        "cisco_ios",
        "show lldp neighbors detail",
        table("neighbors", NEIGHBORS_IOS_LLDP),
    ),
    "cisco_ios/show_version": ("cisco_ios", "show version", check_ios_version),
    "cisco_nxos/show_interface_transceiver_details": (
        "cisco_nxos",
        "show interface transceiver details",
        table("optics", OPTICS_NXOS),
    ),
    "cisco_nxos/show_lldp_neighbors_detail": (
        "cisco_nxos",
        "show lldp neighbors detail",
        table("neighbors", NEIGHBORS_NXOS_LLDP),
    ),
    "huawei_vrp/display_interface": (
        "huawei_vrp",
        "display interface",
        table("interfaces", PORTS_VRP),
    ),
    "juniper_junos/show_interfaces_diagnostics_optics": (
        "juniper_junos",
        "show interfaces diagnostics optics",
        check_junos_optics,
    ),
    "juniper_junos/show_lldp_neighbors": (
        "juniper_junos",
        "show lldp neighbors",
        table("neighbors", NEIGHBORS_JUNOS),
    ),
}


def test_shared_fixtures_present() -> None:
    if not CLI_DIR.is_dir():
        pytest.fail(f"shared CLI fixtures missing at {CLI_DIR} (the clone needs shared/ beside it)")
    assert fixture_dirs(), "no fixture folders found"


def test_every_shared_fixture_has_a_case() -> None:
    """A new fixture dropped into ../shared/lab/cli must get a case here, not be skipped."""
    assert sorted(CASES) == fixture_dirs()


@pytest.mark.parametrize("case", sorted(CASES))
def test_shared_fixture_parses_to_expected(case: str) -> None:
    platform, command, check = CASES[case]
    parsed = parse_command(PROFILES, platform, command, raw_text(case))
    assert parsed.platform == platform and parsed.kind.value in {
        "optics",
        "neighbors",
        "environment",
        "facts",
        "interfaces",
    }
    check(parsed, expected(case))
