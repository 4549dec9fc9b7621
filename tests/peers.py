"""Finding the real peers integration tests talk to.

A missing peer skips the test on a developer's machine, and fails it when
NOC_REQUIRE_INTEGRATION=1 (as .ci/run sets), so CI can never pass by skipping.
"""

from __future__ import annotations

import os
import shutil
import socket

import pytest


def integration_required() -> bool:
    return os.environ.get("NOC_REQUIRE_INTEGRATION", "") not in ("", "0", "false", "no")


def missing_peer(what: str) -> None:
    """Skip (developer machine) or fail (CI) because a real peer is missing."""
    message = f"real peer missing: {what}"
    if integration_required():
        pytest.fail(message + " (NOC_REQUIRE_INTEGRATION=1: .ci/run should have installed it)")
    pytest.skip(message)


def require_binary(*candidates: str) -> str:
    """Return the path of the first candidate found on PATH or as an absolute path."""
    for name in candidates:
        path = name if os.path.isabs(name) and os.access(name, os.X_OK) else shutil.which(name)
        if path:
            return path
    missing_peer(" or ".join(candidates))
    raise AssertionError("unreachable")


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])
