"""What a check finds: problems located by file, line and key path, and the report."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from noc.errors import ConfigError
from noc.model.inventory import Inventory

Path = tuple[str | int, ...]
"""A place in the YAML data: keys and list indices from the root."""


class Severity(StrEnum):
    error = "error"
    warning = "warning"


@dataclass(frozen=True)
class Finding:
    """A problem found by a check, located by a path in the model (not yet a line)."""

    path: Path
    message: str
    severity: Severity = Severity.error


@dataclass(frozen=True)
class Problem:
    """A problem in a file: ``inventory.yaml:42: error: devices[3].role: ...``."""

    file: str
    line: int
    key: str
    message: str
    severity: Severity = Severity.error

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        key = f"{self.key}: " if self.key else ""
        return f"{where}: {self.severity.value}: {key}{self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "severity": self.severity.value}


@dataclass(frozen=True)
class Summary:
    """How much the inventory describes."""

    sites: int = 0
    devices: int = 0
    links: int = 0
    rings: int = 0
    services: int = 0
    power_feeds: int = 0

    def to_dict(self) -> dict[str, int]:
        return asdict(self)

    def __str__(self) -> str:
        parts = [
            (self.sites, "site", "sites"),
            (self.devices, "device", "devices"),
            (self.links, "link", "links"),
            (self.rings, "ring", "rings"),
            (self.services, "service", "services"),
            (self.power_feeds, "power feed", "power feeds"),
        ]
        return ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in parts)


@dataclass
class CheckReport:
    """Every problem of one inventory file, its summary, and the model when it parsed.

    ``inventory`` is set when the file matched the schema; cross-reference errors may
    still exist, so use it only when :attr:`errors` is empty.
    """

    file: str
    problems: list[Problem] = field(default_factory=list)
    summary: Summary = field(default_factory=Summary)
    inventory: Inventory | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.warning]

    def failed(self, *, strict: bool = True) -> bool:
        """True when there is an error, or (``strict``) a warning."""
        return bool(self.errors or (strict and self.warnings))

    def to_dict(self, *, strict: bool = True) -> dict[str, Any]:
        return {
            "file": self.file,
            "ok": not self.failed(strict=strict),
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "problems": [p.to_dict() for p in self.problems],
            "summary": self.summary.to_dict(),
        }


class InventoryError(ConfigError):
    """An inventory file has errors; ``problems`` holds every one of them."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        errors = [p for p in problems if p.severity is Severity.error]
        count = f"{len(errors)} error" + ("" if len(errors) == 1 else "s")
        first = f"; first: {errors[0]}" if errors else ""
        super().__init__(
            f"{file} has {count}{first}", hint=f"run `noc check {file}` to see them all"
        )
        self.file = file
        self.problems = problems
