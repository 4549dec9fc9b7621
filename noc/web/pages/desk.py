"""Small helpers the desk pages (maintenance, log book, SLA, audit, users, account) share."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from noc.api.policy import RESPONDERS, SHIFT
from noc.store.events import ApiToken, Role, User

# Who may act, as the API decides it (noc/api/policy.py); pages hide the forms of other roles.
PLANNERS = SHIFT  # plan and cancel maintenance
SILENCERS = RESPONDERS  # create and expire silences
LOG_WRITERS = SHIFT


def may(user: User, roles: frozenset[Role]) -> bool:
    """As the API's ``require_role``: admins and the named roles."""
    return user.role is Role.admin or user.role in roles


def zone_offset(zone: str, at: datetime) -> str:
    """The zone's UTC offset at ``at`` as ``+07:00``: the forms send local times with it."""
    text = at.astimezone(ZoneInfo(zone)).strftime("%z")
    return f"{text[:3]}:{text[3:]}"


def local_input(at: datetime, zone: str) -> str:
    """``at`` as the value of an ``<input type="datetime-local">`` in the site's time zone."""
    return at.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")


def next_hour(at: datetime) -> datetime:
    return at.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


def minutes(value: timedelta) -> float:
    return value.total_seconds() / 60


def token_state(token: ApiToken, now_usable: bool) -> str:
    """``active``, ``expired`` or ``revoked``."""
    if token.revoked_at is not None:
        return "revoked"
    return "active" if now_usable else "expired"
