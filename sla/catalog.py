"""What the SLA needs to know about the inventory, as one small serializable model.

The engine reads only this, never :class:`~noc.model.Inventory` directly, so an auditor's export
can carry the exact catalog its figures were computed with and be re-checked from the file alone.

Sites get a rule of their own (the inventory has none): a site is down when every network
device there (switches, routers, firewalls; every device when it has none) is down or
unreachable: ``any`` over those devices.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from noc.model import DeviceRole, Inventory, Policy, ServiceRule
from noc.model.policy import DEFAULT_POLICY

NETWORK_ROLES = frozenset(
    {
        DeviceRole.core_switch,
        DeviceRole.distribution_switch,
        DeviceRole.access_switch,
        DeviceRole.router,
        DeviceRole.firewall,
    }
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CatalogObject(_Strict):
    """A device or link (``ref`` is ``device:ID`` / ``link:ID``) with where it stands."""

    ref: str
    name: str
    site: str | None = None
    sites: tuple[str, ...] = ()  # a link: the sites of both ends
    policy: str = DEFAULT_POLICY


class CatalogService(_Strict):
    """A service or a site (``ref`` is ``service:ID`` / ``site:ID``) and its component rule."""

    ref: str
    name: str
    site: str | None = None
    policy: str = DEFAULT_POLICY
    components: tuple[str, ...] = Field(min_length=1)
    rule: ServiceRule = ServiceRule.all
    n: int | None = None

    def needed(self) -> int:
        if self.rule is ServiceRule.all:
            return len(self.components)
        if self.rule is ServiceRule.any:
            return 1
        return self.n or 1


class SlaCatalog(_Strict):
    city: str = ""
    timezone: str = "Asia/Jakarta"
    site_timezones: dict[str, str] = Field(default_factory=dict)
    policies: dict[str, Policy] = Field(default_factory=lambda: {DEFAULT_POLICY: Policy()})
    objects: tuple[CatalogObject, ...] = ()
    services: tuple[CatalogService, ...] = ()  # services, then sites

    def policy(self, name: str | None) -> Policy:
        return self.policies.get(name or DEFAULT_POLICY) or self.policies[DEFAULT_POLICY]

    def timezone_of(self, site: str | None) -> str:
        return self.site_timezones.get(site or "", self.timezone)

    def object(self, ref: str) -> CatalogObject | None:
        return next((o for o in self.objects if o.ref == ref), None)

    def service(self, ref: str) -> CatalogService | None:
        return next((s for s in self.services if s.ref == ref), None)

    def refs_at_site(self, site: str) -> list[str]:
        """Devices at ``site`` and links touching it (a site's maintenance covers them)."""
        return [o.ref for o in self.objects if o.site == site or site in o.sites]


def catalog_of(inventory: Inventory) -> SlaCatalog:
    """The catalog of ``inventory``: its devices, links, services, sites and policies."""
    objects: list[CatalogObject] = []
    for d in inventory.devices:
        objects.append(
            CatalogObject(
                ref=f"device:{d.id}",
                name=d.name,
                site=d.site,
                policy=d.policy or DEFAULT_POLICY,
            )
        )
    site_of = {d.id: d.site for d in inventory.devices}
    for k in inventory.links:
        ends = tuple(sorted({site_of.get(k.a.device, ""), site_of.get(k.b.device, "")} - {""}))
        objects.append(CatalogObject(ref=f"link:{k.id}", name=k.id, sites=ends))
    services = [
        CatalogService(
            ref=f"service:{s.id}",
            name=s.name,
            site=s.site,
            policy=s.policy,
            components=tuple(str(c) for c in s.components),
            rule=s.rule,
            n=s.n,
        )
        for s in inventory.services
    ]
    for site in inventory.sites:
        devices = inventory.devices_at(site.id)
        if not devices:
            continue
        network = [d for d in devices if d.role in NETWORK_ROLES] or devices
        services.append(
            CatalogService(
                ref=f"site:{site.id}",
                name=site.name,
                site=site.id,
                components=tuple(f"device:{d.id}" for d in network),
                rule=ServiceRule.any,
            )
        )
    return SlaCatalog(
        city=inventory.city,
        timezone=inventory.settings.timezone,
        site_timezones={s.id: s.timezone for s in inventory.sites if s.timezone},
        policies=dict(inventory.policies),
        objects=tuple(objects),
        services=tuple(services),
    )
