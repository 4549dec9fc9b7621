"""Who may call which API route: the role sets every ``/api/v1`` route declares.

DESIGN.md, Roles: a viewer sees the wall only; operators and on-call engineers act on alerts
and incidents and keep the log book; managers read reports; auditors read everything and
export; admins manage users and may do everything. Routes use these names (with
:func:`allow`) so the policy reads the same everywhere, and ``tests/test_routes_roles.py``
checks every route against every role.
"""

from __future__ import annotations

from fastapi import Depends, params

from noc.api.auth import require_role
from noc.store.events import Role

# Everyone logged in: the wall, one's own account (language, password, tokens), /metrics.
EVERYONE: frozenset[Role] = frozenset(Role)
# Reading inventory, topology, alerts, incidents, maintenance, the log book.
READERS = frozenset({Role.operator, Role.oncall, Role.manager, Role.auditor})
# Acknowledge, comment on, resolve incidents; silence alerts.
RESPONDERS = frozenset({Role.operator, Role.oncall})
# Plan maintenance, assign incidents, write the log book.
SHIFT = frozenset({Role.operator, Role.oncall, Role.manager})
# SLA reports and figures.
REPORT_READERS = frozenset({Role.manager, Role.auditor})
# The audit export and its verification.
AUDITORS = frozenset({Role.auditor})
# Users and their roles: admins only.
ADMINS = frozenset({Role.admin})


def allow(roles: frozenset[Role]) -> params.Depends:
    """A route or router dependency that lets ``roles`` (and admins) through, refusing others
    with 403 and anonymous callers with 401."""
    dependency: params.Depends = Depends(require_role(*roles))
    return dependency
