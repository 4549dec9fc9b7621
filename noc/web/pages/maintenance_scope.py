"""What a maintenance window covers, in the inventory's words: the scope picker's choices, a
readable name for a window's target, and the services whose SLA the window touches."""

from __future__ import annotations

from dataclasses import dataclass

from noc.model import Inventory, ObjectKind, ObjectRef
from noc.model.policy import MaintenanceTreatment


@dataclass(frozen=True)
class ScopeChoice:
    value: str  # "device:core-1"
    label: str  # "Core switch 1 (core-1)"


@dataclass(frozen=True)
class SlaEffect:
    """The services a window's target is part of, by how their policy treats maintenance."""

    by_treatment: dict[MaintenanceTreatment, tuple[str, ...]]

    @property
    def services(self) -> tuple[str, ...]:
        return tuple(name for names in self.by_treatment.values() for name in names)


def scope_choices(inventory: Inventory) -> dict[str, list[ScopeChoice]]:
    """The scope picker's groups: services, sites, devices (each by name)."""
    return {
        "service": [
            ScopeChoice(f"service:{s.id}", f"{s.name} ({s.id})") for s in inventory.services
        ],
        "site": [ScopeChoice(f"site:{s.id}", f"{s.name} ({s.id})") for s in inventory.sites],
        "device": [
            ScopeChoice(f"device:{d.id}", f"{d.name} ({d.id})" if d.name else d.id)
            for d in inventory.devices
        ],
    }


def target_name(inventory: Inventory, ref: ObjectRef) -> str:
    """The target's name from the inventory, or its id when the inventory no longer has it."""
    try:
        if ref.kind is ObjectKind.service:
            return inventory.service(ref.id).name
        if ref.kind is ObjectKind.site:
            return inventory.site(ref.id).name
        if ref.kind is ObjectKind.device:
            return inventory.device(ref.id).name or ref.id
    except KeyError:
        pass
    return ref.id


def _covered(inventory: Inventory, ref: ObjectRef) -> set[str]:
    """The object refs (as text) the target stands for: a site covers its devices and the
    links between them; a device covers the links that end on it."""
    refs = {str(ref)}
    devices: set[str] = set()
    if ref.kind is ObjectKind.device:
        devices = {ref.id}
    elif ref.kind is ObjectKind.site:
        devices = {d.id for d in inventory.devices_at(ref.id)}
    refs |= {f"device:{d}" for d in devices}
    for link in inventory.links:
        if set(link.devices) & devices:
            refs.add(f"link:{link.id}")
    return refs


def sla_effect(inventory: Inventory, ref: ObjectRef) -> SlaEffect:
    """Services listing the target (directly, through its devices or links, or through a
    nested service), grouped by their policy's maintenance treatment."""
    covered = _covered(inventory, ref)
    hosted = {s.id for s in inventory.services if ref.kind is ObjectKind.site and s.site == ref.id}
    found = {s.id for s in inventory.services if f"service:{s.id}" in covered} | hosted
    changed = True
    while changed:
        changed = False
        for svc in inventory.services:
            if svc.id in found:
                continue
            parts = {str(c) for c in svc.components}
            if parts & covered or any(f"service:{s}" in parts for s in found):
                found.add(svc.id)
                changed = True
    by: dict[MaintenanceTreatment, list[str]] = {}
    for svc in inventory.services:
        if svc.id in found:
            treatment = inventory.policy(svc.policy).maintenance
            by.setdefault(treatment, []).append(svc.name)
    return SlaEffect({k: tuple(v) for k, v in by.items()})
