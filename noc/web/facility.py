"""The wall's power, cooling and busiest-links panels, from the newest stored samples.

Metric names are the SNMP profiles' (collectors/snmp/profiles). A value older than
``MAX_AGE`` is not shown: a silent collector must not look like a calm data center.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict

from noc.model import DeviceRole, Inventory
from noc.runtime import Runtime
from noc.store.metrics import SeriesValue
from topology.ports import LinkPorts

MAX_AGE = timedelta(minutes=10)
BUSIEST = 8


class _View(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class UpsCard(_View):
    device: str
    name: str
    source: str | None  # normal, battery, bypass, ...
    charge_ratio: float | None
    runtime_seconds: float | None
    load_ratio: float | None


class AtsCard(_View):
    """The transfer switch: what it runs on and the health of each input, by what feeds it."""

    device: str
    name: str
    source: str | None  # utility, generator, unknown (the inventory does not letter its inputs)
    utility: str | None  # ok, fail
    generator: str | None
    redundancy: str | None  # fully_redundant, lost


class GensetCard(_View):
    device: str
    name: str
    running: bool | None
    state: str | None


class CoolingCard(_View):
    device: str
    name: str
    supply_celsius: float | None
    return_celsius: float | None
    state: str | None  # running, alarm, off, standby, idle (None: the unit says nothing)


class RoomCard(_View):
    device: str
    name: str
    celsius: float | None
    humidity_ratio: float | None
    water_leak: bool | None
    door_open: bool | None


class LinkLoad(_View):
    link: str  # the inventory link; its busier end and direction are device/interface
    device: str
    interface: str
    utilization_ratio: float
    over_limit: bool


class FacilityPanels(_View):
    ats: list[AtsCard]
    ups: list[UpsCard]
    gensets: list[GensetCard]
    cooling: list[CoolingCard]
    rooms: list[RoomCard]
    busiest_links: list[LinkLoad]


class _Latest:
    """Newest fresh values of a few metrics, grouped by device."""

    def __init__(self, runtime: Runtime, now: datetime) -> None:
        self._runtime = runtime
        self._since = now - MAX_AGE
        self._cache: dict[str, list[SeriesValue]] = {}

    def series(self, metric: str) -> list[SeriesValue]:
        if metric not in self._cache:
            rows = self._runtime.metrics.latest(metric)
            self._cache[metric] = [r for r in rows if r.ts >= self._since]
        return self._cache[metric]

    def value(self, metric: str, device: str, pick: str = "max") -> float | None:
        values = [r.value for r in self.series(metric) if r.labels.get("device") == device]
        if not values:
            return None
        return max(values) if pick == "max" else min(values)

    def flag(self, metric: str, device: str) -> bool | None:
        """Whether any of the device's series of a 0/1 metric says 1 (a leak, an open door)."""
        value = self.value(metric, device)
        return None if value is None else value > 0

    def state(self, metric: str, device: str, **labels: str) -> str | None:
        """An enum's current state: the ``state`` label of its newest series (with ``labels``)."""
        rows = [
            r
            for r in self.series(metric)
            if r.labels.get("device") == device
            and all(r.labels.get(k) == v for k, v in labels.items())
        ]
        if not rows:
            return None
        return max(rows, key=lambda r: r.ts).labels.get("state")


_PORTS: list[tuple[Inventory, LinkPorts]] = []  # the last inventory's index


def link_ports(inventory: Inventory) -> LinkPorts:
    """One port index per inventory (the wall asks every few seconds)."""
    if not _PORTS or _PORTS[0][0] is not inventory:
        _PORTS[:] = [(inventory, LinkPorts(inventory))]
    return _PORTS[0][1]


def _cooling_state(latest: _Latest, device: str) -> str | None:
    """What a CRAC unit is doing, from whichever of its vendor's signals it reports."""
    if latest.flag("hvac_unit_alarm", device):
        return "alarm"
    on = latest.value("hvac_unit_on", device)
    if on is not None and on == 0:
        return "off"
    mode = latest.state("hvac_operate_mode", device)
    if mode is not None:
        return "running" if mode == "on" else mode
    return "running" if on else None


def facility_panels(runtime: Runtime, now: datetime) -> FacilityPanels:
    latest = _Latest(runtime, now)
    by_role = {
        role: [d for d in runtime.inventory.devices if d.role is role] for role in DeviceRole
    }
    limit = runtime.inventory.policy(None).capacity_limit
    # Links of the inventory only (a UPS's management port is not a link anyone sizes), each
    # by its busier end and direction, against its installed capacity.
    ports = link_ports(runtime.inventory)
    loads: dict[str, tuple[float, str, str]] = {}
    for metric in ("if_in_utilization_ratio", "if_out_utilization_ratio"):
        for r in latest.series(metric):
            device, port = r.labels.get("device", ""), r.labels.get("interface", "")
            link_id = ports.link_of(device, port)
            if link_id is not None and r.value > loads.get(link_id, (-1.0, "", ""))[0]:
                loads[link_id] = (r.value, device, port)
    busiest = sorted(loads.items(), key=lambda kv: kv[1][0], reverse=True)[:BUSIEST]
    return FacilityPanels(
        ats=[
            AtsCard(
                device=d.id,
                name=d.name,
                source=latest.state("ats_source", d.id),
                utility=latest.state("ats_input_status", d.id, source="utility"),
                generator=latest.state("ats_input_status", d.id, source="generator"),
                redundancy=latest.state("ats_redundancy", d.id),
            )
            for d in by_role[DeviceRole.ats]
        ],
        ups=[
            UpsCard(
                device=d.id,
                name=d.name,
                source=latest.state("ups_output_source", d.id),
                charge_ratio=latest.value("ups_battery_charge_ratio", d.id, "min"),
                runtime_seconds=latest.value("ups_battery_runtime_seconds", d.id, "min"),
                load_ratio=latest.value("ups_output_load_ratio", d.id),
            )
            for d in by_role[DeviceRole.ups]
        ],
        gensets=[
            GensetCard(
                device=d.id,
                name=d.name,
                running=None if (v := latest.value("genset_running", d.id)) is None else v > 0,
                state=latest.state("genset_engine_state", d.id),
            )
            for d in by_role[DeviceRole.genset]
        ],
        cooling=[
            CoolingCard(
                device=d.id,
                name=d.name,
                supply_celsius=latest.value("hvac_supply_air_celsius", d.id),
                return_celsius=latest.value("hvac_return_air_celsius", d.id),
                state=_cooling_state(latest, d.id),
            )
            for d in by_role[DeviceRole.hvac]
        ],
        rooms=[
            RoomCard(
                device=d.id,
                name=d.name,
                celsius=latest.value("env_temperature_celsius", d.id),
                humidity_ratio=latest.value("env_humidity_ratio", d.id),
                water_leak=latest.flag("env_water_leak", d.id),
                door_open=latest.flag("env_door_open", d.id),
            )
            for d in by_role[DeviceRole.env_sensor]
        ],
        busiest_links=[
            LinkLoad(
                link=link_id, device=dev, interface=port, utilization_ratio=u, over_limit=u > limit
            )
            for link_id, (u, dev, port) in busiest
        ],
    )
