"""``noc collect-ssh DEVICE``: run one device's SSH profile once and print the result."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

from noc.cli.common import add_data_dir, settings_from
from noc.errors import ConfigError
from noc.logs import scrub

if TYPE_CHECKING:
    from collectors.ssh.collector import SshCollectResult

POLICIES = ("strict", "accept-new", "ignore")  # collectors.ssh.hostkeys.HostKeyPolicy


def add(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "collect-ssh",
        help="poll one device over SSH once and print what was collected",
        description="Run DEVICE's SSH profile once (as the collector does) and print the result.",
    )
    p.add_argument("device", help="device id in the inventory")
    p.add_argument("--inventory", type=Path, help="inventory file (default: $NOC_INVENTORY)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--host-key-policy", choices=POLICIES, default="accept-new")
    p.add_argument("--timeout", type=float, default=30.0, help="read timeout per command, s")
    p.add_argument("--no-napalm", action="store_true", help="commands only, no napalm getters")
    add_data_dir(p)
    p.set_defaults(func=run)


def render_text(r: SshCollectResult) -> str:
    state = f"FAILED ({r.error_kind}): {r.error}" if r.failed else "ok"
    lines = [f"{r.device} via ssh in {r.duration_seconds:.2f} s: {state}"]
    if r.facts is not None:
        lines.append("facts: " + ", ".join(f"{k}={v}" for k, v in r.facts.model_dump().items()))
    for n in r.neighbors:
        lines.append(
            f"neighbor {n.protocol.value}: {n.local_interface} -> {n.remote_system} {n.remote_port}"
        )
    for s in r.samples:
        labels = ",".join(f"{k}={v}" for k, v in sorted(s.labels.items()))
        lines.append(f"{s.metric}{{{labels}}} {s.value:g}")
    lines.extend(f"note: {note}" for note in r.notes)
    return scrub("\n".join(lines))


def run(args: argparse.Namespace) -> int:
    # netmiko and friends take most of a second to import: only when this command runs
    from collectors.ssh.collector import SshCollector, SshConfig
    from collectors.ssh.hostkeys import HostKeyPolicy
    from noc.inventory import load_inventory

    settings = settings_from(args, inventory=args.inventory)
    inventory = load_inventory(settings.inventory)
    try:
        device = inventory.device(args.device)
    except KeyError:
        raise ConfigError(f"no device {args.device} in {settings.inventory}") from None
    config = SshConfig(
        host_key_policy=HostKeyPolicy(args.host_key_policy),
        known_hosts=settings.data_dir / "ssh_known_hosts",
        read_timeout_seconds=args.timeout,
        use_napalm=not args.no_napalm,
    )
    collector = SshCollector(inventory, config, base_dir=Path(settings.inventory).parent)

    async def once() -> SshCollectResult:
        try:
            return await collector.collect(device, device.profile)
        finally:
            await collector.close()

    result = asyncio.run(once())
    if args.format == "json":
        print(scrub(result.model_dump_json(indent=2)))
    else:
        print(render_text(result))
    return 1 if result.failed else 0
