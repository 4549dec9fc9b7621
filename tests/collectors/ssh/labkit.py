"""Test helpers: an inventory for lab devices, lab SSH servers in a background thread, and a
device that stalls in the middle of a command output."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import asyncssh
from pydantic import SecretStr

from collectors.ssh.collector import SshConfig
from noc.lab.ssh.server import Endpoint, LabSshServers
from noc.lab.ssh.static import StaticDevice, StaticLab, switch
from noc.model import Inventory
from tests.peers import free_port

PASSWORD = "Lab-pw-9f3c1e77"  # never to be seen in any output
PASSWORD_ENV = "NOC_TEST_SSH_PASSWORD"
USER = "noc-ro"
PORTS = {
    "cisco_ios": ["Te1/0/1", "Te1/0/2"],
    "cisco_nxos": ["Ethernet1/1", "Ethernet1/2"],
    "arista_eos": ["Ethernet1", "Ethernet2"],
    "juniper_junos": ["xe-0/0/0", "xe-0/0/1"],
    "huawei_vrp": ["XGigabitEthernet0/0/1", "XGigabitEthernet0/0/2"],
}


def lab_config(**kw: object) -> SshConfig:
    """A collector config for loopback simulators: no known_hosts file, no napalm, short
    connect/auth timeouts and backoff; callers set their read timeout and retries."""
    base: dict[str, object] = {
        "known_hosts": None,
        "use_napalm": False,
        "connect_timeout_seconds": 3.0,
        "auth_timeout_seconds": 3.0,
        "backoff_seconds": 0.05,
    }
    return SshConfig.model_validate({**base, **kw})


def inventory(
    devices: Sequence[tuple[str, str | None, int]], password_env: str = PASSWORD_ENV
) -> Inventory:
    """An inventory with (id, platform, ssh port) devices on 127.0.0.1."""
    return Inventory.model_validate(
        {
            "version": 1,
            "city": "Lab",
            "credentials": {
                "lab-ssh": {"type": "ssh", "username": USER, "password": f"env:{password_env}"}
            },
            "sites": [{"id": "dc", "name": "DC", "kind": "data_center"}],
            "devices": [
                {
                    "id": dev_id,
                    "site": "dc",
                    "role": "core_switch",
                    "platform": platform,
                    "address": "127.0.0.1",
                    "ssh": {"credentials": "lab-ssh", "port": port},
                }
                for dev_id, platform, port in devices
            ],
        }
    )


class LoopThread:
    """An asyncio loop in a daemon thread, so servers keep answering while tests block."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()

    def run(self, coro: Awaitable[Any], timeout: float = 30.0) -> Any:
        async def wrapper() -> Any:
            return await coro

        return asyncio.run_coroutine_threadsafe(wrapper(), self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)


@contextmanager
def lab_servers(devices: list[StaticDevice]) -> Iterator[tuple[StaticLab, dict[str, int]]]:
    """Serve ``devices`` over SSH on free loopback ports; yields (lab, {device id: port})."""
    lab = StaticLab(devices)
    ports = {d.id: free_port() for d in devices}
    servers = LabSshServers(
        lab,
        [Endpoint(d.id, "127.0.0.1", ports[d.id]) for d in devices],
        USER,
        SecretStr(PASSWORD),
    )
    thread = LoopThread()
    try:
        thread.run(servers.start())
        yield lab, ports
    finally:
        thread.run(servers.stop())
        thread.close()


def every_platform() -> list[StaticDevice]:
    return [switch(p.replace("_", "-"), p, names) for p, names in PORTS.items()]


class _Stall(asyncssh.SSHServer):
    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        return password == PASSWORD


async def _stalling_shell(process: asyncssh.SSHServerProcess[str]) -> None:
    """A Cisco-like prompt that answers set-up commands, then hangs mid-output."""
    process.stdout.write("\nstuck#")
    while True:
        line = await process.stdin.readline()
        if not line:
            return
        if line.strip().startswith("terminal") or not line.strip():
            process.stdout.write("stuck#")
            continue
        process.stdout.write("Cisco IOS XE Software, Version 17.9.4\nTechnical Support: http")
        await asyncio.sleep(3600)


@contextmanager
def stalling_server() -> Iterator[int]:
    """An SSH device that stops in the middle of the first real command; yields its port."""
    port = free_port()
    thread = LoopThread()
    key = asyncssh.generate_private_key("ssh-ed25519")

    async def start() -> asyncssh.SSHAcceptor:
        return await asyncssh.create_server(
            _Stall,
            "127.0.0.1",
            port,
            server_host_keys=[key],
            process_factory=_stalling_shell,
            encoding="utf-8",
        )

    server = thread.run(start())
    try:
        yield port
    finally:

        async def stop() -> None:
            server.close()

        thread.run(stop())
        thread.close()


def run(coro_fn: Callable[[], Awaitable[Any]], timeout: float = 60.0) -> Any:
    async def bounded() -> Any:
        return await asyncio.wait_for(coro_fn(), timeout)

    return asyncio.run(bounded())
