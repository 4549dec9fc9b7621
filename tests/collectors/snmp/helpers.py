"""Small inventories and agents for the SNMP collector tests."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from noc.model import Device, Inventory

REPO = Path(__file__).resolve().parents[3]
LAB = (REPO / ".." / "shared" / "lab").resolve()
SNMPREC = LAB / "snmprec"


def inventory(
    devices: list[dict[str, Any]],
    credentials: dict[str, dict[str, Any]],
    links: list[dict[str, Any]] | None = None,
) -> Inventory:
    return Inventory.model_validate(
        {
            "version": 1,
            "city": "test",
            "sites": [{"id": "hq", "name": "HQ", "kind": "data_center"}],
            "credentials": credentials,
            "devices": [{"site": "hq", "role": "access_switch", **d} for d in devices],
            "links": links or [],
        }
    )


def v2c(env: str, value: str) -> dict[str, Any]:
    os.environ[env] = value
    return {"type": "snmp_v2c", "community": f"env:{env}"}


def device_of(inv: Inventory, device_id: str) -> Device:
    return inv.device(device_id)
