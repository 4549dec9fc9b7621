"""napalm getter results (already vendor-neutral) -> the same typed results as the parsers."""

from __future__ import annotations

from typing import Any

from collectors.ssh.models import EnvComponent, Facts, InterfaceStatus, NeighborEntry, Optic


def _f(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def _s(value: Any) -> str:
    """napalm says "Unknown" where it found nothing; so do we, with an empty string."""
    text = str(value or "").strip().rstrip("\\").strip()
    return "" if text == "Unknown" else text


def facts(data: dict[str, Any]) -> Facts:
    uptime = _f(data.get("uptime"))
    return Facts(
        hostname=_s(data.get("hostname")),
        vendor=_s(data.get("vendor")),
        model=_s(data.get("model")),
        os_version=_s(data.get("os_version")),
        serial=_s(data.get("serial_number")),
        uptime_seconds=uptime if uptime is not None and uptime >= 0 else None,
    )


def interfaces(data: dict[str, Any]) -> list[InterfaceStatus]:
    return [
        InterfaceStatus(
            name=name,
            description=str(v.get("description") or ""),
            admin_up=bool(v.get("is_enabled")),
            oper_up=bool(v.get("is_up")),
        )
        for name, v in data.items()
    ]


def lldp_neighbors(data: dict[str, Any]) -> list[NeighborEntry]:
    out: list[NeighborEntry] = []
    for local, entries in data.items():
        for e in entries:
            out.append(
                NeighborEntry(
                    local_interface=local,
                    remote_system=str(e.get("remote_system_name") or ""),
                    remote_port=str(e.get("remote_port") or ""),
                    remote_port_description=str(e.get("remote_port_description") or ""),
                    remote_chassis_id=str(e.get("remote_chassis_id") or ""),
                )
            )
    return out


def environment(data: dict[str, Any]) -> list[EnvComponent]:
    out: list[EnvComponent] = []
    for name, v in (data.get("fans") or {}).items():
        out.append(EnvComponent(kind="fan", name=name, ok=bool(v.get("status"))))
    for name, v in (data.get("power") or {}).items():
        out.append(
            EnvComponent(kind="psu", name=name, ok=bool(v.get("status")), value=_f(v.get("output")))
        )
    for name, v in (data.get("temperature") or {}).items():
        ok = not (v.get("is_alert") or v.get("is_critical"))
        out.append(
            EnvComponent(kind="temperature", name=name, ok=ok, value=_f(v.get("temperature")))
        )
    return out


def optics(data: dict[str, Any]) -> list[Optic]:
    out: list[Optic] = []
    for name, v in data.items():
        channels = (v.get("physical_channels") or {}).get("channel") or []
        for ch in channels:
            state = ch.get("state") or {}
            out.append(
                Optic(
                    interface=name,
                    lane=int(ch["index"]) if len(channels) > 1 and "index" in ch else None,
                    rx_power_dbm=_f((state.get("input_power") or {}).get("instant")),
                    tx_power_dbm=_f((state.get("output_power") or {}).get("instant")),
                    bias_ma=_f((state.get("laser_bias_current") or {}).get("instant")),
                )
            )
    return out


GETTERS = {
    "get_facts": "facts",
    "get_interfaces": "interfaces",
    "get_lldp_neighbors_detail": "neighbors",
    "get_environment": "environment",
    "get_optics": "optics",
}
