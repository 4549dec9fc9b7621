"""Running ``noc serve`` as a real process in tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent


def wait_for(what: str, check: Callable[[], Any], timeout: float) -> Any:
    """Poll ``check`` until it returns something true; fail naming ``what`` after ``timeout``."""
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


def start_noc(data: Path, port: int, log: Path, *extra_args: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "NOC_DATA_DIR": str(data),
        "NOC_LISTEN_PORT": str(port),
        "NOC_LOG_FORMAT": "json",
    }
    env.pop("NOC_ADMIN_PASSWORD", None)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "noc.cli.main",
            "serve",
            "--inventory",
            "inventory.yaml",
            *extra_args,
        ],
        cwd=REPO,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def stop_noc(proc: subprocess.Popen[bytes]) -> int:
    """SIGTERM, then the exit code (killing it if it does not stop within 15 s)."""
    if proc.poll() is not None:
        return proc.returncode
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise


def noc_command(*args: str, input: str | None = None) -> str:
    """Run ``noc ARGS`` and return its standard output."""
    return subprocess.run(
        [sys.executable, "-m", "noc.cli.main", *args],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
        input=input,
    ).stdout.strip()
