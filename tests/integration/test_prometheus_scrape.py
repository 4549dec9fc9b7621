"""A real Prometheus scrapes a real ``noc serve``; promtool finds its /metrics clean."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import pytest

from tests.nocproc import start_noc, stop_noc, wait_for
from tests.peers import free_port, require_binary


@pytest.mark.integration
def test_prometheus_scrapes_the_noc_and_promtool_accepts_its_metrics(tmp_path: Path) -> None:
    prometheus = require_binary("prometheus")
    promtool = require_binary("promtool")
    noc_port, prom_port = free_port(), free_port()
    noc = start_noc(tmp_path / "data", noc_port, tmp_path / "noc.log")
    config = tmp_path / "prometheus.yml"
    config.write_text(
        "global: {scrape_interval: 1s, scrape_timeout: 1s}\n"
        "scrape_configs:\n"
        "  - job_name: noc\n"
        f"    static_configs: [{{targets: ['127.0.0.1:{noc_port}']}}]\n"
    )
    prom = subprocess.Popen(
        [
            prometheus,
            f"--config.file={config}",
            f"--storage.tsdb.path={tmp_path / 'tsdb'}",
            f"--web.listen-address=127.0.0.1:{prom_port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "prometheus.log").open("wb"),
    )
    api = f"http://127.0.0.1:{prom_port}/api/v1"
    try:
        wait_for(
            "/healthz", lambda: httpx.get(f"http://127.0.0.1:{noc_port}/healthz").is_success, 30
        )
        text = httpx.get(f"http://127.0.0.1:{noc_port}/metrics").text
        checked = subprocess.run(
            [promtool, "check", "metrics"], input=text, capture_output=True, text=True
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr

        def target_up() -> bool:
            targets = httpx.get(f"{api}/targets").json()["data"]["activeTargets"]
            return bool(targets) and targets[0]["health"] == "up"

        wait_for("Prometheus to report the NOC target up", target_up, 30)

        def devices_up() -> float:
            result = httpx.get(f"{api}/query", params={"query": 'noc_devices{state="up"}'}).json()
            series = result["data"]["result"]
            return float(series[0]["value"][1]) if series else 0.0

        # The demo city's 39 devices answer ICMP on loopback; Prometheus sees them come up.
        assert wait_for("noc_devices{state=up} == 39", lambda: devices_up() == 39.0, 40)
        info = httpx.get(f"{api}/query", params={"query": "noc_build_info"}).json()
        assert info["data"]["result"][0]["metric"]["version"]
    finally:
        prom.terminate()
        prom.wait(timeout=15)
        assert stop_noc(noc) == 0
