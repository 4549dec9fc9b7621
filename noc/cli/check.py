"""``noc check [FILE]``: validate an inventory file and show every problem."""

from __future__ import annotations

import argparse
from typing import Any

from noc.inventory import check_inventory, render_json, render_text


def add(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "check",
        help="validate inventory.yaml",
        description=(
            "Check an inventory file: YAML syntax, unknown keys, bad values, references, "
            "rings, power chain and design conformance. Exit 0 when clean, 1 otherwise."
        ),
    )
    parser.add_argument("file", nargs="?", default="inventory.yaml", help="default: %(default)s")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--strict",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="fail on warnings too (default); --no-strict fails on errors only",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    report = check_inventory(args.file)
    strict: bool = args.strict
    if args.format == "json":
        print(render_json(report, strict=strict))
    else:
        print(render_text(report, strict=strict))
    return 1 if report.failed(strict=strict) else 0
