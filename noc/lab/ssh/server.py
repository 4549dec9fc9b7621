"""SSH servers for the lab's switches: one listener per device, answering from a LabView.

Each device listens on its own address and port (inventory ``address`` + ``ssh.port``),
accepts the inventory's SSH user and password, and answers the platform's commands in the
platform's format, rendered from the lab state at the moment of reading. A device that is not
``answering()`` (device-down) stops listening (connections are refused) and falls silent in
open sessions; it listens again when the fault clears.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from dataclasses import dataclass
from pathlib import Path

import asyncssh
from pydantic import SecretStr

from noc.lab.ssh.render import Renderer
from noc.lab.view import LabView

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Endpoint:
    device_id: str
    host: str
    port: int


def load_host_key(path: Path | None) -> asyncssh.SSHKey:
    """The lab's host key: kept in ``path`` so known_hosts stays valid across restarts."""
    if path is not None and path.exists():
        return asyncssh.read_private_key(str(path))
    key = asyncssh.generate_private_key("ssh-ed25519")
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        key.write_private_key(str(path))
        path.chmod(0o600)
    return key


class _Server(asyncssh.SSHServer):
    def __init__(self, username: str, password: SecretStr) -> None:
        self._username = username
        self._password = password

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        good = self._password.get_secret_value()
        return secrets.compare_digest(username, self._username) and secrets.compare_digest(
            password.encode(), good.encode()
        )


class LabSshServers:
    """Start and stop the SSH side of the lab."""

    def __init__(
        self,
        view: LabView,
        endpoints: list[Endpoint],
        username: str,
        password: SecretStr,
        *,
        host_key_path: Path | None = None,
        renderer: Renderer | None = None,
    ) -> None:
        self.view = view
        self.endpoints = endpoints
        self.username = username
        self.password = password
        self.host_key_path = host_key_path
        self.renderer = renderer or Renderer()
        self.watch_interval = 1.0  # seconds between checks of device-down faults
        self._servers: dict[str, asyncssh.SSHAcceptor] = {}
        self._watcher: asyncio.Task[None] | None = None
        self._key: asyncssh.SSHKey | None = None

    async def start(self) -> None:
        self._key = load_host_key(self.host_key_path)
        for ep in self.endpoints:
            self.renderer.cli(self.view.device(ep.device_id).platform)  # fail now if unknown
        await self._sync()
        self._watcher = asyncio.create_task(self._watch())
        log.info("lab SSH: %d devices listening", len(self._servers))

    async def _listen(self, ep: Endpoint) -> asyncssh.SSHAcceptor:
        return await asyncssh.create_server(
            lambda: _Server(self.username, self.password),
            ep.host,
            ep.port,
            server_host_keys=[self._key],
            process_factory=lambda proc: self._session(proc, ep.device_id),
            encoding="utf-8",
            line_editor=True,
            keepalive_interval=30,
        )

    async def _sync(self) -> None:
        """Listen for devices that answer, stop listening for those that went down."""
        for ep in self.endpoints:
            answering = self.view.device(ep.device_id).answering()
            server = self._servers.get(ep.device_id)
            if answering and server is None:
                self._servers[ep.device_id] = await self._listen(ep)
            elif not answering and server is not None:
                del self._servers[ep.device_id]
                server.close()

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(self.watch_interval)
            try:
                await self._sync()
            except OSError as err:  # a port taken meanwhile: try again next round
                log.warning("lab SSH: %s", err)

    async def stop(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher
            self._watcher = None
        for server in self._servers.values():
            server.close()
            await server.wait_closed()
        self._servers.clear()

    async def _session(self, process: asyncssh.SSHServerProcess[str], device_id: str) -> None:
        device = self.view.device(device_id)
        try:
            if process.command:  # ``ssh host command``: one answer, no prompt
                process.stdout.write(self.renderer.answer(device, process.command) + "\n")
                return
            prompt = self.renderer.prompt(device)
            process.stdout.write("\n" + prompt)
            while True:
                try:
                    line = await process.stdin.readline()
                except (asyncssh.BreakReceived, asyncssh.TerminalSizeChanged):
                    continue
                if not line:
                    break
                command = " ".join(line.split())
                if command in ("exit", "quit", "logout"):
                    break
                if not device.answering():  # went down mid-session: silence, like a dead box
                    await asyncio.sleep(3600)
                text = self.renderer.answer(device, command)
                if not text.endswith("\n"):
                    # also for an empty line: the echo of an Enter typed before the first prompt
                    # was drawn must not leave two prompts on one line ("sw1#sw1#")
                    text += "\n"
                process.stdout.write(text + prompt)
        except (asyncssh.Error, ConnectionError, BrokenPipeError):
            pass
        except Exception:  # a lab bug: say so, and end this session only
            log.exception("lab SSH: session of %s failed", device_id)
        finally:
            with contextlib.suppress(Exception):
                process.exit(0)
