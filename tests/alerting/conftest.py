from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.alerting.support import City, build_city


@pytest.fixture
def city(tmp_path: Path) -> Iterator[City]:
    c = build_city(tmp_path)
    yield c
    c.close()
