"""The lab's device catalog: models.yaml and scalars.yaml, validated at load."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from noc.errors import ConfigError
from noc.lab.snmp.ber import Oid, parse_oid

ScalarType = Literal["int", "gauge", "counter", "ticks", "str", "oid"]
TABLE_MIBS = frozenset(
    {
        "system",
        "if_mib",
        "lldp",
        "entity",
        "cisco_entity_sensor",
        "entity_sensor",
        "jnx_dom",
        "huawei_optics",
    }
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Model(_Strict):
    sys_object_id: str = Field(pattern=r"^1(\.\d+)+$")
    verified: bool
    sys_descr: str
    os_version: str
    serial_prefix: str
    mibs: list[str]


class Scalar(_Strict):
    oid: Oid
    type: ScalarType
    value: int | str

    @property
    def reading(self) -> str | None:
        """The reading's name when the value is ``=name``."""
        if isinstance(self.value, str) and self.value.startswith("="):
            return self.value[1:]
        return None


class Catalog(_Strict):
    models: dict[str, Model]
    tables: dict[str, list[Scalar]]

    @field_validator("tables", mode="before")
    @classmethod
    def _rows(cls, value: object) -> object:
        if not isinstance(value, dict):
            return value
        out: dict[str, list[dict[str, object]]] = {}
        for name, rows in value.items():
            if not isinstance(rows, list):
                raise ValueError(f"table {name} must be a list of [oid, type, value]")
            out[name] = [
                {"oid": parse_oid(str(r[0])), "type": r[1], "value": r[2]}
                if isinstance(r, list) and len(r) == 3
                else {"bad_row": r}
                for r in rows
            ]
        return out

    def model_for(self, model: str, role: str) -> Model:
        """The catalog entry for a device: by model name, else by role (servers), else the
        generic entry (system group and IF-MIB only)."""
        return self.models.get(model) or self.models.get(role) or self.models["generic"]

    def check(self) -> None:
        if "generic" not in self.models:
            raise ConfigError("lab catalog needs a 'generic' model")
        for name, model in self.models.items():
            for mib in model.mibs:
                if mib not in TABLE_MIBS and mib not in self.tables:
                    raise ConfigError(f"lab model {name!r} names an unknown MIB module {mib!r}")


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    """Read the packaged catalog once (on first use, not at import)."""
    pkg = resources.files("noc.lab.devices")
    raw = {
        **yaml.safe_load(pkg.joinpath("models.yaml").read_text(encoding="utf-8")),
        **yaml.safe_load(pkg.joinpath("scalars.yaml").read_text(encoding="utf-8")),
    }
    try:
        catalog = Catalog.model_validate(raw)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"lab catalog is invalid at {where}: {first['msg']}") from None
    catalog.check()
    return catalog
