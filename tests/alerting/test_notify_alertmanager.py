"""Alerts pushed to a real Prometheus Alertmanager (Debian prometheus-alertmanager) via API v2."""

from __future__ import annotations

import asyncio
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from alerting.notify.alertmanager import AlertmanagerConfig, AlertmanagerNotifier
from alerting.notify.base import Notifier, OutcomeKind
from tests.alerting.notify_contract import NotifierContract, sample_group
from tests.peers import free_port, missing_peer, require_binary

pytestmark = pytest.mark.integration
TOKEN = "am-bearer-token-secret-77"
CONFIG = """
route:
  receiver: blackhole
  group_wait: 1h
receivers:
  - name: blackhole
"""


@pytest.fixture(scope="module")
def alertmanager(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = require_binary("prometheus-alertmanager", "alertmanager")
    d = tmp_path_factory.mktemp("am")
    (d / "am.yml").write_text(CONFIG)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [
            binary,
            f"--config.file={d / 'am.yml'}",
            f"--storage.path={d / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
            "--cluster.listen-address=",
        ],
        stdout=subprocess.DEVNULL,
        stderr=(d / "am.log").open("w"),
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                missing_peer(f"alertmanager exited: {(d / 'am.log').read_text()[-500:]}")
            try:
                if httpx.get(f"{url}/-/ready", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        else:
            missing_peer("alertmanager did not become ready in 30 s")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def am_alerts(url: str) -> list[dict[str, Any]]:
    response = httpx.get(f"{url}/api/v2/alerts", params={"active": "true"}, timeout=5)
    response.raise_for_status()
    alerts: list[dict[str, Any]] = response.json()
    return alerts


class TestAlertmanager(NotifierContract):
    channel = "alertmanager"

    @pytest.fixture(autouse=True)
    def peer(self, alertmanager: str) -> str:
        self.url = alertmanager
        return alertmanager

    def delivered(self) -> list[Any]:
        return [a for a in am_alerts(self.url) if a["labels"].get("alertname") == "ups_on_battery"]

    @pytest.fixture
    def settings(self) -> dict[str, Any]:
        return {"url": self.url, "bearer_token": TOKEN, "generator_url": "http://noc.local/"}

    @pytest.fixture
    def secrets(self) -> list[str]:
        return [TOKEN]

    @pytest.fixture
    def notifier(self, settings: dict[str, Any]) -> Notifier:
        return AlertmanagerNotifier("am", AlertmanagerConfig.model_validate(settings))

    @pytest.fixture
    def dead_notifier(self, settings: dict[str, Any]) -> Notifier:
        url = f"http://127.0.0.1:{free_port()}"
        cfg = AlertmanagerConfig.model_validate({**settings, "url": url, "timeout_seconds": 2})
        return AlertmanagerNotifier("am", cfg)

    def test_alert_visible_in_alertmanager_with_labels_then_resolved(
        self, notifier: Notifier
    ) -> None:
        assert asyncio.run(notifier.notify(sample_group())).kind is OutcomeKind.ok
        (alert,) = self.delivered()
        assert alert["labels"]["object"] == "device:ups-1"
        assert alert["labels"]["severity"] == "critical" and alert["labels"]["site"] == "dc"
        assert alert["annotations"]["summary_id"].startswith("UPS ups-1 beroperasi")
        assert alert["annotations"]["incident_id"] == "7"
        assert asyncio.run(notifier.notify(sample_group("resolved"))).kind is OutcomeKind.ok
        assert self.delivered() == []  # endsAt in the past: resolved there too


def test_invalid_payload_is_permanent(alertmanager: str) -> None:
    # Alertmanager refuses an alert whose endsAt is before its startsAt: 400, not worth a retry.
    group = sample_group("resolved")
    broken = group.model_copy(
        update={
            "alerts": (
                group.alerts[0].model_copy(
                    update={"resolved_at": group.alerts[0].fired_at.replace(year=2020)}  # type: ignore[union-attr]
                ),
            )
        }
    )
    notifier = AlertmanagerNotifier("am", AlertmanagerConfig(url=alertmanager))
    assert asyncio.run(notifier.notify(broken)).kind is OutcomeKind.permanent
