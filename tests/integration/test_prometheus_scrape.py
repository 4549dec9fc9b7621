"""A real Prometheus scrapes a real ``noc serve`` with a bearer token; promtool accepts /metrics."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import pytest

from tests.nocproc import noc_command, start_noc, stop_noc, wait_for
from tests.peers import free_port, require_binary


@pytest.mark.integration
def test_prometheus_scrapes_the_noc_and_promtool_accepts_its_metrics(tmp_path: Path) -> None:
    prometheus = require_binary("prometheus")
    promtool = require_binary("promtool")
    noc_port, prom_port = free_port(), free_port()
    data = tmp_path / "data"
    noc = start_noc(data, noc_port, tmp_path / "noc.log")
    prom: subprocess.Popen[bytes] | None = None
    api = f"http://127.0.0.1:{prom_port}/api/v1"
    try:
        wait_for(
            "/healthz", lambda: httpx.get(f"http://127.0.0.1:{noc_port}/healthz").is_success, 30
        )
        noc_command(
            "user",
            "add",
            "prometheus",
            "--role",
            "viewer",
            "--password-stdin",
            "--data-dir",
            str(data),
            input="scrape-only-password\n",
        )
        token = noc_command(
            "token", "create", "--user", "prometheus", "--name", "scrape", "--data-dir", str(data)
        )
        token_file = tmp_path / "noc-token"
        token_file.write_text(token)
        metrics = httpx.get(
            f"http://127.0.0.1:{noc_port}/metrics", headers={"Authorization": f"Bearer {token}"}
        ).text
        checked = subprocess.run(
            [promtool, "check", "metrics"], input=metrics, capture_output=True, text=True
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr

        config = tmp_path / "prometheus.yml"
        config.write_text(
            "global: {scrape_interval: 1s, scrape_timeout: 1s}\n"
            "scrape_configs:\n"
            "  - job_name: noc\n"
            f"    authorization: {{credentials_file: {token_file}}}\n"
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
        if prom is not None:
            prom.terminate()
            prom.wait(timeout=15)
        assert stop_noc(noc) == 0
