"""``noc topology spof|whatif|rings|impact``: single points of failure, what-if, ring state.

``spof`` and ``whatif`` read only the inventory; ``rings`` and ``impact`` take the last
recorded states from the event store (``--data-dir``), or ``--fail`` elements as a what-if.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from noc.cli.common import add_data_dir, open_events, settings_from
from noc.inventory import load_inventory
from noc.model import Inventory, ObjectKind, ObjectRef
from topology.elements import resolve
from topology.graph import TopologyGraph
from topology.impact import impact
from topology.live import LiveTopology
from topology.models import Impact
from topology.spof import spof_report
from topology.text import impact_text, rings_text, spof_text


def add(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "topology",
        help="single points of failure, what-if, ring state, impact",
        description="The city network as a graph: what one failure would cut off, the state "
        "of each ring, and what is cut off now.",
    )
    cmds = parser.add_subparsers(dest="topology_command", metavar="WHAT", required=True)
    spof = cmds.add_parser("spof", help="every element whose failure alone cuts something off")
    whatif = cmds.add_parser("whatif", help="what the failure of ELEMENT... would do")
    whatif.add_argument(
        "elements", nargs="+", metavar="ELEMENT", help="device:ID, link:ID, source:ID or an id"
    )
    rings = cmds.add_parser("rings", help="ring state now (or with --fail)")
    now = cmds.add_parser("impact", help="what is cut off or degraded now (or with --fail)")
    for p in (spof, whatif, rings, now):
        p.add_argument("--inventory", type=Path, help="default: $NOC_INVENTORY or inventory.yaml")
        p.add_argument("--format", choices=("text", "json"), default="text")
    for p in (rings, now):
        p.add_argument(
            "--fail",
            nargs="+",
            default=None,
            metavar="ELEMENT",
            help="what-if instead of the recorded state",
        )
        add_data_dir(p)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args, inventory=args.inventory)
    inv = load_inventory(settings.inventory)
    graph = TopologyGraph.from_inventory(inv)
    command: str = args.topology_command
    as_json = args.format == "json"
    if command == "spof":
        report = spof_report(graph)
        print(report.model_dump_json(indent=2) if as_json else spof_text(report))
        return 0
    if command == "whatif":
        im = impact(graph, resolve(graph, args.elements))
        print(im.model_dump_json(indent=2) if as_json else impact_text(im))
        return 0
    im = (
        _impact_now(graph, inv, args)
        if args.fail is None
        else impact(graph, resolve(graph, args.fail))
    )
    if command == "rings":
        if as_json:
            print(json.dumps([r.model_dump(mode="json") for r in im.rings], indent=2))
        else:
            print(rings_text(im.rings))
        return 0
    heading = "" if args.fail is not None else "Now:"
    print(im.model_dump_json(indent=2) if as_json else impact_text(im, heading=heading))
    return 0


def _impact_now(graph: TopologyGraph, inv: Inventory, args: argparse.Namespace) -> Impact:
    """The impact of what the event store says has failed, as of now."""
    events = open_events(settings_from(args, inventory=args.inventory))
    try:
        now = datetime.now(UTC)
        devices, links = {}, {}
        for d in inv.devices:
            rec = events.state_changes.state_at(ObjectRef(kind=ObjectKind.device, id=d.id), now)
            if rec is not None:
                devices[d.id] = rec.new
        for k in inv.links:
            rec = events.state_changes.state_at(ObjectRef(kind=ObjectKind.link, id=k.id), now)
            if rec is not None:
                links[k.id] = rec.new
    finally:
        events.close()
    live = LiveTopology(graph)
    live.load(devices, links)
    return live.impact()
