"""``noc token``: API tokens for automation and wall displays (shown once, stored hashed)."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from typing import Any

from noc.cli.common import add_data_dir, open_events, settings_from
from noc.clock import SystemClock


def add(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser("token", help="create, list and revoke API tokens")
    tokens = p.add_subparsers(dest="action", required=True, metavar="ACTION")

    c = tokens.add_parser("create", help="create a token for a user; printed once")
    c.add_argument("--user", required=True, help="the user the token acts as")
    c.add_argument("--name", required=True, help="what it is for, e.g. wall-display-1")
    c.add_argument("--expires-days", type=int, help="expire after this many days")
    add_data_dir(c)
    c.set_defaults(func=_create)

    ls = tokens.add_parser("list", help="list tokens (never their secrets)")
    ls.add_argument("--user")
    add_data_dir(ls)
    ls.set_defaults(func=_list)

    r = tokens.add_parser("revoke", help="revoke a token by id")
    r.add_argument("token_id", type=int)
    add_data_dir(r)
    r.set_defaults(func=_revoke)


def _create(args: argparse.Namespace) -> int:
    events = open_events(settings_from(args))
    expires = None
    if args.expires_days is not None:
        expires = SystemClock().now() + timedelta(days=args.expires_days)
    try:
        token, secret = events.tokens.create(args.user, args.name, actor="cli", expires_at=expires)
    finally:
        events.close()
    print(secret)
    print(f"token {token.id} for {token.username} ({token.name}); shown only once", file=sys.stderr)
    return 0


def _list(args: argparse.Namespace) -> int:
    events = open_events(settings_from(args))
    try:
        for t in events.tokens.list(args.user):
            state = "revoked" if t.revoked_at else "active"
            expires = t.expires_at.isoformat() if t.expires_at else "never"
            print(f"{t.id:>4} {t.username:<16} {t.name:<24} {state:<8} expires {expires}")
    finally:
        events.close()
    return 0


def _revoke(args: argparse.Namespace) -> int:
    events = open_events(settings_from(args))
    try:
        events.tokens.revoke(args.token_id, actor="cli")
    finally:
        events.close()
    print(f"token {args.token_id} revoked")
    return 0
