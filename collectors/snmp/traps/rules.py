"""Trap rules: which notification means what, as data (``rules.yaml``), never vendor code."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from collectors.snmp.profile import MetricName, OidText
from noc.errors import ConfigError

RULES_FILE = Path(__file__).parent / "rules.yaml"


class VarbindMatch(BaseModel):
    """The trap carries a varbind under ``oid`` whose value is ``value`` (as text)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    oid: OidText
    value: str


class TrapRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    oid: OidText  # snmpTrapOID.0 (v1 traps arrive translated per RFC 3584)
    name: str
    metric: MetricName
    value: float
    state: str  # the named state, as the polled enum metric calls it
    when: VarbindMatch | None = None
    index_oid: OidText | None = None  # varbind column whose instance is the row index
    index_label: str = "index"
    name_oids: list[OidText] = Field(default_factory=list)  # varbinds naming the row
    # a state change of this object (power_source: the device's output source, e.g. a UPS)
    object: Literal["device", "interface", "power_source"] | None = None


class TrapRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rules: list[TrapRule]

    def match(self, trap_oid: str, varbinds: dict[str, str]) -> TrapRule | None:
        for r in self.rules:
            if r.oid != trap_oid:
                continue
            if r.when is not None and not any(
                (k == r.when.oid or k.startswith(r.when.oid + ".")) and v == r.when.value
                for k, v in varbinds.items()
            ):
                continue
            return r
        return None


def load_rules(path: Path | None = None) -> TrapRules:
    p = path or RULES_FILE
    try:
        return TrapRules.model_validate(yaml.safe_load(p.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError) as err:
        raise ConfigError(f"{p}: cannot read trap rules ({err})") from None
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise ConfigError(f"{p}: {where}: {first['msg']}") from None
