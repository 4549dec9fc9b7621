"""The simulated city lab and a real ``noc serve`` side by side, as ``make run`` starts them.

Both run as child processes on loopback with free ports (SNMP agents, traps, SSH simulators,
HTTP), in a private data directory, with the lab's own credentials. Used by the browser tests
(tests/web/browser/) and by bench/wall_load.py.

    with CityStack.start(Path(tmp)) as city:
        city.add_user("ops.budi", "operator", "password")
        city.fault("utility-fail")
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx
import yaml

from noc.inventory import load_inventory
from noc.lab.control import LabNotRunning, call
from noc.lab.process import LabPaths, lab_defaults, noc_settings_for_lab

REPO = Path(__file__).resolve().parents[3]


def free_port(kind: int = socket.SOCK_STREAM) -> int:
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _until(
    what: str, check: Callable[[], Any], timeout: float, proc: subprocess.Popen[bytes]
) -> Any:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what}: the process exited ({proc.returncode})")
        try:
            last = check()
            if last:
                return last
        except (httpx.HTTPError, LabNotRunning, OSError) as err:
            last = err
        time.sleep(0.1)
    raise TimeoutError(f"timed out waiting for {what}; last: {last!r}")


def _stop(proc: subprocess.Popen[bytes]) -> int:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


@dataclass
class CityStack:
    root: Path
    port: int
    env: dict[str, str]
    inventory: Path
    lab: subprocess.Popen[bytes]
    noc: subprocess.Popen[bytes]
    device_count: int
    stopped: bool = field(default=False)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @classmethod
    def start(
        cls,
        root: Path,
        *,
        snmp_interval: int | None = None,
        genset_delay_s: float = 3600.0,
        ssh: bool = True,
    ) -> CityStack:
        """Lab first (so the NOC's first polls find it), then the NOC; both answering."""
        root.mkdir(parents=True, exist_ok=True)
        snmp_port, trap_port = free_port(socket.SOCK_DGRAM), free_port(socket.SOCK_DGRAM)
        ssh_port, http_port = free_port(), free_port()
        doc = yaml.safe_load((REPO / "inventory.yaml").read_text(encoding="utf-8"))
        doc["settings"]["snmp_port"] = snmp_port
        doc["settings"]["ssh_port"] = ssh_port
        if snmp_interval is not None:
            doc["settings"]["poll_intervals"]["snmp"] = snmp_interval
            for dev in doc["devices"]:
                dev.pop("poll_intervals", None)
        inventory = root / "inventory.yaml"
        inventory.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
        model = load_inventory(inventory)
        data = root / "data"
        env = {**os.environ}
        for name in [k for k in env if k.startswith("NOC_")]:
            del env[name]  # nothing from the caller's NOC (e.g. a running `make run`) leaks in
        env.update(lab_defaults(model, env))
        env.update(noc_settings_for_lab(model, env))
        env.update(
            NOC_DATA_DIR=str(data),
            NOC_INVENTORY=str(inventory),
            NOC_LISTEN_PORT=str(http_port),
            NOC_TRAP_PORT=str(trap_port),
            NOC_LOG_FORMAT="json",
        )
        data.mkdir(parents=True, exist_ok=True)
        lab_argv = [sys.executable, "-m", "noc.cli.main", "lab", "up", "--foreground"]
        lab_argv += ["--inventory", str(inventory), "--data-dir", str(data)]
        lab_argv += ["--trap-target", f"127.0.0.1:{trap_port}"]
        lab_argv += ["--genset-delay", str(genset_delay_s)]
        lab_argv += ["--ssh-port", str(ssh_port)] if ssh else ["--no-ssh"]
        lab = subprocess.Popen(
            lab_argv,
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=(root / "lab.log").open("ab"),
            stderr=subprocess.STDOUT,
        )
        control = LabPaths.under(data).control
        noc: subprocess.Popen[bytes] | None = None
        try:
            _until("the lab", lambda: call(control, {"op": "status"}, timeout=2.0), 60, lab)
            noc = subprocess.Popen(
                [sys.executable, "-m", "noc.cli.main", "serve", "--inventory", str(inventory)],
                cwd=REPO,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=(root / "noc.log").open("ab"),
                stderr=subprocess.STDOUT,
            )
            base = f"http://127.0.0.1:{http_port}"
            _until("/healthz", lambda: httpx.get(f"{base}/healthz").is_success, 60, noc)
        except BaseException:
            if noc is not None:
                _stop(noc)
            _stop(lab)
            raise
        return cls(root, http_port, env, inventory, lab, noc, len(model.devices))

    def __enter__(self) -> CityStack:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def stop(self) -> tuple[int, int]:
        """SIGTERM both; their exit codes (NOC, lab)."""
        self.stopped = True
        return _stop(self.noc), _stop(self.lab)

    def command(self, *args: str, input: str | None = None) -> str:
        """``noc ARGS`` against this stack's data directory; its standard output."""
        done = subprocess.run(
            [sys.executable, "-m", "noc.cli.main", *args],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            input=input,
            timeout=60,
        )
        if done.returncode != 0:
            raise RuntimeError(f"noc {args[:2]} failed ({done.returncode}): {done.stderr[-2000:]}")
        return done.stdout.strip()

    def add_user(self, username: str, role: str, password: str) -> None:
        self.command(
            "user", "add", username, "--role", role, "--password-stdin", input=password + "\n"
        )

    def token(self, username: str, name: str) -> str:
        return self.command("token", "create", "--user", username, "--name", name)

    def lab_call(self, request: dict[str, Any]) -> dict[str, Any]:
        return call(LabPaths.under(self.data).control, request, timeout=10.0)

    def fault(self, kind: str, *args: str) -> str:
        """Inject a lab fault; its id (for ``clear``)."""
        answer = self.lab_call({"op": "fault", "kind": kind, "args": list(args)})
        return str(answer["fault"]["id"])

    def clear(self, fault: str | None = None) -> list[str]:
        return list(self.lab_call({"op": "clear", "fault": fault})["cleared"])

    def rss_kib(self) -> int:
        """The NOC process's resident set size (VmRSS), in KiB."""
        for line in Path(f"/proc/{self.noc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    def api(self, token: str) -> httpx.Client:
        return httpx.Client(
            base_url=self.base, headers={"Authorization": f"Bearer {token}"}, timeout=10.0
        )
