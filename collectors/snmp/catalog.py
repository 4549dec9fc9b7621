"""The profile catalog: loads profiles/*.yaml strictly and picks one for a device."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from collectors.snmp.oids import oid_tuple
from collectors.snmp.profile import Metric, NeighborTable, Profile, Table
from noc.errors import ConfigError

PROFILE_DIR = Path(__file__).parent / "profiles"


@dataclass(frozen=True)
class Resolved:
    """A profile with its includes flattened: everything one poll reads."""

    name: str
    scalars: list[Metric] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    neighbors: list[NeighborTable] = field(default_factory=list)


@dataclass(frozen=True)
class Choice:
    profile: str
    reason: str


def load_profile(path: Path) -> Profile:
    """One profile file, validated; errors name the file and the key."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise ConfigError(f"{path}: cannot read profile ({err})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a profile is a mapping (name, match, scalars, tables ...)")
    try:
        prof = Profile.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(
            f"{path}: {where}: {first['msg']}"
            + (f" (and {err.error_count() - 1} more)" if err.error_count() > 1 else "")
        ) from None
    if prof.name != path.stem:
        raise ConfigError(f"{path}: name {prof.name!r} must equal the file name {path.stem!r}")
    return prof


class Catalog:
    def __init__(self, profiles: dict[str, Profile]) -> None:
        self.profiles = profiles
        for p in profiles.values():
            for inc in p.include:
                if inc not in profiles:
                    raise ConfigError(f"profile {p.name}: include {inc!r} is not a profile")
        self._resolved: dict[str, Resolved] = {}

    @classmethod
    def load(cls, directory: Path | None = None) -> Catalog:
        d = directory or PROFILE_DIR
        return cls({p.stem: load_profile(p) for p in sorted(d.glob("*.yaml"))})

    def resolve(self, name: str) -> Resolved:
        if name not in self.profiles:
            known = ", ".join(sorted(self.profiles))
            raise ConfigError(f"unknown SNMP profile {name!r}", hint=f"known: {known}")
        if name not in self._resolved:
            seen: list[str] = []
            self._walk(name, seen, [])
            profs = [self.profiles[n] for n in seen]
            self._resolved[name] = Resolved(
                name=name,
                scalars=list(
                    {m.name + str(m.labels): m for p in profs for m in p.scalars}.values()
                ),
                tables=list({t.name: t for p in profs for t in p.tables}.values()),
                neighbors=[nb for p in profs for nb in p.neighbors],
            )
        return self._resolved[name]

    def _walk(self, name: str, seen: list[str], stack: list[str]) -> None:
        if name in stack:
            raise ConfigError(f"profile include loop: {' -> '.join([*stack, name])}")
        if name in seen:
            return
        for inc in self.profiles[name].include:
            self._walk(inc, seen, [*stack, name])
        seen.append(name)

    def by_sysobjectid(self, sys_object_id: str | None) -> Choice | None:
        """The profile whose ``match`` is the longest prefix of ``sys_object_id``."""
        if not sys_object_id:
            return None
        try:
            oid = oid_tuple(sys_object_id)
        except ValueError:
            return None
        best: tuple[int, str, str] | None = None
        for p in self.profiles.values():
            for prefix in p.match:
                pt = oid_tuple(prefix)
                if oid[: len(pt)] == pt and (best is None or len(pt) > best[0]):
                    best = (len(pt), p.name, prefix)
        if best is None:
            return None
        return Choice(best[1], f"sysObjectID {sys_object_id} matches {best[2]}")

    def probes(self) -> list[tuple[str, str]]:
        """(profile, oid) pairs to try when no sysObjectID matches, most specific first."""
        pairs = [(p.name, o) for p in self.profiles.values() for o in p.probe]
        return sorted(pairs, key=lambda x: -len(oid_tuple(x[1])))
