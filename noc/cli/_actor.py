"""Who acts from the command line: ``--as USER``, checked against the user's role."""

from __future__ import annotations

import argparse

from noc.errors import AuthError
from noc.store.events import EventStore, Role


def add_actor(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as", dest="actor", required=True, metavar="USER", help="the user doing this (audited)"
    )


def check_actor(events: EventStore, username: str, *roles: Role) -> str:
    """The username when it exists, is enabled and has one of ``roles`` (or admin)."""
    user = events.users.get(username)
    if user is None or user.disabled:
        raise AuthError(f"no enabled user {username!r}", hint="see `noc user list`")
    allowed = {Role.admin, *roles}
    if user.role not in allowed:
        names = ", ".join(sorted(r.value for r in allowed))
        raise AuthError(f"role {user.role.value!r} may not do this (needs one of: {names})")
    return user.username
