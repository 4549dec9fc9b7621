"""What topology answers, as strict models: the API and the CLI print these as they are."""

from __future__ import annotations

from enum import Enum, StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RingStatus(Enum):  # not a StrEnum: a member named "split" would hide str.split
    intact = "intact"
    degraded = "degraded"  # segments down, every site still reachable: redundancy lost
    split = "split"  # some sites cut off


class ServiceStatus(StrEnum):
    up = "up"
    degraded = "degraded"  # its rule holds, but a component is down
    down = "down"


class RingState(Strict):
    ring: str
    status: RingStatus
    segments_down: list[str] = Field(default_factory=list)
    devices_down: list[str] = Field(default_factory=list)
    sites_cut_off: list[str] = Field(default_factory=list)
    message: str


class SiteImpact(Strict):
    site: str
    name: str
    kind: str
    devices_unreachable: list[str]


class ServiceImpact(Strict):
    service: str
    name: str
    owner: str
    status: ServiceStatus
    components_down: list[str]


class Impact(Strict):
    """What a set of failures does: cut-off and degraded sites, services, agencies, rings."""

    failed: list[str]
    devices_unpowered: list[str] = Field(default_factory=list)
    ups_on_battery: list[str] = Field(default_factory=list)
    devices_on_battery: list[str] = Field(
        default_factory=list, description="devices that lose power when the UPS batteries run out"
    )
    devices_unreachable: list[str] = Field(default_factory=list)
    sites_cut_off: list[SiteImpact] = Field(default_factory=list)
    sites_degraded: list[SiteImpact] = Field(default_factory=list)
    services_down: list[ServiceImpact] = Field(default_factory=list)
    services_degraded: list[ServiceImpact] = Field(default_factory=list)
    agencies: list[str] = Field(default_factory=list)
    rings: list[RingState] = Field(default_factory=list)
    after_battery: Impact | None = Field(
        default=None, description="the same failures once the UPS batteries are empty"
    )


class SinglePoint(Strict):
    """One element whose failure alone cuts off a site or takes down a service."""

    element: str  # device:ID, link:ID or source:ID
    kind: str
    sites_cut_off: list[str]
    services_down: list[str]
    devices_cut_off: int


class PowerSinglePoint(Strict):
    """A device whose power rests on one element (one UPS, one PDU, one feed)."""

    device: str
    feeds: int
    ups: list[str]
    single_points: list[str]
    message: str


class SpofReport(Strict):
    elements_checked: int
    single_points: list[SinglePoint]
    power_single_points: list[PowerSinglePoint]
    note: str = (
        "power is judged once the UPS batteries are empty; a device's own site counts as cut off "
        "when it is the only device there"
    )


class DeviceStatus(Strict):
    device: str
    state: str
    root_causes: list[str] = Field(default_factory=list)


class LinkMismatch(Strict):
    link: str | None = None
    device: str
    interface: str
    documented: str | None = None
    seen: str | None = None
    message: str


class Reconciliation(Strict):
    """Inventory links against LLDP/CDP neighbors."""

    seen_not_documented: list[LinkMismatch]
    documented_not_seen: list[LinkMismatch]
    wrong_port: list[LinkMismatch]
    unknown_neighbors: list[LinkMismatch]
    confirmed: list[str]
