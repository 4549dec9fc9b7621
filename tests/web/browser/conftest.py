"""One lab and one ``noc serve`` for every browser test (started once: they take ~20 s to fill).

The tests share one incident (the lab's ``utility-fail``: both UPSes of the data center go on
battery, one correlated incident); whichever test first needs it injects it (normally the
live-update test, which watches it arrive on an open wall).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser import webdriver
from tests.peers import require_binary
from tests.web.browser.stack import CityStack

OPERATOR = ("ops.budi", "operator", "sandi-operator-rahasia-1")
VIEWER = ("layar.noc", "viewer", "sandi-layar-rahasia-2")
FAULT = "utility-fail"
FAULT_RULE = "ups_on_battery"  # the rule the fault fires (alerting/rules/power.yaml)
FILL_TIMEOUT_S = 90.0


@dataclass
class City:
    stack: CityStack
    api: httpx.Client  # as the operator, with a bearer token
    incident_id: int | None = None
    opened: dict[str, Any] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return self.stack.base

    def incident_of_fault(self) -> dict[str, Any] | None:
        """The unresolved incident the fault opened, as the API lists it (None: not yet)."""
        listed = self.api.get("/api/v1/incidents", params={"unresolved": "true"})
        listed.raise_for_status()
        for inc in listed.json():
            if str(inc.get("source_alert", "")).startswith(FAULT_RULE + "/"):
                return dict(inc)
        return None

    def inject(self) -> tuple[dict[str, Any], float]:
        """Inject the fault; the incident and when the API first listed it (epoch seconds)."""
        assert self.incident_id is None, "the fault is injected once per run"
        assert self.incident_of_fault() is None, "an incident of the fault before the fault"
        self.stack.fault(FAULT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            inc = self.incident_of_fault()
            if inc is not None:
                listed_at = time.time()
                self.incident_id, self.opened = int(inc["id"]), inc
                return inc, listed_at
            time.sleep(0.05)
        raise AssertionError(f"no {FAULT_RULE} incident within 30 s of {FAULT}")

    def incident(self) -> int:
        """The fault's incident id, injecting the fault if no test did yet."""
        if self.incident_id is None:
            self.inject()
        assert self.incident_id is not None
        return self.incident_id


@pytest.fixture(scope="package")
def city() -> Iterator[City]:
    require_binary("chromium", "chromium-browser")
    require_binary("chromedriver", "/usr/lib/chromium/chromedriver")
    root = Path(tempfile.mkdtemp(prefix="noc-browser-"))  # short: the lab's control socket
    stack = CityStack.start(root)
    try:
        for username, role, password in (OPERATOR, VIEWER):
            stack.add_user(username, role, password)
        api = stack.api(stack.token(OPERATOR[0], "browser-tests"))

        def all_up() -> bool:
            snap = api.get("/api/v1/wall").json()
            ups = snap["facility"]["ups"]
            return bool(
                snap["devices_by_state"].get("up") == snap["devices_total"] == stack.device_count
                and ups
                and all(u["source"] == "normal" for u in ups)
            )

        deadline = time.monotonic() + FILL_TIMEOUT_S
        while not all_up():
            assert time.monotonic() < deadline, "the lab's devices did not all come up"
            time.sleep(0.5)
        yield City(stack, api)
        api.close()
    finally:
        codes = stack.stop()
    assert codes == (0, 0), f"noc serve / lab exit codes {codes}; logs in {root}"


@pytest.fixture
def browser() -> Iterator[Any]:
    driver = webdriver()
    try:
        yield driver
    finally:
        driver.quit()
