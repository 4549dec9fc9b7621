"""``noc serve`` as a real process: start, poll the demo city over ICMP, stop, resume."""

from __future__ import annotations

import stat
from pathlib import Path

import httpx

from noc.clock import SystemClock
from noc.store.events import open_event_store
from tests.nocproc import noc_command, start_noc, stop_noc, wait_for
from tests.peers import free_port


def test_serve_polls_the_city_stops_cleanly_and_resumes(tmp_path: Path) -> None:
    data, port, log = tmp_path / "data", free_port(), tmp_path / "serve.log"
    base = f"http://127.0.0.1:{port}"
    proc = start_noc(data, port, log)
    try:
        wait_for("/healthz", lambda: httpx.get(f"{base}/healthz").status_code == 200, 30)
        pw_file = data / "initial-admin-password"
        assert stat.S_IMODE(pw_file.stat().st_mode) == 0o600
        password = pw_file.read_text().strip()
        assert len(password) >= 20

        token = noc_command(
            "token", "create", "--user", "admin", "--name", "t", "--data-dir", str(data)
        )
        headers = {"Authorization": f"Bearer {token}"}

        def all_up() -> bool:
            items = httpx.get(f"{base}/api/v1/devices", headers=headers).json()["items"]
            return len(items) == 39 and {d["state"] for d in items} == {"up"}

        # First polls are spread over the first 10 s of the 30 s ICMP interval.
        wait_for("every device up", all_up, 30)
        assert httpx.get(f"{base}/metrics").status_code == 401
        metrics = httpx.get(f"{base}/metrics", headers=headers).text
        assert 'noc_devices{state="up"} 39.0' in metrics
        assert "noc_store_write_duration_seconds_bucket" in metrics
        assert stop_noc(proc) == 0
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
    proc = start_noc(data, port, log)
    try:
        wait_for(
            "/healthz after restart", lambda: httpx.get(f"{base}/healthz").status_code == 200, 30
        )
        wait_for(
            "polls after restart",
            lambda: (
                'noc_devices{state="up"} 39.0' in httpx.get(f"{base}/metrics", headers=headers).text
            ),
            30,
        )
        assert stop_noc(proc) == 0
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
