"""Mute stages, as Alertmanager's Muters: maintenance, silence, inhibition, in that order.

Each stage answers whether an alert is muted and why; :class:`MuteStages` asks them in order and
returns the first answer. A muted alert is still recorded (and opens or joins an incident); it is
just not notified on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from enum import StrEnum
from typing import Protocol
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from alerting.alert import Alert
from alerting.topology_view import PowerAware, TopologyView, WithPower
from noc.model import Inventory
from noc.model.observations import ObjectKind
from noc.model.recurrence import active_at
from noc.store.events import MaintenanceRepository, MaintenanceWindow, SilenceRepository


class MuteKind(StrEnum):
    maintenance = "maintenance"  # planned: recorded, not notified, excluded from SLA
    silence = "silence"  # operator's choice: not notified, still counts against SLA
    inhibition = "inhibition"  # symptom of a root cause: linked, not notified alone


class Mute(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: MuteKind
    ref: str  # maintenance:3, silence:5, incident:7
    reason: str


class Muter(Protocol):
    def mutes(self, alert: Alert, at: datetime) -> Mute | None: ...


class MuteStages:
    def __init__(self, muters: Sequence[Muter]) -> None:
        self._muters = tuple(muters)

    def check(self, alert: Alert, at: datetime) -> Mute | None:
        for muter in self._muters:
            found = muter.mutes(alert, at)
            if found is not None:
                return found
        return None


def window_active(window: MaintenanceWindow, at: datetime, zone: ZoneInfo) -> bool:
    """Whether an occurrence of ``window`` covers ``at``: one-off windows by their bounds,
    recurring ones (RFC 5545 RRULE) in the wall-clock time of ``zone``, the target's, exactly
    as the SLA counts them (:mod:`noc.model.recurrence`)."""
    return active_at(
        window.starts_at,
        window.ends_at,
        window.recurrence,
        zone,
        at,
        cancelled_at=window.cancelled_at,
    )


def window_zone(inventory: Inventory | None, window: MaintenanceWindow) -> ZoneInfo:
    """The zone a window recurs in: its target's site's, else the city's (UTC, no inventory)."""
    if inventory is None:
        return ZoneInfo("UTC")
    return inventory.timezone_of_object(window.target.kind.value, window.target.id)


class MaintenanceMuter:
    def __init__(
        self,
        windows: MaintenanceRepository,
        topology: TopologyView,
        inventory: Inventory | None = None,
    ) -> None:
        self._windows = windows
        self._topology = topology
        self._inventory = inventory  # the targets' time zones, for recurring windows

    def mutes(self, alert: Alert, at: datetime) -> Mute | None:
        device = alert.labels.get("device")
        services = set(self._topology.affected_services([alert.object]))
        for w in self._windows.list():  # recurring windows started long ago count too
            if not window_active(w, at, window_zone(self._inventory, w)):
                continue
            t = w.target
            hit = (
                str(t) == str(alert.object)
                or (t.kind is ObjectKind.device and t.id == device)
                or (t.kind is ObjectKind.site and t.id == alert.site)
                or (t.kind is ObjectKind.service and t.id in services)
            )
            if hit:
                return Mute(
                    kind=MuteKind.maintenance,
                    ref=f"maintenance:{w.id}",
                    reason=f"planned maintenance of {t} by {w.author}: {w.reason}",
                )
        return None


class SilenceMuter:
    def __init__(self, silences: SilenceRepository) -> None:
        self._silences = silences

    def mutes(self, alert: Alert, at: datetime) -> Mute | None:
        for s in self._silences.active(at):
            if s.matches(alert.labels):
                return Mute(
                    kind=MuteKind.silence,
                    ref=f"silence:{s.id}",
                    reason=f"silenced by {s.author} until {s.ends_at.isoformat()}: {s.reason}",
                )
        return None


class InhibitionMuter:
    """A symptom: its root cause, correlation key or redundancy group already has an incident."""

    def __init__(
        self, topology: TopologyView, anchor_incident: Callable[[str], int | None]
    ) -> None:
        self._topology = topology
        self._anchor_incident = anchor_incident

    def mutes(self, alert: Alert, at: datetime) -> Mute | None:
        for anchor, why in anchors(alert, self._topology):
            if anchor == f"object:{alert.object}":
                continue
            incident = self._anchor_incident(anchor)
            if incident is not None:
                return Mute(
                    kind=MuteKind.inhibition, ref=f"incident:{incident}", reason=f"{why} ({anchor})"
                )
        return None


def anchors(alert: Alert, topology: TopologyView) -> list[tuple[str, str]]:
    """The keys under which an alert's incident can be found by its symptoms, strongest first."""
    out: list[tuple[str, str]] = []
    root = topology.root_cause_of(alert.object)
    if root is not None and root != alert.object:
        out.append((f"object:{root}", f"root cause is {root}"))
    # Correlation keys (power:dc, ring:R1) and redundancy groups (core-1+core-2, ring:R1) share
    # one namespace, so a ring rule's ring:{ring} meets its segments' group.
    if alert.correlate:
        out.append((f"group:{alert.correlate}", "same problem as an open incident"))
    group = topology.redundancy_group(alert.object)
    if group and group != alert.correlate:
        out.append((f"group:{group}", "part of a redundancy group that has an incident"))
    power = topology.power_group(alert.object) if isinstance(topology, PowerAware) else None
    if power and power != alert.correlate and power != group:
        out.append((f"group:{power}", "no UPS feeds it: it goes dark with the utility"))
    link = topology.link_of(alert.object) if isinstance(topology, WithPower) else None
    if link is not None:
        out.append((f"object:{link}", f"an end of {link}"))
    for end in topology.ends_of(alert.object) if isinstance(topology, WithPower) else ():
        out.append((f"object:{end}", f"{end} is an end of this link"))
    out.append((f"object:{alert.object}", "same object"))
    return out


def lookup_only(alert: Alert, topology: TopologyView) -> set[str]:
    """Anchors an alert may join by but never registers: a device that goes dark with the
    utility joins its site's power incident, an interface's alert joins its link's incident;
    their own incidents must not adopt the power or link alerts."""
    out: set[str] = set()
    power = topology.power_group(alert.object) if isinstance(topology, PowerAware) else None
    if power and power != alert.correlate:
        out.add(f"group:{power}")
    link = topology.link_of(alert.object) if isinstance(topology, WithPower) else None
    if link is not None:
        out.add(f"object:{link}")
    for end in topology.ends_of(alert.object) if isinstance(topology, WithPower) else ():
        out.add(f"object:{end}")
    return out
