"""``noc audit export|verify``: the auditor's export of the audit chain with the SLA figures."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from noc.cli.common import add_data_dir, open_events, settings_from
from noc.clock import SystemClock
from noc.inventory import load_inventory
from sla.catalog import catalog_of
from sla.export import write_sla_export
from sla.timeparse import parse_when
from sla.verify import verify_text


def add(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "audit", help="export the audit log with SLA figures; verify an export offline"
    )
    acts = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    e = acts.add_parser(
        "export",
        help="every state change and incident event with its hash chain, and the figures",
        description="Write the audit chain (from its first entry), the SLA catalog and the "
        "availability figures of [--from, --to) to one sealed file.",
    )
    e.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD (local) or ISO time")
    e.add_argument("--to", dest="end", required=True, help="exclusive; YYYY-MM-DD or ISO time")
    e.add_argument("--format", choices=("csv", "json"), default="csv")
    e.add_argument("--out", type=Path, help="default: stdout")
    e.add_argument("--inventory", type=Path, help="default: $NOC_INVENTORY or inventory.yaml")
    add_data_dir(e)
    e.set_defaults(func=_export)
    v = acts.add_parser(
        "verify",
        help="check an export: chain, seal and every figure, from the file alone",
    )
    v.add_argument("file", type=Path)
    v.set_defaults(func=_verify)


def _export(args: argparse.Namespace) -> int:
    settings = settings_from(args, inventory=args.inventory)
    inventory = load_inventory(settings.inventory)
    tz = ZoneInfo(inventory.settings.timezone)
    start, end = parse_when(args.start, tz), parse_when(args.end, tz)
    if end <= start:
        print("noc audit export: --to must be after --from", file=sys.stderr)
        return 2
    events = open_events(settings)
    try:
        entries = events.audit.entries()
    finally:
        events.close()
    text = write_sla_export(
        entries, catalog_of(inventory), start, end, SystemClock().now(), args.format
    )
    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.write_text(text, encoding="utf-8")
        print(f"{args.out}: {len(entries)} entries", file=sys.stderr)
    return 0


def _verify(args: argparse.Namespace) -> int:
    path: Path = args.file
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        print(f"FAILED: cannot read {path}: {e}", file=sys.stderr)
        return 1
    report = verify_text(text)
    if report.ok:
        print(f"OK: {report.entries} entries, {report.figures} figures recomputed and equal")
        return 0
    print(f"FAILED: {len(report.problems)} problem(s) in {path}")
    for problem in report.problems:
        print(f"  {problem}")
    return 1
