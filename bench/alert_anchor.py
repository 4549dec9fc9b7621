"""The anchor of bench/alert_latency.py: Prometheus + snmp_exporter + Alertmanager, Debian's.

Debian's prometheus-snmp-exporter ships no usable generated snmp.yml for UPS-MIB, so the module
is written here by hand (snmp_exporter 0.21's format: auth inside the module): a walk of
upsOutputSource (1.3.6.1.2.1.33.1.4.1, RFC 1628: 3 normal, 5 battery) over SNMP v2c with the
lab's community. Everything else keeps its defaults: Prometheus scrapes and evaluates every
minute, the rule ``upsOutputSource == 5`` has no ``for``, Alertmanager waits 30 s for a new
group (group_interval 5m, repeat 4h) and posts to a webhook receiver.

``AnchorStack(...).start()`` runs the three on loopback ports in a temporary directory;
``stop()`` ends them (the processes it started, by pid). Each bench run uses a fresh stack: a
running Prometheus resends a resolved alert to Alertmanager for 15 minutes, and each resend
briefly recreates the Alertmanager group, so a repeat of the fault inside that time can wait
a whole group_interval (5 m). A fresh stack measures every fault as the first one.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

BINARIES = ("prometheus", "prometheus-snmp-exporter", "prometheus-alertmanager")
UPS_OUTPUT_SOURCE = "1.3.6.1.2.1.33.1.4.1"
ALERT_NAME = "UpsOnBattery"


class AnchorError(RuntimeError):
    """The anchor stack could not be started or asked."""


def free_tcp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def missing_binaries() -> list[str]:
    return [b for b in BINARIES if shutil.which(b) is None]


def snmp_module(community: str) -> dict[str, Any]:
    """snmp_exporter's ``ups_mib`` module: the output source of an RFC 1628 UPS."""
    return {
        "ups_mib": {
            "version": 2,
            "auth": {"community": community},
            "walk": [UPS_OUTPUT_SOURCE],
            "metrics": [
                {
                    "name": "upsOutputSource",
                    "oid": UPS_OUTPUT_SOURCE,
                    "type": "gauge",
                    "help": "The present source of output power (3 normal, 5 battery).",
                }
            ],
        }
    }


def prometheus_config(targets: list[str], exporter: str, alertmanager: str) -> dict[str, Any]:
    """Defaults everywhere: no scrape_interval / evaluation_interval given (1m each)."""
    return {
        "rule_files": ["rules.yml"],
        "alerting": {"alertmanagers": [{"static_configs": [{"targets": [alertmanager]}]}]},
        "scrape_configs": [
            {
                "job_name": "ups",
                "metrics_path": "/snmp",
                "params": {"module": ["ups_mib"]},
                "static_configs": [{"targets": targets}],
                "relabel_configs": [
                    {"source_labels": ["__address__"], "target_label": "__param_target"},
                    {"source_labels": ["__param_target"], "target_label": "instance"},
                    {"target_label": "__address__", "replacement": exporter},
                ],
            }
        ],
    }


def prometheus_rules() -> dict[str, Any]:
    return {
        "groups": [
            {
                "name": "power",
                "rules": [
                    {
                        "alert": ALERT_NAME,
                        "expr": "upsOutputSource == 5",
                        "labels": {"severity": "critical"},
                        "annotations": {"summary": "UPS {{ $labels.instance }} is on battery"},
                    }
                ],
            }
        ]
    }


def alertmanager_config(hook_url: str) -> dict[str, Any]:
    """Only the receiver is set; group_wait, group_interval and repeat are the defaults."""
    return {
        "route": {"receiver": "hook", "group_by": ["alertname"]},
        "receivers": [{"name": "hook", "webhook_configs": [{"url": hook_url}]}],
    }


def get_json(url: str, timeout: float = 2.0) -> Any:
    with urllib.request.urlopen(url, timeout=timeout) as resp:
        return json.loads(resp.read())


@dataclass
class AnchorStack:
    workdir: Path
    targets: list[str]  # host:port of each UPS agent
    community: str
    hook_url: str
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    prometheus_url: str = ""
    alertmanager_url: str = ""

    def start(self, timeout: float = 30.0) -> None:
        missing = missing_binaries()
        if missing:
            raise AnchorError(
                "the anchor needs " + ", ".join(missing) + " (apt-get install prometheus "
                "prometheus-snmp-exporter prometheus-alertmanager), or run with --no-anchor"
            )
        self.workdir.mkdir(parents=True, exist_ok=True)
        exporter, prom, am = free_tcp_port(), free_tcp_port(), free_tcp_port()
        self.prometheus_url = f"http://127.0.0.1:{prom}"
        self.alertmanager_url = f"http://127.0.0.1:{am}"
        w = self.workdir
        (w / "snmp.yml").write_text(yaml.safe_dump(snmp_module(self.community)), "utf-8")
        (w / "prometheus.yml").write_text(
            yaml.safe_dump(
                prometheus_config(self.targets, f"127.0.0.1:{exporter}", f"127.0.0.1:{am}")
            ),
            "utf-8",
        )
        (w / "rules.yml").write_text(yaml.safe_dump(prometheus_rules()), "utf-8")
        (w / "alertmanager.yml").write_text(
            yaml.safe_dump(alertmanager_config(self.hook_url)), "utf-8"
        )
        self._spawn(
            "snmp_exporter",
            [
                "prometheus-snmp-exporter",
                f"--config.file={w / 'snmp.yml'}",
                f"--web.listen-address=127.0.0.1:{exporter}",
            ],
        )
        self._spawn(
            "alertmanager",
            [
                "prometheus-alertmanager",
                f"--config.file={w / 'alertmanager.yml'}",
                f"--storage.path={w / 'am'}",
                f"--web.listen-address=127.0.0.1:{am}",
                "--cluster.listen-address=",
            ],
        )
        self._spawn(
            "prometheus",
            [
                "prometheus",
                f"--config.file={w / 'prometheus.yml'}",
                f"--storage.tsdb.path={w / 'tsdb'}",
                f"--web.listen-address=127.0.0.1:{prom}",
            ],
        )
        self._wait_ready(f"http://127.0.0.1:{exporter}/", timeout)
        self._wait_ready(f"{self.alertmanager_url}/-/ready", timeout)
        self._wait_ready(f"{self.prometheus_url}/-/ready", timeout)

    def _spawn(self, name: str, argv: list[str]) -> None:
        log = (self.workdir / f"{name}.log").open("wb")
        try:
            proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, cwd=self.workdir)
        finally:
            log.close()
        self.procs[name] = proc

    def _wait_ready(self, url: str, timeout: float) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for name, p in self.procs.items():
                if p.poll() is not None:
                    raise AnchorError(f"{name} exited ({p.returncode}): {self.log_tail(name)}")
            try:
                with urllib.request.urlopen(url, timeout=1.0):
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        raise AnchorError(f"{url} not ready after {timeout:.0f} s")

    def log_tail(self, name: str) -> str:
        try:
            text = (self.workdir / f"{name}.log").read_text("utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return text.strip().splitlines()[-1] if text.strip() else "(empty log)"

    def scraped_up(self) -> bool:
        """Every UPS target scraped once, and answering upsOutputSource."""
        try:
            data = get_json(f"{self.prometheus_url}/api/v1/query?query=upsOutputSource")
        except (urllib.error.URLError, OSError, ValueError):
            return False
        seen = {r["metric"].get("instance") for r in data.get("data", {}).get("result", [])}
        return all(t in seen for t in self.targets)

    def firing(self, instance: str) -> bool:
        """Prometheus holds the alert for ``instance`` as firing (before Alertmanager)."""
        try:
            data = get_json(f"{self.prometheus_url}/api/v1/alerts")
        except (urllib.error.URLError, OSError, ValueError):
            return False
        return any(
            a["labels"].get("alertname") == ALERT_NAME
            and a["labels"].get("instance") == instance
            and a.get("state") == "firing"
            for a in data.get("data", {}).get("alerts", [])
        )

    def wait_scraped(self, timeout: float) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.scraped_up():
                return True
            time.sleep(0.5)
        return False

    def wait_firing(self, instance: str, deadline: float, step: float = 0.2) -> float | None:
        """When (monotonic) Prometheus first showed the alert firing, before ``deadline``."""
        while time.monotonic() < deadline:
            if self.firing(instance):
                return time.monotonic()
            time.sleep(step)
        return None

    def stop(self) -> None:
        for p in self.procs.values():
            if p.poll() is None:
                p.terminate()
        for p in self.procs.values():
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(5)
        self.procs.clear()
