"""``noc user``: local users and their roles (the same store calls as the users API, audited
with ``cli`` as actor)."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from typing import Any

from noc.cli.common import add_data_dir, open_events, settings_from
from noc.errors import ConfigError
from noc.store.events import EventStore, Role, User
from noc.store.passwords import password_problem


def add(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "user", help="add, list, disable and enable users, set roles and passwords"
    )
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

    e = users.add_parser("enable", help="enable a disabled user again")
    e.add_argument("username")
    add_data_dir(e)
    e.set_defaults(func=_enable)

    r = users.add_parser("role", help="give a user another role")
    r.add_argument("username")
    r.add_argument("role", choices=[role.value for role in Role])
    add_data_dir(r)
    r.set_defaults(func=_role)

    pw = users.add_parser("password", help="reset a user's password (prompt or --password-stdin)")
    pw.add_argument("username")
    pw.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    add_data_dir(pw)
    pw.set_defaults(func=_password)


def _read_password(username: str, from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            raise ConfigError("the two passwords differ")
    problem = password_problem(username, password)
    if problem is not None:
        raise ConfigError(f"the password is too weak: {problem}")
    return password


def _add(args: argparse.Namespace) -> int:
    password = _read_password(args.username, args.password_stdin)
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


def _change(args: argparse.Namespace, call: Callable[[EventStore], User], done: str) -> int:
    events = open_events(settings_from(args))
    try:
        user = call(events)
    finally:
        events.close()
    print(f"user {user.username} {done}")
    return 0


def _disable(args: argparse.Namespace) -> int:
    return _change(args, lambda ev: ev.users.disable(args.username, actor="cli"), "disabled")


def _enable(args: argparse.Namespace) -> int:
    return _change(args, lambda ev: ev.users.enable(args.username, actor="cli"), "enabled")


def _role(args: argparse.Namespace) -> int:
    role = Role(args.role)

    def call(events: EventStore) -> User:
        return events.users.set_role(args.username, role, actor="cli")

    return _change(args, call, f"now has the role {role.value}")


def _password(args: argparse.Namespace) -> int:
    password = _read_password(args.username, args.password_stdin)

    def call(events: EventStore) -> User:
        return events.users.set_password(args.username, password, actor="cli")

    return _change(args, call, "has a new password")
