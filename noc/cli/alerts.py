"""``noc alerts ...``: check rule files; list the alerts alerting last recorded."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from alerting.journal import Journal
from alerting.rule_loader import check_rule_files, default_rule_files
from alerting.wiring import journal_path, load_alerting_config
from noc.cli.common import add_data_dir, settings_from
from noc.errors import ConfigError


def add(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "alerts", help="alert rules and alerts", description="Alert rules and alerts."
    )
    cmds = parser.add_subparsers(dest="alerts_command", metavar="SUBCOMMAND", required=True)
    check = cmds.add_parser(
        "check-rules",
        help="validate rule files",
        description="Check rule files (default: the shipped set). Exit 0 when clean, else 1.",
    )
    check.add_argument("files", nargs="*", type=Path)
    check.set_defaults(func=run_check)
    config = cmds.add_parser(
        "check-config",
        help="validate an alerting settings file",
        description="Check an alerting settings file (channels, rotations, escalation); "
        "secret references must resolve. Exit 0 when clean, else 1.",
    )
    config.add_argument("file", type=Path)
    config.set_defaults(func=run_check_config)
    listing = cmds.add_parser("list", help="alerts as last recorded (with mute reasons)")
    add_data_dir(listing)
    listing.add_argument("--all", action="store_true", help="resolved and pending ones too")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.set_defaults(func=run_list)


def run_check(args: argparse.Namespace) -> int:
    files: list[Path] = args.files or default_rule_files()
    failed = False
    for f in files:
        ruleset, problems = check_rule_files([f])
        if problems:
            failed = True
            print(f"FAILED {f}")
            for p in problems:
                print(f"  {p}")
        else:
            print(f"SUCCESS {f}: {len(ruleset.rules)} rules")
    if not failed and len(files) > 1:
        _, problems = check_rule_files(files)  # names must be unique across files too
        for p in problems:
            failed = True
            print(f"FAILED {p}")
    return 1 if failed else 0


def run_check_config(args: argparse.Namespace) -> int:
    try:
        config = load_alerting_config(args.file)
    except ConfigError as err:
        print(f"FAILED {err}")
        return 1
    steps = len(config.escalation.steps) if config.escalation else 0
    print(
        f"SUCCESS {args.file}: {len(config.channels)} channels, {len(config.rotations)} "
        f"rotations, {steps} escalation steps"
    )
    return 0


def run_list(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    path = journal_path(settings.data_dir)
    if not path.exists():
        print("no alerts recorded yet")
        return 0
    journal = Journal(path)
    try:
        records = journal.alerts()
    finally:
        journal.close()
    if not args.all:
        records = [r for r in records if r.alert.state.active]
    if args.format == "json":
        print(json.dumps([r.model_dump(mode="json") for r in records], indent=2))
        return 0
    for r in records:
        a = r.alert
        muted = f"  muted: {r.mute.kind.value} ({r.mute.reason})" if r.mute else ""
        incident = f"  incident #{r.incident_id}" if r.incident_id else ""
        print(f"{a.state.value:9} {a.severity.value:8} {a.key}{incident}{muted}")
    return 0
