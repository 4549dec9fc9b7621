"""Formats beyond the shared samples: other layouts of the same commands, units, profiles."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import paramiko
import pytest

from collectors.ssh import napalm_map, observe
from collectors.ssh.hostkeys import HostKeyChanged, HostKeyPolicy, HostKeyUnknown, KnownHosts
from collectors.ssh.parse import parse_command
from collectors.ssh.profile import load_profiles
from collectors.ssh.records import template_name
from collectors.ssh.typed import number, uptime_seconds
from noc.errors import ConfigError

PROFILES = load_profiles()
TS = datetime(2026, 10, 1, tzinfo=UTC)

IOS_OLD_TRANSCEIVER = """\
                                 Optical   Optical
           Temperature  Voltage  Tx Power  Rx Power
Port       (Celsius)    (Volts)  (dBm)     (dBm)
---------  -----------  -------  --------  --------
Gi1/0/49     29.9       3.28      -5.6      -7.1
Gi1/0/50     30.1       3.29      -5.4     -24.3 --
Te1/1/1      N/A        N/A       N/A       N/A
"""

JUNOS_LANES = """\
Physical interface: et-0/0/48
    Module temperature                        :  38 degrees C / 100 degrees F
    Module voltage                            :  3.2910 V
    Lane 0
    Laser bias current                        :  40.112 mA
    Laser output power                        :  1.0020 mW / 0.01 dBm
    Laser receiver power                      :  0.8410 mW / -0.75 dBm
    Lane 1
    Laser bias current                        :  41.000 mA
    Laser output power                        :  0.9940 mW / -0.03 dBm
    Laser receiver power                      :  0.0001 mW / -40.00 dBm
"""

HUAWEI_TRANSCEIVER = """\
GigabitEthernet0/0/25 transceiver information:
-------------------------------------------------------------
Common information:
  Transceiver Type                      :1000_BASE_LX_SFP
  Vendor Name                           :HUAWEI
-------------------------------------------------------------
Diagnostic information:
  Temperature(\u00b0C)                       :33
  Temperature High Threshold(\u00b0C)        :95.00
  Voltage(V)                            :3.30
  Bias Current(mA)                      :13.40
  RX Power(dBM)                         :-9.81
  RX Power High Threshold(dBM)          :-3.00
  RX Power Low  Threshold(dBM)          :-20.00
  TX Power(dBM)                         :-5.92
  TX Power High Threshold(dBM)          :-3.00
  TX Power Low  Threshold(dBM)          :-9.50
-------------------------------------------------------------
"""


def test_ios_transceiver_without_bias_column_and_with_alarm_marks() -> None:
    p = parse_command(PROFILES, "cisco_ios", "show interface transceiver", IOS_OLD_TRANSCEIVER)
    by = {o.interface: o for o in p.optics}
    assert by["Gi1/0/49"].rx_power_dbm == -7.1 and by["Gi1/0/49"].bias_ma is None
    assert by["Gi1/0/50"].rx_power_dbm == -24.3  # the "--" low-alarm mark is not a value
    assert by["Te1/1/1"].rx_power_dbm is None


def test_junos_lanes_become_one_reading_per_lane() -> None:
    p = parse_command(PROFILES, "juniper_junos", "show interfaces diagnostics optics", JUNOS_LANES)
    lanes = [(o.interface, o.lane, o.rx_power_dbm, o.temperature_c) for o in p.optics]
    assert lanes[1:] == [("et-0/0/48", 0, -0.75, 38.0), ("et-0/0/48", 1, -40.0, 38.0)]
    samples = observe.optic_samples("r1", p.optics[1:], TS)
    assert {s.labels["lane"] for s in samples} == {"0", "1"}


def test_huawei_display_transceiver_verbose() -> None:
    p = parse_command(PROFILES, "huawei_vrp", "display transceiver verbose", HUAWEI_TRANSCEIVER)
    (o,) = p.optics
    assert (o.interface, o.rx_power_dbm, o.tx_power_dbm, o.bias_ma, o.temperature_c) == (
        "GigabitEthernet0/0/25",
        -9.81,
        -5.92,
        13.4,
        33.0,
    )
    assert o.rx_power_thresholds is not None and o.rx_power_thresholds.low_alarm == -20.0
    assert o.tx_power_thresholds is not None and o.tx_power_thresholds.high_alarm == -3.0


def test_units_in_samples() -> None:
    p = parse_command(PROFILES, "huawei_vrp", "display transceiver verbose", HUAWEI_TRANSCEIVER)
    samples = {s.metric: s.value for s in observe.optic_samples("sw", p.optics, TS)}
    assert samples["optic_bias_amperes"] == pytest.approx(0.0134)
    assert samples["optic_rx_power_dbm"] == -9.81
    assert samples["optic_temperature_celsius"] == 33.0


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("2 years, 31 weeks, 6 days, 9 hours, 55 minutes", 82374900.0),
        ("1 day, 3 hours and 4 minutes", 97440.0),
        ("12 day(s), 3 hour(s), 4 minute(s), 5 second(s)", 1047845.0),
        ("5 days, 3:04:05", 443045.0),
        ("unknown", None),
    ],
)
def test_uptime_forms(text: str, seconds: float | None) -> None:
    assert uptime_seconds(text) == seconds


def test_numbers() -> None:
    assert number("-30.45 dBm --") == -30.45 and number("N/A") is None and number("") is None


def test_every_textfsm_command_has_its_template() -> None:
    for profile in PROFILES.values():
        for spec in profile.commands:
            if spec.parser == "textfsm":
                assert (
                    parse_command(PROFILES, profile.platform, spec.command, "").kind == spec.kind
                ), template_name(profile.platform, spec)


def test_bad_profile_names_file_and_key(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text(
        "name: x\nplatform: x\nnetmiko_device_type: cisco_ios\ncommands:\n"
        "  - {command: show x, kind: optics, parser: lines, colour: red}\n"
    )
    with pytest.raises(ConfigError, match=r"x\.yaml: commands\.0\.colour: Extra inputs"):
        load_profiles(tmp_path)
    (tmp_path / "x.yaml").write_text(
        "name: x\nplatform: x\nnetmiko_device_type: ios\nrejected_patterns: ['(']\n"
    )
    with pytest.raises(ConfigError, match="not a valid regular expression"):
        load_profiles(tmp_path)


def test_napalm_results_map_to_the_same_types() -> None:
    env = napalm_map.environment(
        {
            "fans": {"Fan1": {"status": True}},
            "power": {"PS1": {"status": False, "capacity": 350.0, "output": 0.0}},
            "temperature": {
                "Inlet": {"temperature": 30.0, "is_alert": False, "is_critical": False}
            },
        }
    )
    assert [(c.kind, c.name, c.ok) for c in env] == [
        ("fan", "Fan1", True),
        ("psu", "PS1", False),
        ("temperature", "Inlet", True),
    ]
    optics = napalm_map.optics(
        {
            "Et1": {
                "physical_channels": {
                    "channel": [
                        {
                            "index": 0,
                            "state": {
                                "input_power": {"instant": -3.2},
                                "output_power": {"instant": -1.0},
                                "laser_bias_current": {"instant": 20.0},
                            },
                        }
                    ]
                }
            }
        }
    )
    assert optics[0].rx_power_dbm == -3.2 and optics[0].lane is None


def test_known_hosts_store(tmp_path: Path) -> None:
    key1, key2 = paramiko.ECDSAKey.generate(), paramiko.ECDSAKey.generate()
    path = tmp_path / "kh"
    store = KnownHosts(path, HostKeyPolicy.accept_new)
    store.check("10.0.0.1", 22, key1)
    store.check("10.0.0.1", 2222, key2)
    assert path.read_text().splitlines()[0].startswith("10.0.0.1 ecdsa-sha2-nistp256 ")
    reread = KnownHosts(path, HostKeyPolicy.strict)
    reread.check("10.0.0.1", 22, key1)
    with pytest.raises(HostKeyChanged):
        reread.check("10.0.0.1", 22, key2)
    with pytest.raises(HostKeyUnknown):
        reread.check("10.0.0.2", 22, key1)
    KnownHosts(path, HostKeyPolicy.ignore).check("10.0.0.1", 22, key2)


def test_each_platforms_refusal_is_recognised() -> None:
    from noc.lab.ssh.render import load_platforms

    for platform, cli in load_platforms().items():
        assert PROFILES[platform].rejected(cli.invalid + "\n") is not None, platform
        # the lab answers exactly the profile's commands, so `make run` polls without refusals
        assert sorted(cli.commands) == sorted(c.command for c in PROFILES[platform].commands)


def test_the_ssh_collector_is_a_collector() -> None:
    from collectors.base import Collector
    from collectors.ssh.collector import SshCollector
    from tests.collectors.ssh.labkit import inventory

    collector = SshCollector(inventory([]))
    assert isinstance(collector, Collector) and collector.name == "ssh"


def test_which_devices_the_ssh_collector_wants() -> None:
    from collectors.ssh.collector import SshCollector
    from tests.collectors.ssh.labkit import inventory

    inv = inventory([("a", "cisco_ios", 22), ("b", "fortinet", 22), ("c", None, 22)])
    collector = SshCollector(inv)
    assert [d.id for d in inv.devices if collector.wants(d)] == ["a"]
