"""The lab process: every device's agent, the clock tick, traps and the control channel."""

from __future__ import annotations

import asyncio
import importlib
import json
import logging
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

from noc.clock import Clock
from noc.errors import NocError
from noc.lab.agents import DeviceAgent, identity_for
from noc.lab.city import DEFAULT_GENSET_DELAY_S, DEFAULT_TRANSFER_DELAY_S, LabCity
from noc.lab.control import MAX_REQUEST, Request, parse_request
from noc.lab.faults import FaultError
from noc.model import Inventory

log = logging.getLogger("noc.lab")
DEFAULT_TRAP_TARGET = ("127.0.0.1", 11162)


def _factory(agent: DeviceAgent) -> Callable[[], DeviceAgent]:
    return lambda: agent


class LabServer:
    def __init__(
        self,
        inventory: Inventory,
        clock: Clock,
        *,
        trap_target: tuple[str, int] | None = DEFAULT_TRAP_TARGET,
        control_path: Path | None = None,
        base_dir: Path | None = None,
        tick_s: float = 1.0,
        ssh: bool = False,
        ssh_port: int | None = None,
        genset_delay_s: float = DEFAULT_GENSET_DELAY_S,
        transfer_delay_s: float = DEFAULT_TRANSFER_DELAY_S,
    ) -> None:
        self.inventory = inventory
        self.city = LabCity(
            inventory, clock, genset_delay_s=genset_delay_s, transfer_delay_s=transfer_delay_s
        )
        self.trap_target = trap_target
        self.control_path = control_path
        self.base_dir = base_dir
        self.tick_s = tick_s
        self.agents: dict[str, DeviceAgent] = {}
        self.traps_sent = 0
        self.startup_s = 0.0
        self._tasks: list[asyncio.Task[None]] = []
        self._control: asyncio.AbstractServer | None = None
        self.ssh = ssh
        self.ssh_port = ssh_port
        self.ssh_error: str | None = None
        self._ssh: Any = None  # noc.lab.ssh.server.LabSshServers, when SSH is on

    async def start(self) -> None:
        began = time.perf_counter()
        loop = asyncio.get_running_loop()
        for device in self.inventory.devices:
            if device.snmp is None:
                continue
            ident = identity_for(self.inventory, device, self.base_dir)
            port = self.inventory.snmp_port(device)
            agent = DeviceAgent(self.city, device, ident, port)
            try:
                await loop.create_datagram_endpoint(_factory(agent), local_addr=agent.endpoint)
            except OSError as err:
                await self.stop()
                raise NocError(
                    f"lab agent {device.id} cannot listen on {agent.endpoint[0]}:{port} "
                    f"({err.strerror or err})",
                    hint="is another lab running? try `noc lab down`",
                ) from None
            self.agents[device.id] = agent
        if self.ssh:
            await self._start_ssh()
        if self.control_path is not None:
            self.control_path.parent.mkdir(parents=True, exist_ok=True)
            with suppress(FileNotFoundError):
                self.control_path.unlink()
            self._control = await asyncio.start_unix_server(
                self._serve_control, path=str(self.control_path), limit=MAX_REQUEST
            )
            self.control_path.chmod(0o600)
        self._tasks.append(asyncio.create_task(self._ticker()))
        self.startup_s = time.perf_counter() - began
        log.info("lab up: %d agents in %.2f s", len(self.agents), self.startup_s)

    async def _start_ssh(self) -> None:
        """The SSH simulators (noc.lab.ssh) on the same lab state; SNMP goes on without them."""
        try:
            # Loaded by name: the SSH simulators are an optional part of the lab.
            wiring = importlib.import_module("noc.lab.ssh.wiring")
            servers = wiring.lab_ssh_servers(
                self.inventory,
                self.city,
                base_dir=self.base_dir,
                port=self.ssh_port,
                host_key_path=None
                if self.control_path is None
                else self.control_path.parent / "ssh_host_key",
            )
        except (ImportError, NocError) as err:
            self.ssh_error = str(err)
            log.warning("lab SSH simulators not started: %s", err)
            return
        try:
            await servers.start()
        except (NocError, OSError) as err:
            await servers.stop()  # close the listeners that did start
            self.ssh_error = str(err)
            log.warning("lab SSH simulators not started: %s", err)
            return
        self._ssh = servers

    async def stop(self) -> None:
        if self._ssh is not None:
            await self._ssh.stop()
            self._ssh = None
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        if self._control is not None:
            self._control.close()
            await self._control.wait_closed()
            self._control = None
            if self.control_path is not None:
                with suppress(FileNotFoundError):
                    self.control_path.unlink()
        for agent in self.agents.values():
            if agent.transport is not None:
                agent.transport.close()
        self.agents.clear()

    # -- time and traps --

    async def _ticker(self) -> None:
        while True:
            await asyncio.sleep(self.tick_s)
            try:
                self.city.tick()
                self.flush()
            except Exception:  # keep ticking: one bad event must not stop the lab
                log.exception("lab tick failed")

    def flush(self) -> int:
        """Send the traps for every queued event; return how many went out."""
        sent = 0
        for event in self.city.drain_events():
            agent = self.agents.get(event.device)
            if agent is not None and self.trap_target is not None:
                sent += agent.send_traps(event, self.trap_target)
        self.traps_sent += sent
        return sent

    # -- control --

    def handle(self, request: Request) -> dict[str, Any]:
        if request.op == "fault":
            if not request.kind:
                raise FaultError("a fault needs a kind")
            fault = self.city.inject(request.kind, request.args)
            self.city.tick()
            return {"fault": fault.as_dict(), "traps": self.flush()}
        if request.op == "clear":
            cleared = self.city.clear(request.fault)
            self.city.tick()
            return {"cleared": [f.id for f in cleared], "traps": self.flush()}
        return {"status": self.status()}

    def status(self) -> dict[str, Any]:
        state = self.city.status()
        state["traps_sent"] = self.traps_sent
        state["ssh"] = (
            {"listening": len(self._ssh.endpoints)}
            if self._ssh is not None
            else {"error": self.ssh_error}
        )
        state["trap_target"] = (
            None if self.trap_target is None else f"{self.trap_target[0]}:{self.trap_target[1]}"
        )
        state["endpoints"] = [
            {
                "device": a.device.id,
                "address": f"{a.endpoint[0]}:{a.endpoint[1]}",
                "snmp": "v2c" if a.identity.community is not None else "v3",
                "engine_id": a.identity.engine_id.hex(),
                "sys_object_id": self.city.nodes[a.device.id].model_data.sys_object_id,
                "answering": a.device.id not in state["silent"],
            }
            for a in self.agents.values()
        ]
        return state

    async def _serve_control(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            line = await reader.readline()
            try:
                answer = {"ok": True, **self.handle(parse_request(line))}
            except NocError as err:
                answer = {"ok": False, "error": str(err)}
            writer.write(json.dumps(answer).encode() + b"\n")
            await writer.drain()
        except (ConnectionError, ValueError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()
