"""The inventory of the city's network: the root model of ``inventory.yaml``.

The model checks shapes and values; cross-references (a link to a missing device, a ring
that is not a cycle, ...) are checked by :mod:`noc.inventory`, which is how an Inventory
should be obtained (``noc.inventory.load_inventory``).
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import Field, field_validator

from noc.model.base import InventoryModel
from noc.model.credentials import CredentialSet, SnmpCredentials, SshCredentials
from noc.model.devices import Device, PollIntervals
from noc.model.links import Link
from noc.model.policy import DEFAULT_POLICY, Policy
from noc.model.power import Power, PowerFeed
from noc.model.services import Service
from noc.model.sites import Site
from noc.model.timezone import TimeZoneName

CollectorKind = Literal["snmp", "ssh", "icmp"]


class InventorySettings(InventoryModel):
    timezone: TimeZoneName = "Asia/Jakarta"
    locale: Literal["id", "en"] = "id"
    poll_intervals: PollIntervals = Field(default_factory=PollIntervals)
    snmp_port: int = Field(default=161, ge=1, le=65535)
    ssh_port: int = Field(default=22, ge=1, le=65535)


class Inventory(InventoryModel):
    version: Literal[1]
    city: str = Field(min_length=1)
    settings: InventorySettings = Field(default_factory=InventorySettings)
    credentials: dict[str, CredentialSet] = Field(default_factory=dict)
    policies: dict[str, Policy] = Field(default_factory=dict, validate_default=True)
    sites: list[Site] = Field(default_factory=list)
    devices: list[Device] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    power: Power = Field(default_factory=Power)
    services: list[Service] = Field(default_factory=list)

    @field_validator("policies", mode="after")
    @classmethod
    def _default_policy(cls, value: dict[str, Policy]) -> dict[str, Policy]:
        if DEFAULT_POLICY not in value:
            return {DEFAULT_POLICY: Policy(), **value}
        return value

    # -- lookups (the ids are unique once noc.inventory has checked the file) --

    @cached_property
    def _by_id(self) -> dict[str, dict[str, Any]]:
        return {
            "site": {s.id: s for s in self.sites},
            "device": {d.id: d for d in self.devices},
            "link": {k.id: k for k in self.links},
            "service": {s.id: s for s in self.services},
        }

    def site(self, site_id: str) -> Site:
        """The site ``site_id``; KeyError when there is none."""
        site: Site = self._by_id["site"][site_id]
        return site

    def device(self, device_id: str) -> Device:
        device: Device = self._by_id["device"][device_id]
        return device

    def link(self, link_id: str) -> Link:
        link: Link = self._by_id["link"][link_id]
        return link

    def service(self, service_id: str) -> Service:
        service: Service = self._by_id["service"][service_id]
        return service

    def policy(self, name: str | None) -> Policy:
        """The policy ``name``; None means the default policy."""
        return self.policies[name or DEFAULT_POLICY]

    def devices_at(self, site_id: str) -> list[Device]:
        return [d for d in self.devices if d.site == site_id]

    def links_of(self, device_id: str) -> list[Link]:
        return [k for k in self.links if device_id in k.devices]

    def rings(self) -> dict[str, list[Link]]:
        """Ring id -> its links, in file order."""
        rings: dict[str, list[Link]] = {}
        for link in self.links:
            if link.ring is not None:
                rings.setdefault(link.ring, []).append(link)
        return rings

    def feeds_to(self, device_id: str) -> list[PowerFeed]:
        return self.power.feeds_to(device_id)

    def power_upstream(self, device_id: str) -> list[str]:
        """Every device that powers ``device_id``, nearest first (its UPS, the ATS, the genset);
        utility sources, which are not devices, are left out."""
        devices = self._by_id["device"]
        seen: list[str] = []
        todo = [f.from_ for f in self.feeds_to(device_id)]
        while todo:
            here = todo.pop(0)
            if here in seen or here == device_id or here not in devices:
                continue
            seen.append(here)
            todo += [f.from_ for f in self.feeds_to(here)]
        return seen

    def snmp_credentials(self, device: Device) -> SnmpCredentials | None:
        if device.snmp is None:
            return None
        cred = self.credentials[device.snmp.credentials]
        return None if isinstance(cred, SshCredentials) else cred

    def ssh_credentials(self, device: Device) -> SshCredentials | None:
        if device.ssh is None:
            return None
        cred = self.credentials[device.ssh.credentials]
        return cred if isinstance(cred, SshCredentials) else None

    def snmp_port(self, device: Device) -> int:
        if device.snmp is not None and device.snmp.port is not None:
            return device.snmp.port
        return self.settings.snmp_port

    def ssh_port(self, device: Device) -> int:
        if device.ssh is not None and device.ssh.port is not None:
            return device.ssh.port
        return self.settings.ssh_port

    def poll_interval(self, device: Device, kind: CollectorKind) -> int:
        """Seconds between polls of ``device`` by the ``kind`` collector."""
        override: int | None = getattr(device.poll_intervals, kind)
        if override is not None:
            return override
        default: int = getattr(self.settings.poll_intervals, kind)
        return default

    def timezone_of_object(self, kind: str, ident: str) -> ZoneInfo:
        """The time zone something keeps its local time in: a site's own, a device's site's, a
        link's a-end's site's; anything else (a service, an unknown id) the city's."""
        site: str | None = None
        if kind == "site":
            site = ident
        elif kind == "device" and ident in self._by_id["device"]:
            site = self._by_id["device"][ident].site
        elif kind == "link" and ident in self._by_id["link"]:
            end = self._by_id["link"][ident].a.device
            found = self._by_id["device"].get(end)
            site = found.site if found is not None else None
        return self.timezone_of(site) if site is not None else ZoneInfo(self.settings.timezone)

    def timezone_of(self, site_id: str) -> ZoneInfo:
        """The site's time zone (its override, else ``settings.timezone``)."""
        site = self._by_id["site"].get(site_id)
        name = site.timezone if site is not None and site.timezone else self.settings.timezone
        return ZoneInfo(name)
