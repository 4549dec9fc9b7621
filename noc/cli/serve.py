"""``noc serve``: run the NOC (collectors, stores, API) until interrupted."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import secrets
import signal
from pathlib import Path
from typing import Any

from noc.cli.common import add_data_dir, settings_from
from noc.logs import configure_logging, redact
from noc.runtime import Runtime
from noc.settings import Settings
from noc.store.events import EventStore, Role

log = logging.getLogger("noc.serve")


def add(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "serve", help="run the NOC: poll the inventory, store, serve the API"
    )
    p.add_argument("--inventory", type=Path, help="inventory file (default: $NOC_INVENTORY)")
    p.add_argument("--host", help="listen address (default: $NOC_LISTEN_HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, help="listen port (default: $NOC_LISTEN_PORT or 8080)")
    add_data_dir(p)
    p.set_defaults(func=run)


def ensure_first_admin(events: EventStore, settings: Settings) -> Path | None:
    """Create the first admin on an empty user table; return where its password was written.

    With NOC_ADMIN_PASSWORD set, that password is used and nothing is written. Otherwise a
    random one goes to ``<data_dir>/initial-admin-password`` (mode 0600), never to the log.
    """
    if events.users.list():
        return None
    if settings.admin_password is not None:
        password = settings.admin_password.get_secret_value()
        target = None
    else:
        password = secrets.token_urlsafe(18)
        target = settings.data_dir / "initial-admin-password"
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(password + "\n")
    redact(password)
    events.users.create(settings.admin_user, "Administrator", Role.admin, password)
    return target


class _Stopped(Exception):
    """Raised by the signal handler once uvicorn has finished its own shutdown."""


def _stop_quietly(signum: int, frame: object) -> None:
    raise _Stopped


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from noc.app import create_app

    settings = settings_from(
        args, inventory=args.inventory, listen_host=args.host, listen_port=args.port
    )
    configure_logging(settings.log_level, settings.log_format.value)
    if settings.influx_token is not None:
        redact(settings.influx_token.get_secret_value())
    runtime = Runtime.build(settings)
    try:
        written = ensure_first_admin(runtime.events, settings)
        if written is not None:
            log.warning(
                "first start: created user %r; its password is in %s (mode 0600)",
                settings.admin_user,
                written,
            )
        inv = runtime.inventory
        log.info(
            "monitoring %s: %d sites, %d devices, %d links, %d services",
            inv.city,
            len(inv.sites),
            len(inv.devices),
            len(inv.links),
            len(inv.services),
        )
        app = create_app(runtime)
        url = f"http://{settings.listen_host}:{settings.listen_port}"
        log.info("NOC Command Center at %s (API docs at %s/docs)", url, url)
        # uvicorn shuts down gracefully on SIGTERM/SIGINT, then re-raises the signal to the
        # handler it found: make that a normal exit so the stores below close cleanly.
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, _stop_quietly)
        with contextlib.suppress(_Stopped):
            uvicorn.run(
                app,
                host=settings.listen_host,
                port=settings.listen_port,
                log_config=None,
                access_log=False,
            )
        log.info("stopped")
    finally:
        runtime.close()
    return 0
