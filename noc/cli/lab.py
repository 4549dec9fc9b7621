"""``noc lab up|down|status|fault|clear``: the simulated city the demo NOC monitors."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from noc.cli.common import add_data_dir, settings_from
from noc.errors import ConfigError, NocError
from noc.lab.control import LabNotRunning, call
from noc.lab.faults import KINDS, USAGE
from noc.lab.process import (
    LabPaths,
    lab_defaults,
    noc_settings_for_lab,
    pid_alive,
    read_state,
    run_foreground,
    write_env_file,
)

START_TIMEOUT_S = 20.0


def add(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "lab",
        help="the simulated city: SNMP agents for every device of the inventory",
        description="Start, stop and inspect the simulated city lab, and inject faults.",
    )
    cmds = parser.add_subparsers(dest="lab_command", metavar="ACTION", required=True)

    up = cmds.add_parser("up", help="start the lab (in the background unless --foreground)")
    up.add_argument("--inventory", type=Path, default=None, help="default: $NOC_INVENTORY")
    up.add_argument("--foreground", action="store_true", help="run here until Ctrl-C")
    up.add_argument(
        "--trap-target",
        default="127.0.0.1:11162",
        help="HOST:PORT where faults send traps (default: %(default)s); 'none' for no traps",
    )
    up.add_argument("--genset-delay", type=float, default=120.0, help="seconds (default 120)")
    up.add_argument("--transfer-delay", type=float, default=10.0, help="seconds (default 10)")
    up.add_argument(
        "--ssh-port",
        type=int,
        default=None,
        help="port for every device's SSH simulator (default: each device's ssh.port)",
    )
    up.add_argument("--no-ssh", action="store_true", help="SNMP agents only")
    add_data_dir(up)
    up.set_defaults(func=run_up)

    down = cmds.add_parser("down", help="stop the lab")
    add_data_dir(down)
    down.set_defaults(func=run_down)

    status = cmds.add_parser("status", help="devices, endpoints and active faults")
    status.add_argument("--format", choices=("text", "json"), default="text")
    add_data_dir(status)
    status.set_defaults(func=run_status)

    fault = cmds.add_parser(
        "fault",
        help="inject a fault",
        description="Faults: " + "; ".join(USAGE[k] for k in KINDS),
    )
    fault.add_argument("kind", choices=KINDS)
    fault.add_argument("args", nargs="*")
    add_data_dir(fault)
    fault.set_defaults(func=run_fault)

    clear = cmds.add_parser("clear", help="clear a fault (by id, as `status` shows) or --all")
    clear.add_argument("fault", nargs="?")
    clear.add_argument("--all", action="store_true")
    add_data_dir(clear)
    clear.set_defaults(func=run_clear)


def _paths(args: argparse.Namespace) -> LabPaths:
    return LabPaths.under(settings_from(args).data_dir.resolve())


def _trap_target(text: str) -> tuple[str, int] | None:
    if text.lower() == "none":
        return None
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"trap target {text!r} is not HOST:PORT", hint="like 127.0.0.1:11162")
    return host, int(port)


def run_up(args: argparse.Namespace) -> int:
    from noc.inventory import load_inventory

    settings = settings_from(args)
    paths = LabPaths.under(settings.data_dir.resolve())
    inventory_path: Path = args.inventory or settings.inventory
    inventory = load_inventory(inventory_path)
    target = _trap_target(args.trap_target)
    defaults = lab_defaults(inventory, os.environ)
    if args.foreground:
        os.environ.update(defaults)
        paths.root.mkdir(parents=True, exist_ok=True)
        asyncio.run(
            run_foreground(
                inventory,
                paths,
                trap_target=target,
                base_dir=inventory_path.resolve().parent,
                ssh=not args.no_ssh,
                ssh_port=args.ssh_port,
                genset_delay_s=args.genset_delay,
                transfer_delay_s=args.transfer_delay,
            )
        )
        return 0
    state = read_state(paths)
    running = state.get("pid") if state else None
    if isinstance(running, int) and pid_alive(running):
        print(f"noc lab: already running (pid {running})")
        return 0
    paths.root.mkdir(parents=True, exist_ok=True)
    write_env_file(paths.env, {**defaults, **noc_settings_for_lab(inventory, os.environ)})
    argv = [sys.executable, "-m", "noc.cli.main", "lab", "up", "--foreground"]
    argv += ["--inventory", str(inventory_path.resolve()), "--data-dir", str(paths.root.parent)]
    argv += ["--trap-target", args.trap_target]
    argv += ["--genset-delay", str(args.genset_delay), "--transfer-delay", str(args.transfer_delay)]
    argv += ["--no-ssh"] if args.no_ssh else []
    argv += ["--ssh-port", str(args.ssh_port)] if args.ssh_port else []
    with paths.log.open("ab") as log:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, **defaults},
        )
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise NocError(
                f"the lab stopped while starting (exit {proc.returncode})",
                hint=f"see {paths.log}",
            )
        try:
            answer = call(paths.control, {"op": "status"}, timeout=2.0)
        except (LabNotRunning, OSError):
            time.sleep(0.1)
            continue
        st = answer["status"]
        ssh = st["ssh"]
        ssh_text = (
            f"{ssh['listening']} SSH simulators"
            if "listening" in ssh
            else f"no SSH ({ssh['error'] or 'off'})"
        )
        print(
            f"noc lab: up (pid {proc.pid}): {len(st['endpoints'])} SNMP agents, {ssh_text}, "
            f"traps to {st['trap_target'] or 'nowhere'}; control {paths.control}"
        )
        if defaults:
            print(f"noc lab: lab-only credentials for unset variables are in {paths.env}")
        return 0
    proc.terminate()
    raise NocError("the lab did not start in time", hint=f"see {paths.log}")


def run_down(args: argparse.Namespace) -> int:
    paths = _paths(args)
    state = read_state(paths)
    pid = state.get("pid") if state else None
    if not isinstance(pid, int) or not pid_alive(pid):
        print("noc lab: not running")
        return 0
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10.0
    while time.monotonic() < deadline and pid_alive(pid) and paths.state.exists():
        time.sleep(0.05)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
    if paths.state.exists() and pid_alive(pid):
        raise NocError(f"the lab (pid {pid}) did not stop", hint="stop it with kill")
    print(f"noc lab: stopped (pid {pid})")
    return 0


def run_status(args: argparse.Namespace) -> int:
    st = call(_paths(args).control, {"op": "status"})["status"]
    if args.format == "json":
        print(json.dumps(st, indent=2))
        return 0
    print(
        f"lab: {st['answering']}/{st['devices']} devices answering, traps to "
        f"{st['trap_target'] or 'nowhere'} ({st['traps_sent']} sent)"
    )
    for e in st["endpoints"]:
        mark = "" if e["answering"] else "  (silent)"
        print(f"  {e['device']:<18} {e['address']:<20} {e['snmp']:<4} {e['sys_object_id']}{mark}")
    if st["links_down"]:
        print("links down: " + ", ".join(st["links_down"]))
    print("faults: " + (", ".join(f["id"] for f in st["faults"]) or "none"))
    return 0


def run_fault(args: argparse.Namespace) -> int:
    answer = call(_paths(args).control, {"op": "fault", "kind": args.kind, "args": args.args})
    print(f"noc lab: fault {answer['fault']['id']} injected ({answer['traps']} traps sent)")
    return 0


def run_clear(args: argparse.Namespace) -> int:
    if bool(args.fault) == bool(args.all):
        raise ConfigError("say which fault to clear, or --all", hint="see `noc lab status`")
    answer = call(_paths(args).control, {"op": "clear", "fault": args.fault})
    cleared = ", ".join(answer["cleared"]) or "nothing"
    print(f"noc lab: cleared {cleared} ({answer['traps']} traps sent)")
    return 0
