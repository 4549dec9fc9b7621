"""``noc maintenance`` and ``noc silence``: planned windows and silences, from the shell."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from alerting.duration import parse_duration
from noc.cli._actor import add_actor, check_actor
from noc.cli.common import add_data_dir, open_events, settings_from
from noc.clock import SystemClock
from noc.model.observations import ObjectRef
from noc.store.events import Matcher, Role

PLANNERS = (Role.operator, Role.oncall, Role.manager)


def _when(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a time like 2026-10-04T22:00+07:00"
        ) from None
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r} has no offset: add it, e.g. +07:00 for WIB")
    return value


def _matcher(text: str) -> Matcher:
    for op, regex, negate in (("!~", True, True), ("=~", True, False), ("!=", False, True)):
        name, sep, value = text.partition(op)
        if sep:
            return Matcher(name=name, value=value, regex=regex, negate=negate)
    name, sep, value = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"{text!r}: write name=value, name!=value, name=~regex")
    return Matcher(name=name, value=value)


def add(sub: Any) -> None:
    m: argparse.ArgumentParser = sub.add_parser("maintenance", help="planned maintenance windows")
    mc = m.add_subparsers(dest="action", required=True, metavar="ACTION")
    a = mc.add_parser("add", help="plan a window on a device, site or service")
    a.add_argument("target", help="device:ID, site:ID or service:ID")
    a.add_argument("--start", required=True, type=_when)
    a.add_argument("--duration", required=True, help="e.g. 2h")
    a.add_argument("--reason", required=True)
    a.add_argument("--recurrence", help="RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=SU")
    add_actor(a)
    a.set_defaults(func=_add_window)
    ls = mc.add_parser("list", help="every window")
    ls.set_defaults(func=_list_windows)
    c = mc.add_parser("cancel", help="end a window now")
    c.add_argument("id", type=int)
    add_actor(c)
    c.set_defaults(func=_cancel_window)

    s: argparse.ArgumentParser = sub.add_parser("silence", help="silences (still count in SLA)")
    sc = s.add_subparsers(dest="action", required=True, metavar="ACTION")
    a2 = sc.add_parser("add", help="silence alerts matching every matcher")
    a2.add_argument("matchers", nargs="+", type=_matcher, help="alertname=device_down site=dc")
    a2.add_argument("--duration", required=True, help="e.g. 4h")
    a2.add_argument("--reason", required=True)
    add_actor(a2)
    a2.set_defaults(func=_add_silence)
    ls2 = sc.add_parser("list", help="active silences")
    ls2.set_defaults(func=_list_silences)
    e = sc.add_parser("expire", help="end a silence now")
    e.add_argument("id", type=int)
    add_actor(e)
    e.set_defaults(func=_expire_silence)
    for parser in (*mc.choices.values(), *sc.choices.values()):
        add_data_dir(parser)


def _add_window(args: argparse.Namespace) -> int:
    events = open_events(settings_from(args))
    try:
        actor = check_actor(events, args.actor, *PLANNERS)
        w = events.maintenance.create(
            ObjectRef.parse(args.target),
            args.start,
            args.start + parse_duration(args.duration),
            author=actor,
            reason=args.reason,
            recurrence=args.recurrence,
        )
    finally:
        events.close()
    print(
        f"maintenance #{w.id} on {w.target}: {w.starts_at.isoformat()} .. {w.ends_at.isoformat()}"
    )
    return 0


def _list_windows(args: argparse.Namespace) -> int:
    events = open_events(settings_from(args))
    try:
        for w in events.maintenance.list():
            state = " (cancelled)" if w.cancelled_at else ""
            every = f" every {w.recurrence}" if w.recurrence else ""
            print(f"#{w.id} {w.target} {w.starts_at.isoformat()} .. {w.ends_at.isoformat()}"
                  f"{every} by {w.author}: {w.reason}{state}")  # fmt: skip
    finally:
        events.close()
    return 0


def _cancel_window(args: argparse.Namespace) -> int:
    events = open_events(settings_from(args))
    try:
        w = events.maintenance.cancel(args.id, actor=check_actor(events, args.actor, *PLANNERS))
    finally:
        events.close()
    print(f"maintenance #{w.id} cancelled")
    return 0


def _add_silence(args: argparse.Namespace) -> int:
    events = open_events(settings_from(args))
    try:
        actor = check_actor(events, args.actor, Role.operator, Role.oncall)
        now = SystemClock().now()
        s = events.silences.create(
            args.matchers,
            now,
            now + parse_duration(args.duration),
            author=actor,
            reason=args.reason,
        )
    finally:
        events.close()
    print(f"silence #{s.id} until {s.ends_at.isoformat()}")
    return 0


def _list_silences(args: argparse.Namespace) -> int:
    events = open_events(settings_from(args))
    try:
        for s in events.silences.list():
            matchers = " ".join(
                f"{m.name}{'!' if m.negate else '='}{'~' if m.regex else ''}{m.value}"
                for m in s.matchers
            )
            print(f"#{s.id} {matchers} until {s.ends_at.isoformat()} by {s.author}: {s.reason}")
    finally:
        events.close()
    return 0


def _expire_silence(args: argparse.Namespace) -> int:
    events = open_events(settings_from(args))
    try:
        actor = check_actor(events, args.actor, Role.operator, Role.oncall)
        s = events.silences.expire(args.id, actor=actor)
    finally:
        events.close()
    print(f"silence #{s.id} expired")
    return 0
