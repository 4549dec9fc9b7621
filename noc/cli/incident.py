"""``noc incident``: list, show, acknowledge, assign, comment, resolve and reopen incidents."""

from __future__ import annotations

import argparse
from typing import Any

from noc.cli._actor import add_actor, check_actor
from noc.cli.common import add_data_dir, open_events, settings_from
from noc.model.observations import ObjectRef
from noc.store.events import Incident, IncidentStatus, Role

RESPONDERS = (Role.operator, Role.oncall)


def add(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser("incident", help="work on incidents")
    cmds = p.add_subparsers(dest="action", required=True, metavar="ACTION")

    ls = cmds.add_parser("list", help="open incidents (--all: resolved too)")
    ls.add_argument("--all", action="store_true")
    ls.add_argument("--status", choices=[s.value for s in IncidentStatus])
    ls.set_defaults(func=_list)

    show = cmds.add_parser("show", help="one incident and its history")
    show.add_argument("id", type=int)
    show.set_defaults(func=_show)

    for name, helptext, extra in (
        ("ack", "acknowledge (starts the response clock's stop)", "text"),
        ("comment", "add a note", "text"),
        ("assign", "give to a person", "assignee"),
        ("resolve", "resolve by hand with a note", "text"),
        ("reopen", "reopen a resolved incident", "text"),
    ):
        c = cmds.add_parser(name, help=helptext)
        c.add_argument("id", type=int)
        if extra == "assignee":
            c.add_argument("assignee")
        else:
            c.add_argument("--text", default="", required=name in ("comment", "resolve"))
        if name == "resolve":
            c.add_argument("--root-cause", help="kind:id, e.g. device:core-1")
        add_actor(c)
        c.set_defaults(func=_act, verb=name)
    for c in cmds.choices.values():
        add_data_dir(c)


def _line(i: Incident) -> str:
    who = f" ack:{i.acknowledged_by}" if i.acknowledged_by else ""
    to = f" -> {i.assignee}" if i.assignee else ""
    symptoms = f" (+{len(i.symptom_alerts)} symptoms)" if i.symptom_alerts else ""
    opened = i.opened_at.strftime("%Y-%m-%d %H:%M")
    head = f"#{i.id:<5} {i.status.value:12} {i.severity.value:8} {opened}Z"
    return f"{head} {i.title}{symptoms}{to}{who}"


def _list(args: argparse.Namespace) -> int:
    events = open_events(settings_from(args))
    try:
        status = IncidentStatus(args.status) if args.status else None
        found = events.incidents.list(status=status)
    finally:
        events.close()
    if not args.all and status is None:
        found = [i for i in found if i.status is not IncidentStatus.resolved]
    for i in found:
        print(_line(i))
    if not found:
        print("no incidents")
    return 0


def _show(args: argparse.Namespace) -> int:
    events = open_events(settings_from(args))
    try:
        inc = events.incidents.get(args.id)
        history = events.incidents.events(args.id)
    finally:
        events.close()
    print(_line(inc))
    if inc.root_cause:
        print(f"  root cause: {inc.root_cause}")
    if inc.affected_services:
        print(f"  services:   {', '.join(inc.affected_services)}")
    for alert in (inc.source_alert, *inc.symptom_alerts):
        if alert:
            print(f"  alert:      {alert}")
    for e in history:
        text = f": {e.text}" if e.text else ""
        print(f"  {e.at.strftime('%Y-%m-%d %H:%M:%S')}Z {e.kind.value:12} {e.actor}{text}")
    return 0


def _act(args: argparse.Namespace) -> int:
    events = open_events(settings_from(args))
    try:
        roles = (*RESPONDERS, Role.manager) if args.verb == "assign" else RESPONDERS
        actor = check_actor(events, args.actor, *roles)
        inc = events.incidents
        if args.verb == "ack":
            result = inc.acknowledge(args.id, actor=actor, text=args.text)
        elif args.verb == "assign":
            result = inc.assign(args.id, args.assignee, actor=actor)
        elif args.verb == "comment":
            inc.comment(args.id, args.text, actor=actor)
            result = inc.get(args.id)
        elif args.verb == "resolve":
            root = ObjectRef.parse(args.root_cause) if args.root_cause else None
            result = inc.resolve(args.id, actor=actor, root_cause=root, text=args.text)
        else:
            result = inc.reopen(args.id, actor=actor, text=args.text)
    finally:
        events.close()
    print(_line(result))
    return 0
