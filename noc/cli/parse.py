"""``noc parse --platform P --command C FILE``: parse a saved output as the SSH collector does."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from collectors.ssh.models import Parsed
from collectors.ssh.parse import parse_command
from collectors.ssh.profile import load_profiles
from noc.errors import ConfigError


def add(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "parse",
        help="parse a saved device output (SSH profiles) and print the typed result",
        description=(
            "Parse FILE (or - for stdin) as the output of COMMAND on PLATFORM, exactly as the "
            "SSH collector would, and print the typed result. The JSON form is stable."
        ),
    )
    p.add_argument("file", help="saved output, or - for standard input")
    p.add_argument("--platform", required=True, help="cisco_ios, cisco_nxos, juniper_junos, ...")
    p.add_argument(
        "--command",
        dest="device_command",
        required=True,
        help='the command, e.g. "show lldp neighbors"',
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--profiles-dir", type=Path, help="extra SSH profiles (*.yaml)")
    p.set_defaults(func=run)


def render_text(parsed: Parsed) -> str:
    lines = [f"{parsed.platform} / {parsed.command}: {parsed.kind.value}"]
    if parsed.facts is not None:
        items: list[dict[str, Any]] = [parsed.facts.model_dump(exclude_defaults=True)]
    else:
        items = [i.model_dump(exclude_defaults=True) for i in getattr(parsed, parsed.kind.value)]
    for item in items:
        lines.append("  " + "  ".join(f"{k}={v}" for k, v in item.items()))
    if not items:
        lines.append("  (nothing)")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    if args.file == "-":
        text = sys.stdin.read()
    else:
        try:
            text = Path(args.file).read_text(encoding="utf-8", errors="replace")
        except OSError as err:
            raise ConfigError(f"cannot read {args.file} ({err.strerror})") from None
    parsed = parse_command(
        load_profiles(args.profiles_dir), args.platform, args.device_command, text
    )
    print(parsed.model_dump_json(indent=2) if args.format == "json" else render_text(parsed))
    return 0
