"""Running the lab as a process: its files, lab-only secret defaults, start and stop.

Files under ``<data_dir>/lab/``: ``control.sock`` (the control channel), ``lab.json`` (pid,
endpoints summary), ``lab.log`` (the detached process's output) and ``lab.env`` (mode 0600:
the values the lab chose for credential variables that were unset, so that the NOC started
next to it can use the same: ``set -a; . var/lab/lab.env; set +a``).
"""

from __future__ import annotations

import asyncio
import json
import os
import shlex
import signal
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from noc.clock import SystemClock
from noc.lab.server import LabServer
from noc.model import Inventory, SecretRef

_DEFAULT_PREFIX = "noc-lab-"


@dataclass(frozen=True)
class LabPaths:
    root: Path

    @classmethod
    def under(cls, data_dir: Path) -> LabPaths:
        return cls(data_dir / "lab")

    @property
    def control(self) -> Path:
        return self.root / "control.sock"

    @property
    def state(self) -> Path:
        return self.root / "lab.json"

    @property
    def log(self) -> Path:
        return self.root / "lab.log"

    @property
    def env(self) -> Path:
        return self.root / "lab.env"


def env_refs(inventory: Inventory) -> list[str]:
    """Names of the environment variables the inventory's credentials (SNMP, SSH) refer to."""
    names: list[str] = []
    for cred in inventory.credentials.values():
        for value in vars(cred).values():
            if isinstance(value, SecretRef) and value.scheme == "env" and value.target not in names:
                names.append(value.target)
    return names


def lab_defaults(inventory: Inventory, environ: Mapping[str, str]) -> dict[str, str]:
    """A lab-only value for every referenced variable that is unset (never for a set one)."""
    return {
        name: _DEFAULT_PREFIX + name.lower().replace("_", "-")
        for name in env_refs(inventory)
        if not environ.get(name)
    }


def noc_settings_for_lab(inventory: Inventory, environ: Mapping[str, str]) -> dict[str, str]:
    """What a NOC beside the lab needs, for variables the user has not set.

    - the lab's SNMPv3 engine IDs, so the trap receiver can authenticate v3 traps;
    - reachability judged by SNMP: the kernel answers ICMP for every loopback address, so
      a ``device-down`` fault is visible only to SNMP (and SSH).
    """
    from noc.lab.snmp.usm import engine_id_for

    wanted = {
        "NOC_TRAP_V3_ENGINE_IDS": json.dumps(
            {d.id: engine_id_for(d.id).hex() for d in inventory.devices if d.snmp is not None}
        ),
        "NOC_REACHABILITY_COLLECTORS": json.dumps(["snmp"]),
    }
    return {k: v for k, v in wanted.items() if not environ.get(k)}


def write_env_file(path: Path, values: Mapping[str, str]) -> None:
    """``NAME=value`` lines a shell can source (values quoted), mode 0600."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("# lab-only values chosen by `noc lab up` for unset variables\n")
        for name, value in values.items():
            f.write(f"{name}={shlex.quote(value)}\n")


def read_state(paths: LabPaths) -> dict[str, object] | None:
    try:
        data = json.loads(paths.state.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


async def run_foreground(
    inventory: Inventory,
    paths: LabPaths,
    *,
    trap_target: tuple[str, int] | None,
    base_dir: Path | None,
    ssh: bool = True,
    ssh_port: int | None = None,
    genset_delay_s: float,
    transfer_delay_s: float,
) -> None:
    """Run the lab until SIGTERM or SIGINT; keep lab.json while it runs."""
    server = LabServer(
        inventory,
        SystemClock(),
        trap_target=trap_target,
        control_path=paths.control,
        base_dir=base_dir,
        ssh=ssh,
        ssh_port=ssh_port,
        genset_delay_s=genset_delay_s,
        transfer_delay_s=transfer_delay_s,
    )
    await server.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    state = {
        "pid": os.getpid(),
        "control": str(paths.control),
        "agents": len(server.agents),
        "startup_seconds": round(server.startup_s, 3),
        "trap_target": None if trap_target is None else f"{trap_target[0]}:{trap_target[1]}",
    }
    paths.state.write_text(json.dumps(state), encoding="utf-8")
    try:
        await stop.wait()
    finally:
        await server.stop()
        with suppress(FileNotFoundError):
            paths.state.unlink()
