"""Plugging the SSH simulators into the lab: endpoints and login from the inventory.

The composition root (``noc lab`` / ``noc serve``) calls :func:`lab_ssh_servers` with the lab
state (any :class:`~noc.lab.view.LabView`, e.g. ``LabCity``) and awaits ``start()``/``stop()``.
"""

from __future__ import annotations

from pathlib import Path

from noc.errors import ConfigError
from noc.lab.ssh.render import Renderer
from noc.lab.ssh.server import Endpoint, LabSshServers
from noc.lab.view import LabView
from noc.logs import redact
from noc.model import Inventory

LAB_SSH_PORT = 11022  # unprivileged; what the demo inventory's settings.ssh_port says


def endpoints(inventory: Inventory, renderer: Renderer, port: int | None = None) -> list[Endpoint]:
    """Every device with SSH access and a platform the lab can speak, on its own address."""
    return [
        Endpoint(d.id, str(d.address), port or inventory.ssh_port(d))
        for d in inventory.devices
        if d.ssh is not None and d.platform in renderer.platforms
    ]


def lab_ssh_servers(
    inventory: Inventory,
    view: LabView,
    *,
    base_dir: Path | None = None,
    port: int | None = None,
    host_key_path: Path | None = None,
) -> LabSshServers:
    """SSH servers for the lab, logging in with the inventory's SSH credential set.

    ``port`` overrides each device's ``ssh.port`` (tests); ``host_key_path`` keeps one host key
    across restarts so the collector's known_hosts (accept-new) stays valid.
    """
    renderer = Renderer()
    eps = endpoints(inventory, renderer, port)
    names = {inventory.device(ep.device_id).ssh.credentials for ep in eps}  # type: ignore[union-attr]
    if len(names) > 1:
        raise ConfigError(
            "the lab's SSH devices use several credential sets: " + ", ".join(sorted(names)),
            hint="the lab serves one SSH login; give lab devices one ssh credential set",
        )
    creds = inventory.ssh_credentials(inventory.device(eps[0].device_id)) if eps else None
    if creds is None or creds.password is None:
        raise ConfigError("the lab's SSH devices need an ssh credential set with a password")
    password = creds.password.resolve(base_dir)
    redact(password.get_secret_value())
    return LabSshServers(
        view, eps, creds.username, password, host_key_path=host_key_path, renderer=renderer
    )
