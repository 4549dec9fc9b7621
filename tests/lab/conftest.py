from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from noc.clock import ManualClock
from noc.inventory import load_inventory
from noc.lab.city import LabCity
from noc.model import Inventory

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def demo_inventory() -> Inventory:
    return load_inventory(ROOT / "inventory.yaml")


@pytest.fixture
def lab_clock() -> ManualClock:
    # 00:00 UTC = 07:00 in Jakarta (no DST)
    return ManualClock(datetime(2026, 10, 1, 0, 0, tzinfo=UTC))


@pytest.fixture
def city(demo_inventory: Inventory, lab_clock: ManualClock) -> LabCity:
    return LabCity(demo_inventory, lab_clock, genset_delay_s=60.0, transfer_delay_s=10.0)
