"""Typed results -> observations: samples (Prometheus names, base units) and neighbors."""

from __future__ import annotations

import re
from datetime import datetime

from collectors.ssh.models import EnvComponent, InterfaceStatus, NeighborEntry, Optic, Thresholds
from noc.model import Neighbor, NeighborProtocol, Sample

_OPTIC_READINGS: tuple[tuple[str, str, float, str], ...] = (
    # typed field, metric, factor to base unit, thresholds field
    ("rx_power_dbm", "optic_rx_power_dbm", 1.0, "rx_power_thresholds"),
    ("tx_power_dbm", "optic_tx_power_dbm", 1.0, "tx_power_thresholds"),
    ("bias_ma", "optic_bias_amperes", 0.001, "bias_thresholds"),
    ("temperature_c", "optic_temperature_celsius", 1.0, "temperature_thresholds"),
    ("voltage_v", "optic_voltage_volts", 1.0, ""),
)
_ENV_OK_METRIC = {
    "psu": "device_psu_ok",
    "fan": "device_fan_ok",
    "temperature": "device_temperature_ok",
}
_ENV_VALUE_METRIC = {"temperature": "device_temperature_celsius", "fan": "device_fan_speed_rpm"}
_IP = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$|:")


def optic_samples(device: str, optics: list[Optic], ts: datetime) -> list[Sample]:
    out: list[Sample] = []
    for optic in optics:
        labels = {"device": device, "interface": optic.interface}
        if optic.lane is not None:
            labels["lane"] = str(optic.lane)
        for field, metric, factor, limits_field in _OPTIC_READINGS:
            value = getattr(optic, field)
            if value is not None:
                out.append(Sample(metric=metric, labels=labels, value=value * factor, ts=ts))
            limits: Thresholds | None = getattr(optic, limits_field) if limits_field else None
            if limits is None:
                continue
            for level, limit in limits.model_dump(exclude_none=True).items():
                out.append(
                    Sample(
                        metric=f"{metric}_threshold",
                        labels={**labels, "level": level},
                        value=float(limit) * factor,
                        ts=ts,
                    )
                )
    return out


def environment_samples(device: str, parts: list[EnvComponent], ts: datetime) -> list[Sample]:
    out: list[Sample] = []
    for part in parts:
        labels = {"device": device, "component": part.name}
        ok_metric = _ENV_OK_METRIC.get(part.kind)
        if ok_metric and part.ok is not None:
            out.append(Sample(metric=ok_metric, labels=labels, value=float(part.ok), ts=ts))
        value_metric = _ENV_VALUE_METRIC.get(part.kind)
        if value_metric and part.value is not None:
            out.append(Sample(metric=value_metric, labels=labels, value=part.value, ts=ts))
    return out


def interface_samples(device: str, ports: list[InterfaceStatus], ts: datetime) -> list[Sample]:
    out: list[Sample] = []
    for port in ports:
        labels = {"device": device, "interface": port.name}
        if port.admin_up is not None:
            out.append(Sample(metric="ssh_if_admin_up", labels=labels, value=port.admin_up, ts=ts))
        if port.oper_up is not None:
            out.append(Sample(metric="ssh_if_oper_up", labels=labels, value=port.oper_up, ts=ts))
    return out


def neighbors(device: str, entries: list[NeighborEntry], ts: datetime) -> list[Neighbor]:
    """Neighbor observations; a neighbor without a system name is named by its chassis id."""
    out: list[Neighbor] = []
    for entry in entries:
        system = entry.remote_system or entry.remote_chassis_id
        if not system:
            continue
        address = (
            entry.remote_address
            if entry.remote_address and _IP.search(entry.remote_address)
            else None
        )
        out.append(
            Neighbor(
                local_device=device,
                local_interface=entry.local_interface,
                remote_system=system,
                remote_port=entry.remote_port,
                remote_port_description=entry.remote_port_description,
                remote_address=address,
                protocol=NeighborProtocol(entry.protocol),
                ts=ts,
            )
        )
    return out
