"""The inventory model: value types, secret references, defaults and lookups."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pydantic import SecretStr, ValidationError

from noc.errors import ConfigError
from noc.model import (
    Device,
    Inventory,
    Link,
    ObjectKind,
    ObjectRef,
    Policy,
    SecretRef,
    Service,
    SnmpV2cCredentials,
    SnmpV3Credentials,
)
from noc.model.base import format_bandwidth, parse_bandwidth, parse_duration

SECRET = "Pw-0f-the-switch"


def device(**extra: Any) -> dict[str, Any]:
    return {"id": "sw-1", "site": "hq", "role": "access_switch", "address": "127.10.9.1", **extra}


# -- SecretRef ---------------------------------------------------------------


def test_secret_ref_env_resolves(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOC_TEST_SECRET", SECRET)
    ref = SecretRef("env:NOC_TEST_SECRET")
    value = ref.resolve()
    assert isinstance(value, SecretStr)
    assert value.get_secret_value() == SECRET
    assert SECRET not in repr(value) and SECRET not in str(value)
    assert (ref.scheme, ref.target, str(ref)) == ("env", "NOC_TEST_SECRET", "env:NOC_TEST_SECRET")


def test_secret_ref_env_unset_names_the_ref(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOC_TEST_SECRET", raising=False)
    with pytest.raises(ConfigError, match="env:NOC_TEST_SECRET is not set") as caught:
        SecretRef("env:NOC_TEST_SECRET").resolve()
    assert caught.value.hint == "export NOC_TEST_SECRET before starting noc"


def test_secret_ref_env_empty_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOC_TEST_SECRET", "")
    with pytest.raises(ConfigError, match="is empty"):
        SecretRef("env:NOC_TEST_SECRET").resolve()


def test_secret_ref_file_resolves_and_strips_the_newline(tmp_path: Path) -> None:
    (tmp_path / "community").write_text(SECRET + "\n", encoding="utf-8")
    assert SecretRef(f"file:{tmp_path}/community").resolve().get_secret_value() == SECRET
    relative = SecretRef("file:community")
    assert relative.resolve(base_dir=tmp_path).get_secret_value() == SECRET


def test_secret_ref_unreadable_file_names_the_ref(tmp_path: Path) -> None:
    ref = SecretRef(f"file:{tmp_path}/missing.key")
    with pytest.raises(ConfigError) as caught:
        ref.resolve()
    assert str(ref) in str(caught.value)
    assert "cannot be read" in str(caught.value)
    assert caught.value.__cause__ is None  # the OSError (with the path only) is not chained


@pytest.mark.parametrize("text", [SECRET, "public", "env:", "env:has space", "file:", "vault:x"])
def test_anything_but_a_ref_is_refused_without_echo(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        SnmpV2cCredentials.model_validate({"type": "snmp_v2c", "community": text})
    assert SECRET not in str(caught.value)
    if ":" not in text:
        assert "not a credential reference (use env:NAME or file:PATH)" in str(caught.value)


def test_validation_errors_of_the_whole_inventory_hide_inputs() -> None:
    data = {
        "version": 1,
        "city": "x",
        "credentials": {"c": {"type": "snmp_v3", "user": "u", "auth_key": SECRET}},
    }
    with pytest.raises(ValidationError) as caught:
        Inventory.model_validate(data)
    assert SECRET not in str(caught.value)
    assert SECRET not in repr(caught.value.errors(include_input=False))


def test_refs_dump_as_text_and_secrets_are_never_held() -> None:
    cred = SnmpV3Credentials.model_validate(
        {
            "type": "snmp_v3",
            "user": "noc",
            "auth_protocol": "SHA-256",
            "auth_key": "env:NOC_SNMP_V3_AUTH",
            "priv_protocol": "AES",
            "priv_key": "file:/etc/noc/priv",
        }
    )
    assert cred.model_dump(mode="json")["auth_key"] == "env:NOC_SNMP_V3_AUTH"
    assert "SecretRef('file:/etc/noc/priv')" in repr(cred)
    assert cred.security_level == "authPriv"
    assert cred.auth_key == SecretRef("env:NOC_SNMP_V3_AUTH")


def test_snmp_v3_needs_protocol_and_key_together() -> None:
    with pytest.raises(ValidationError, match="auth_protocol and auth_key go together"):
        SnmpV3Credentials.model_validate({"type": "snmp_v3", "user": "u", "auth_protocol": "SHA"})
    plain = SnmpV3Credentials.model_validate({"type": "snmp_v3", "user": "u"})
    assert plain.security_level == "noAuthNoPriv"


# -- value types ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "bps"),
    [
        ("10G", 10**10),
        ("1G", 10**9),
        ("100M", 10**8),
        ("2.5G", 25 * 10**8),
        ("10Gbps", 10**10),
        ("40 G", 4 * 10**10),
        (1000, 1000),
    ],
)
def test_bandwidth_forms(text: str | int, bps: int) -> None:
    assert parse_bandwidth(text) == bps


@pytest.mark.parametrize("bad", ["fast", "10X", "-1G", 0, True, "1.5"])
def test_bandwidth_refuses_nonsense(bad: Any) -> None:
    with pytest.raises(ValueError, match="capacity"):
        parse_bandwidth(bad)


def test_bandwidth_formatting() -> None:
    assert format_bandwidth(10**10) == "10 Gbps"
    assert format_bandwidth(25 * 10**8) == "2.5 Gbps"
    assert format_bandwidth(100 * 10**6) == "100 Mbps"
    assert format_bandwidth(512) == "512 bps"


def test_durations() -> None:
    assert parse_duration("1h") == timedelta(hours=1)
    assert parse_duration("30m") == timedelta(minutes=30)
    assert parse_duration(90) == timedelta(seconds=90)
    with pytest.raises(ValueError, match="duration"):
        parse_duration("soon")


def test_policy_defaults_are_the_city_numbers() -> None:
    policy = Policy()
    assert policy.availability_target == 0.999
    assert policy.annual_downtime_budget == timedelta(hours=22)
    assert policy.response_time_target == timedelta(hours=1)
    assert policy.capacity_limit == 0.70
    assert policy.business_hours is None
    assert policy.maintenance == "exclude"


def test_business_hours_accept_short_times_and_must_be_ordered() -> None:
    hours = Policy.model_validate({"business_hours": {"start": "7:30", "end": "16:00"}})
    assert hours.business_hours is not None
    assert hours.business_hours.start == time(7, 30)
    assert [d.value for d in hours.business_hours.days] == ["mon", "tue", "wed", "thu", "fri"]
    with pytest.raises(ValidationError, match="end after they start"):
        Policy.model_validate({"business_hours": {"start": "17:00", "end": "08:00"}})


# -- devices, links, services ----------------------------------------------------


def test_device_defaults_and_interface_forms() -> None:
    dev = Device.model_validate(
        device(interfaces=["Gi0/1", {"name": "Te1/1", "description": "uplink", "speed": "10G"}])
    )
    assert dev.name == "sw-1"
    assert [i.name for i in dev.interfaces] == ["Gi0/1", "Te1/1"]
    te = dev.interface("Te1/1")
    assert te is not None and te.speed == 10**10
    assert dev.interface("Gi9/9") is None
    assert dev.depends_on == [] and dev.snmp is None and dev.redundant_peer is None


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        ({"address": "not-an-ip"}, "valid IPv4 or IPv6"),
        ({"id": "sw 1"}, "an id may use only"),
        ({"role": "hub"}, "Input should be"),
        ({"snmp": {"credentials": "c", "port": 70000}}, "less than or equal to 65535"),
        ({"colour": "red"}, "Extra inputs are not permitted"),
    ],
)
def test_device_rejects(extra: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment):
        Device.model_validate(device(**extra))


def test_link_id_is_derived_and_ends_parse() -> None:
    link = Link.model_validate(
        {
            "a": "core-1:TenGigabitEthernet1/0/1",
            "b": "dist-1:xe-0/0/0",
            "kind": "backbone",
            "capacity_bps": "10G",
            "media": "single_mode_fiber",
        }
    )
    assert link.id == "core-1:TenGigabitEthernet1/0/1--dist-1:xe-0/0/0"
    assert link.a.device == "core-1" and link.a.interface == "TenGigabitEthernet1/0/1"
    assert link.devices == ("core-1", "dist-1")
    assert link.other_end("dist-1") == link.a
    assert link.other_end("elsewhere") is None
    assert link.model_dump(mode="json")["b"] == "dist-1:xe-0/0/0"


def test_service_components_are_object_refs() -> None:
    svc = Service.model_validate(
        {
            "id": "cctv",
            "name": "CCTV",
            "components": ["device:a", "link:x--y", "service:core"],
            "rule": "n_of_m",
            "n": 2,
        }
    )
    assert svc.components[0] == ObjectRef(kind=ObjectKind.device, id="a")
    assert svc.components[1].id == "x--y"
    assert svc.needed() == 2
    assert svc.policy == "default"
    assert svc.model_dump(mode="json")["components"] == ["device:a", "link:x--y", "service:core"]


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        ({"rule": "n_of_m"}, "rule n_of_m needs n"),
        ({"rule": "n_of_m", "n": 0}, "between 1 and the number of components (2)"),
        ({"rule": "any", "n": 1}, "n is only used with rule n_of_m"),
        ({"components": []}, "at least 1 item"),
        ({"components": ["device:a", "device:a"]}, "listed twice"),
        ({"components": ["site:hq"]}, "device:ID, link:ID or service:ID"),
    ],
)
def test_service_rules(extra: dict[str, Any], fragment: str) -> None:
    data = {"id": "s", "name": "S", "components": ["device:a", "device:b"], **extra}
    with pytest.raises(ValidationError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        Service.model_validate(data)


# -- the whole inventory ----------------------------------------------------------


def test_inventory_defaults_and_lookups() -> None:
    inv = Inventory.model_validate(
        {
            "version": 1,
            "city": "Kota Uji",
            "credentials": {
                "v2": {"type": "snmp_v2c", "community": "env:C"},
                "ssh": {"type": "ssh", "username": "noc", "password": "env:P"},
            },
            "sites": [
                {"id": "hq", "name": "HQ", "kind": "agency"},
                {"id": "east", "name": "East", "kind": "district", "timezone": "Asia/Jayapura"},
            ],
            "devices": [
                device(snmp={"credentials": "v2"}, ssh={"credentials": "ssh"}),
                device(
                    id="sw-2",
                    site="east",
                    address="127.10.9.2",
                    snmp={"credentials": "v2", "port": 2161},
                    poll_intervals={"snmp": 15},
                ),
            ],
            "power": {"feeds": [{"from": "pln", "to": "sw-1", "feed": "A"}]},
        }
    )
    assert inv.settings.timezone == "Asia/Jakarta"
    assert inv.settings.locale == "id"
    assert inv.settings.snmp_port == 161
    assert "default" in inv.policies and inv.policy(None) == Policy()
    one, two = inv.device("sw-1"), inv.device("sw-2")
    assert inv.snmp_port(one) == 161 and inv.snmp_port(two) == 2161
    assert inv.poll_interval(one, "snmp") == 60 and inv.poll_interval(two, "snmp") == 15
    assert inv.poll_interval(one, "icmp") == 30 and inv.poll_interval(one, "ssh") == 300
    assert isinstance(inv.snmp_credentials(one), SnmpV2cCredentials)
    assert inv.ssh_credentials(one) is not None and inv.ssh_credentials(two) is None
    assert inv.timezone_of("east") == ZoneInfo("Asia/Jayapura")
    assert inv.timezone_of("hq") == ZoneInfo("Asia/Jakarta")
    assert [f.from_ for f in inv.feeds_to("sw-1")] == ["pln"]
    assert inv.devices_at("east") == [two]
    with pytest.raises(KeyError):
        inv.device("sw-9")
    dumped = inv.model_dump(mode="json", by_alias=True)
    assert dumped["power"]["feeds"][0]["from"] == "pln"
    assert Inventory.model_validate(dumped) == inv


def test_inventory_refuses_unknown_timezone() -> None:
    with pytest.raises(ValidationError, match="unknown time zone 'Mars/Olympus'"):
        Inventory.model_validate(
            {"version": 1, "city": "x", "settings": {"timezone": "Mars/Olympus"}}
        )
