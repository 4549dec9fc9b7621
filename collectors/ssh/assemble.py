"""One poll's raw outputs and getter results -> samples, neighbors and facts."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from collectors.ssh import napalm_map, observe
from collectors.ssh.models import EnvComponent, Facts, InterfaceStatus, NeighborEntry, Optic
from collectors.ssh.profile import SshProfile
from collectors.ssh.session import SessionOutput
from collectors.ssh.typed import parse_output
from noc.errors import CollectError
from noc.model import Neighbor, Sample

_PROMPT_JUNK = re.compile(r"[<>\[\]#$ ]")


class Collected:
    """Typed results of one poll, commands first, napalm filling what they left out."""

    def __init__(self) -> None:
        self.optics: list[Optic] = []
        self.neighbors: list[NeighborEntry] = []
        self.environment: list[EnvComponent] = []
        self.interfaces: list[InterfaceStatus] = []
        self.facts: Facts | None = None
        self.notes: list[str] = []

    def add_facts(self, facts: Facts) -> None:
        if self.facts is None:
            self.facts = facts
            return
        mine = self.facts.model_dump()
        theirs = facts.model_dump()
        merged = {k: mine[k] if mine[k] not in ("", None) else theirs[k] for k in mine}
        self.facts = Facts.model_validate(merged)

    def add_getter(self, name: str, data: Any) -> None:
        kind = napalm_map.GETTERS[name]
        if kind == "facts":
            self.add_facts(napalm_map.facts(data))
            return
        mappers: dict[str, Callable[[Any], Sequence[BaseModel]]] = {
            "interfaces": napalm_map.interfaces,
            "neighbors": napalm_map.lldp_neighbors,
            "environment": napalm_map.environment,
            "optics": napalm_map.optics,
        }
        mapper = mappers[kind]
        mine: list[Any] = getattr(self, kind)
        keys = {_key(item) for item in mine}
        mine.extend(item for item in mapper(data) if _key(item) not in keys)


def _key(item: Any) -> tuple[str, ...]:
    if isinstance(item, NeighborEntry):
        return (item.local_interface, item.remote_system)
    if isinstance(item, InterfaceStatus):
        return (item.name,)
    if isinstance(item, Optic):
        return (item.interface, str(item.lane))
    return (str(getattr(item, "kind", "")), str(getattr(item, "name", "")))


def collect_typed(profile: SshProfile, out: SessionOutput) -> Collected:
    got = Collected()
    for spec in profile.commands:
        text = out.outputs.get(spec.command)
        if text is None:
            continue
        try:
            parsed = parse_output(profile.platform, spec, text)
        except CollectError as err:
            got.notes.append(str(err))
            continue
        if parsed.facts is not None:
            got.add_facts(parsed.facts)
        got.neighbors.extend(parsed.neighbors)  # LLDP and CDP both kept: protocol differs
        for kind in ("optics", "environment", "interfaces"):
            mine: list[Any] = getattr(got, kind)
            keys = {_key(item) for item in mine}
            mine.extend(i for i in getattr(parsed, kind) if _key(i) not in keys)
    for name, data in out.getters.items():
        try:
            got.add_getter(name, data)
        except Exception as err:  # a driver returning an odd shape
            got.notes.append(f"napalm {name}: unexpected result ({type(err).__name__})")
    got.notes.extend(f"napalm {k}: {v}" for k, v in out.getter_errors.items())
    if out.prompt and (got.facts is None or not got.facts.hostname):
        name = _PROMPT_JUNK.sub("", out.prompt.rpartition("@")[2])
        got.add_facts(Facts(hostname=name))
    return got


def assemble(
    device: str, profile: SshProfile, out: SessionOutput, ts: datetime
) -> tuple[list[Sample], list[Neighbor], Facts | None, list[str]]:
    got = collect_typed(profile, out)
    samples = [
        *observe.optic_samples(device, got.optics, ts),
        *observe.environment_samples(device, got.environment, ts),
        *observe.interface_samples(device, got.interfaces, ts),
    ]
    return samples, observe.neighbors(device, got.neighbors, ts), got.facts, got.notes
