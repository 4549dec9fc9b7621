"""The running lab's control channel: JSON lines over a unix socket (owner-only).

Requests: ``{"op": "status"}``, ``{"op": "fault", "kind": ..., "args": [...]}``,
``{"op": "clear", "fault": "link-down:r1-2" | null}`` (null clears all). Each answer is one
JSON object with ``ok`` and either the result or ``error`` (one sentence).
"""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from noc.errors import NocError

MAX_REQUEST = 64 * 1024


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")

    op: Literal["status", "fault", "clear"]
    kind: str | None = None
    args: list[str] = Field(default_factory=list)
    fault: str | None = None


class LabNotRunning(NocError):
    """No lab answers on the control socket."""


def parse_request(line: bytes) -> Request:
    try:
        return Request.model_validate_json(line)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "request"
        raise NocError(f"bad control request at {where}: {first['msg']}") from None


def call(path: Path, request: dict[str, Any], timeout: float = 10.0) -> dict[str, Any]:
    """Send one request to the lab at ``path`` and return its answer."""
    if not path.exists():
        raise LabNotRunning("the lab is not running", hint="start it with `noc lab up`")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.connect(str(path))
        except OSError:
            raise LabNotRunning(
                "the lab is not running (stale control socket)",
                hint="start it with `noc lab up`",
            ) from None
        sock.sendall(json.dumps(request).encode() + b"\n")
        buf = b""
        while not buf.endswith(b"\n"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            buf += chunk
    answer: dict[str, Any] = json.loads(buf or b"{}")
    if not answer.get("ok"):
        raise NocError(str(answer.get("error", "the lab gave no answer")))
    return answer
