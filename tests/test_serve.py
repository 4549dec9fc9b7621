"""``noc serve`` as a real process: start, poll the demo city over ICMP, stop, resume."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from noc.clock import SystemClock
from noc.store.events import open_event_store
from tests.peers import free_port

REPO = Path(__file__).resolve().parent.parent


def wait_for(what: str, check: Callable[[], Any], timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = check()
            if last:
                return last
        except httpx.HTTPError as err:
            last = err
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}; last: {last!r}")


def start(data: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "NOC_DATA_DIR": str(data),
        "NOC_LISTEN_PORT": str(port),
        "NOC_LOG_FORMAT": "json",
    }
    env.pop("NOC_ADMIN_PASSWORD", None)
    return subprocess.Popen(
        [sys.executable, "-m", "noc.cli.main", "serve", "--inventory", "inventory.yaml"],
        cwd=REPO,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def stop(proc: subprocess.Popen[bytes]) -> int:
    proc.send_signal(signal.SIGTERM)
    return proc.wait(timeout=15)


def test_serve_polls_the_city_stops_cleanly_and_resumes(tmp_path: Path) -> None:
    data, port, log = tmp_path / "data", free_port(), tmp_path / "serve.log"
    base = f"http://127.0.0.1:{port}"
    proc = start(data, port, log)
    try:
        wait_for("/healthz", lambda: httpx.get(f"{base}/healthz").status_code == 200, 30)
        pw_file = data / "initial-admin-password"
        assert stat.S_IMODE(pw_file.stat().st_mode) == 0o600
        password = pw_file.read_text().strip()
        assert len(password) >= 20

        token = subprocess.run(
            [
                sys.executable,
                "-m",
                "noc.cli.main",
                "token",
                "create",
                "--user",
                "admin",
                "--name",
                "test",
                "--data-dir",
                str(data),
            ],
            cwd=REPO,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        headers = {"Authorization": f"Bearer {token}"}

        def all_up() -> bool:
            items = httpx.get(f"{base}/api/v1/devices", headers=headers).json()["items"]
            return len(items) == 39 and {d["state"] for d in items} == {"up"}

        # First polls are spread over the first 10 s of the 30 s ICMP interval.
        wait_for("every device up", all_up, 30)
        metrics = httpx.get(f"{base}/metrics").text
        assert 'noc_devices{state="up"} 39.0' in metrics
        assert "noc_store_write_duration_seconds_bucket" in metrics
        assert stop(proc) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

    events = open_event_store(data / "events.sqlite", SystemClock())
    try:
        first_changes = len(events.state_changes.list())
        assert first_changes == 39
        assert events.audit.verify().ok
    finally:
        events.close()

    # A restart resumes from the recorded states: polls go on, no spurious unknown -> up.
    proc = start(data, port, log)
    try:
        wait_for(
            "/healthz after restart", lambda: httpx.get(f"{base}/healthz").status_code == 200, 30
        )
        wait_for(
            "polls after restart",
            lambda: 'noc_devices{state="up"} 39.0' in httpx.get(f"{base}/metrics").text,
            30,
        )
        assert stop(proc) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    events = open_event_store(data / "events.sqlite", SystemClock())
    try:
        assert len(events.state_changes.list()) == first_changes
    finally:
        events.close()

    text = log.read_text()
    assert password not in text and token not in text
    assert "Traceback" not in text
