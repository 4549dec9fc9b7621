from __future__ import annotations

from datetime import UTC, datetime

import pytest

from noc.clock import ManualClock


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 10, 1, tzinfo=UTC))
