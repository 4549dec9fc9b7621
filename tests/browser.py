"""Headless Chromium (Debian's) for tests: screenshots and the DOM after the page's scripts ran."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from tests.peers import require_binary

_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def artifacts_dir(default: Path) -> Path:
    """Where screenshots are kept: $NOC_TEST_ARTIFACTS, else the test's own tmp folder."""
    path = Path(os.environ.get("NOC_TEST_ARTIFACTS", default))
    path.mkdir(parents=True, exist_ok=True)
    return path


def chromium(
    url: str, *, screenshot: Path | None = None, size: str = "1920,1080", wait_ms: int = 5000
) -> str:
    """Load ``url`` for ``wait_ms`` (live pages never go idle), then return the DOM as HTML."""
    binary = require_binary("chromium", "chromium-browser")
    with tempfile.TemporaryDirectory(prefix="noc-chromium-") as profile:
        args = [
            binary,
            *_FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={size}",
            f"--timeout={wait_ms}",
        ]
        args += [f"--screenshot={screenshot}"] if screenshot else ["--dump-dom"]
        done = subprocess.run(
            [*args, url], capture_output=True, text=True, timeout=wait_ms / 1000 + 40
        )
    if done.returncode != 0:
        raise AssertionError(f"chromium failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout
