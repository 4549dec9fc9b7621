"""``noc user``: local users and their roles."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from noc.cli.common import add_data_dir, open_events, settings_from
from noc.errors import ConfigError
from noc.store.events import Role


def add(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser("user", help="add, list and disable users")
    users = p.add_subparsers(dest="action", required=True, metavar="ACTION")

    a = users.add_parser("add", help="add a user (password from a prompt or --password-stdin)")
    a.add_argument("username")
    a.add_argument("--role", required=True, choices=[r.value for r in Role])
    a.add_argument("--display-name", default="")
    a.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    add_data_dir(a)
    a.set_defaults(func=_add)

    ls = users.add_parser("list", help="list users and roles")
    add_data_dir(ls)
    ls.set_defaults(func=_list)

    d = users.add_parser("disable", help="disable a user (their tokens stop working)")
    d.add_argument("username")
    add_data_dir(d)
    d.set_defaults(func=_disable)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            raise ConfigError("the two passwords differ")
    if len(password) < 12:
        raise ConfigError("the password is too short", hint="use at least 12 characters")
    return password


def _add(args: argparse.Namespace) -> int:
    password = _read_password(args.password_stdin)
    events = open_events(settings_from(args))
    try:
        user = events.users.create(
            args.username,
            args.display_name or args.username,
            Role(args.role),
            password,
            actor="cli",
        )
    finally:
        events.close()
    print(f"user {user.username} added with role {user.role.value}")
    return 0


def _list(args: argparse.Namespace) -> int:
    events = open_events(settings_from(args))
    try:
        for u in events.users.list():
            status = "disabled" if u.disabled else "active"
            print(f"{u.username:<20} {u.role.value:<9} {status:<8} {u.display_name}")
    finally:
        events.close()
    return 0


def _disable(args: argparse.Namespace) -> int:
    events = open_events(settings_from(args))
    try:
        events.users.disable(args.username, actor="cli")
    finally:
        events.close()
    print(f"user {args.username} disabled")
    return 0
