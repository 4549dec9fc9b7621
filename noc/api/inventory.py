"""Read API for the inventory: sites, devices, links, services, with live device state.

Credentials never leave the process: devices show only which credential set they use.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, ConfigDict

from noc.api.auth import RuntimeDep
from noc.api.policy import READERS, allow
from noc.model import Device, DeviceRole, Link, LinkKind, Service, Site, SiteKind
from noc.runtime import Runtime

T = TypeVar("T")

router = APIRouter(tags=["inventory"], dependencies=[allow(READERS)])


class PollHealth(BaseModel):
    """The last poll of a device by one collector."""

    model_config = ConfigDict(extra="forbid")

    collector: str
    at: datetime
    duration_seconds: float
    ok: bool
    error_kind: str | None
    error: str | None


class DeviceView(BaseModel):
    """A device as the API shows it: no credential reference, plus its current state."""

    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    site: str
    role: DeviceRole
    vendor: str
    model: str
    platform: str | None
    profile: str | None
    address: str
    depends_on: list[str]
    redundant_peer: str | None
    interfaces: list[str]
    state: str
    polls: list[PollHealth]
    facts: dict[str, Any] | None = None  # model, os_version, serial, uptime: as the device says


class Page(BaseModel, Generic[T]):
    model_config = ConfigDict(extra="forbid")

    total: int
    items: list[T]


def _state(runtime: Runtime, device_id: str) -> str:
    if runtime.pipeline is None:
        return "unknown"
    return str(runtime.pipeline.snapshot().get(device_id, "unknown"))


def _device_view(runtime: Runtime, d: Device) -> DeviceView:
    return DeviceView(
        id=d.id,
        name=d.name,
        site=d.site,
        role=d.role,
        vendor=d.vendor,
        model=d.model,
        platform=d.platform,
        profile=d.profile,
        address=str(d.address),
        depends_on=list(d.depends_on),
        redundant_peer=d.redundant_peer,
        interfaces=[i.name for i in d.interfaces],
        state=_state(runtime, d.id),
        polls=_polls(runtime, d.id),
        facts=None if runtime.pipeline is None else runtime.pipeline.facts.get(d.id),
    )


def _polls(runtime: Runtime, device_id: str) -> list[PollHealth]:
    if runtime.pipeline is None:
        return []
    return [
        PollHealth(
            collector=r.collector,
            at=r.started_at,
            duration_seconds=r.duration_seconds,
            ok=not r.failed,
            error_kind=r.error_kind,
            error=r.error,
        )
        for (dev, _c), r in sorted(runtime.pipeline.last_result.items())
        if dev == device_id
    ]


def _not_found(kind: str, ident: str) -> HTTPException:
    return HTTPException(status_code=404, detail=f"no {kind} with id {ident!r} in the inventory")


def _find(items: list[Any], ident: str, kind: str) -> Any:
    for item in items:
        if item.id == ident:
            return item
    raise _not_found(kind, ident)


@router.get("/sites", summary="Sites of the city network")
async def list_sites(
    runtime: RuntimeDep, kind: Annotated[SiteKind | None, Query()] = None
) -> Page[Site]:
    items = [s for s in runtime.inventory.sites if kind is None or s.kind == kind]
    return Page[Site](total=len(items), items=items)


@router.get("/sites/{site_id}", summary="One site")
async def get_site(runtime: RuntimeDep, site_id: str) -> Site:
    site: Site = _find(runtime.inventory.sites, site_id, "site")
    return site


@router.get("/devices", summary="Devices, with their current state")
async def list_devices(
    runtime: RuntimeDep,
    site: Annotated[str | None, Query()] = None,
    role: Annotated[DeviceRole | None, Query()] = None,
) -> Page[DeviceView]:
    items = [
        _device_view(runtime, d)
        for d in runtime.inventory.devices
        if (site is None or d.site == site) and (role is None or d.role == role)
    ]
    return Page[DeviceView](total=len(items), items=items)


@router.get("/devices/{device_id}", summary="One device, with its current state")
async def get_device(runtime: RuntimeDep, device_id: str) -> DeviceView:
    return _device_view(runtime, _find(runtime.inventory.devices, device_id, "device"))


@router.get("/links", summary="Links: backbone, distribution, access and WAN")
async def list_links(
    runtime: RuntimeDep,
    kind: Annotated[LinkKind | None, Query()] = None,
    ring: Annotated[str | None, Query()] = None,
) -> Page[Link]:
    items = [
        link
        for link in runtime.inventory.links
        if (kind is None or link.kind == kind) and (ring is None or link.ring == ring)
    ]
    return Page[Link](total=len(items), items=items)


@router.get("/links/{link_id}", summary="One link")
async def get_link(runtime: RuntimeDep, link_id: str) -> Link:
    link: Link = _find(runtime.inventory.links, link_id, "link")
    return link


@router.get("/services", summary="Services citizens and agencies use")
async def list_services(runtime: RuntimeDep) -> Page[Service]:
    items = list(runtime.inventory.services)
    return Page[Service](total=len(items), items=items)


@router.get("/services/{service_id}", summary="One service and its component rule")
async def get_service(runtime: RuntimeDep, service_id: str) -> Service:
    service: Service = _find(runtime.inventory.services, service_id, "service")
    return service
