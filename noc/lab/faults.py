"""Faults the lab can inject: their names, arguments and records."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from noc.errors import NocError

KINDS = (
    "link-down",
    "device-down",
    "utility-fail",
    "hvac-fail",
    "traffic-surge",
    "optic-degrade",
    "water-leak",
    "door-open",
)
USAGE = {
    "link-down": "link-down LINK",
    "device-down": "device-down DEVICE",
    "utility-fail": "utility-fail [genset_delay=S] [transfer_delay=S] [genset=no]",
    "hvac-fail": "hvac-fail UNIT",
    "traffic-surge": "traffic-surge LINK RATIO",
    "optic-degrade": "optic-degrade LINK",
    "water-leak": "water-leak SENSOR",
    "door-open": "door-open SENSOR",
}


class FaultError(NocError):
    """A fault that cannot be injected or cleared as asked."""


@dataclass(frozen=True)
class Fault:
    kind: str
    target: str | None
    since: float  # epoch seconds
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.kind if self.target is None else f"{self.kind}:{self.target}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "target": self.target,
            "since": self.since,
            "params": dict(self.params),
        }


def parse_fault(kind: str, args: list[str]) -> tuple[str | None, dict[str, Any]]:
    """Check a fault's arguments: its target and its parameters."""
    if kind not in KINDS:
        raise FaultError(f"unknown fault {kind!r}", hint="one of: " + ", ".join(KINDS))
    usage = f"usage: noc lab fault {USAGE[kind]}"
    if kind == "utility-fail":
        params: dict[str, Any] = {}
        for arg in args:
            key, sep, value = arg.partition("=")
            try:
                if key in ("genset_delay", "transfer_delay") and sep:
                    params[key] = float(value)
                    if params[key] < 0:
                        raise ValueError
                elif key == "genset" and value in ("yes", "no"):
                    params["genset_starts"] = value == "yes"
                else:
                    raise ValueError
            except ValueError:
                raise FaultError(f"bad argument {arg!r}", hint=usage) from None
        return None, params
    if kind == "traffic-surge":
        if len(args) != 2:
            raise FaultError("traffic-surge needs a link and a ratio", hint=usage)
        try:
            ratio = float(args[1])
        except ValueError:
            raise FaultError(f"ratio {args[1]!r} is not a number", hint=usage) from None
        if not 0 <= ratio <= 100:
            raise FaultError("the ratio must be between 0 and 100", hint=usage)
        return args[0], {"ratio": ratio}
    if len(args) != 1:
        raise FaultError(f"{kind} needs exactly one target", hint=usage)
    return args[0], {}
