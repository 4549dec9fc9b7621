"""A real VictoriaMetrics for tests and benchmarks: own port, own data directory, no dedup.

Started without ``-dedup.minScrapeInterval`` (so duplicate samples stay visible in exports) and
with the search cache off (so a read right after ``force_flush`` sees every sample).
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx

CANDIDATES = ("victoria-metrics", "/usr/bin/victoria-metrics", "victoria-metrics-prod")


class VictoriaMetrics:
    def __init__(self, binary: str, data: Path, port: int) -> None:
        self.binary, self.data, self.port = binary, data, port
        self.url = f"http://127.0.0.1:{port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = data.parent / f"vm-{port}.log"

    def start(self, timeout: float = 20.0) -> None:
        args = [
            self.binary,
            f"-storageDataPath={self.data}",
            f"-httpListenAddr=127.0.0.1:{self.port}",
            "-retentionPeriod=100y",
            "-search.disableCache",
            "-loggerLevel=ERROR",
        ]
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"victoria-metrics exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(self.url + "/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"victoria-metrics did not start on {self.url} in {timeout}s")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20.0) -> None:
        if self.proc is None:
            return
        self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self.proc = None

    def force_flush(self) -> None:
        httpx.get(self.url + "/internal/force_flush", timeout=10).raise_for_status()

    def export(self, match: str = '{__name__!=""}') -> list[dict[str, Any]]:
        self.force_flush()
        resp = httpx.get(
            self.url + "/api/v1/export", params={"match[]": match, "start": "0"}, timeout=30
        )
        resp.raise_for_status()
        return [json.loads(line) for line in resp.text.splitlines() if line.strip()]

    def disk_bytes(self) -> int:
        return sum(f.stat().st_size for f in self.data.rglob("*") if f.is_file())
