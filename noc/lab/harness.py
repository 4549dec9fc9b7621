"""Run the lab inside a test (or any program) on a background thread.

    with RunningLab(inventory, snmp_port=free_udp_port()) as lab:
        lab.fault("link-down", "r1-2")
        ...  # poll 127.10.x.y:port with any SNMP client
        lab.clear("link-down:r1-2")

The lab's own asyncio loop runs on the thread; faults and clears go through the same
handler as the control socket, on that loop.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from types import TracebackType
from typing import Any

from noc.clock import Clock, SystemClock
from noc.lab.city import DEFAULT_GENSET_DELAY_S, DEFAULT_TRANSFER_DELAY_S
from noc.lab.control import Request
from noc.lab.server import DEFAULT_TRAP_TARGET, LabServer
from noc.model import Inventory


def with_snmp_port(inventory: Inventory, port: int) -> Inventory:
    """The same inventory with every SNMP agent on ``port`` (tests avoid a running lab)."""
    settings = inventory.settings.model_copy(update={"snmp_port": port})
    devices = [
        d.model_copy(update={"snmp": d.snmp.model_copy(update={"port": None})})
        if d.snmp is not None
        else d
        for d in inventory.devices
    ]
    return inventory.model_copy(update={"settings": settings, "devices": devices})


class RunningLab:
    def __init__(
        self,
        inventory: Inventory,
        *,
        clock: Clock | None = None,
        snmp_port: int | None = None,
        trap_target: tuple[str, int] | None = DEFAULT_TRAP_TARGET,
        control_path: Path | None = None,
        base_dir: Path | None = None,
        ssh: bool = False,
        ssh_port: int | None = None,
        genset_delay_s: float = DEFAULT_GENSET_DELAY_S,
        transfer_delay_s: float = DEFAULT_TRANSFER_DELAY_S,
    ) -> None:
        if snmp_port is not None:
            inventory = with_snmp_port(inventory, snmp_port)
        self.server = LabServer(
            inventory,
            clock or SystemClock(),
            trap_target=trap_target,
            control_path=control_path,
            base_dir=base_dir,
            ssh=ssh,
            ssh_port=ssh_port,
            genset_delay_s=genset_delay_s,
            transfer_delay_s=transfer_delay_s,
        )
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def __enter__(self) -> RunningLab:
        self._thread.start()
        try:
            asyncio.run_coroutine_threadsafe(self.server.start(), self._loop).result(30)
        except BaseException:
            self._halt()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        err: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            asyncio.run_coroutine_threadsafe(self.server.stop(), self._loop).result(30)
        finally:
            self._halt()

    def _halt(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    def request(self, **fields: Any) -> dict[str, Any]:
        """One control request, run on the lab's loop (as the control socket would)."""

        async def run() -> dict[str, Any]:
            return self.server.handle(Request(**fields))

        return asyncio.run_coroutine_threadsafe(run(), self._loop).result(30)

    def fault(self, kind: str, *args: str) -> dict[str, Any]:
        return self.request(op="fault", kind=kind, args=list(args))

    def clear(self, fault: str | None = None) -> dict[str, Any]:
        return self.request(op="clear", fault=fault)

    def tick(self) -> dict[str, Any]:
        """Move scheduled changes on now (a ManualClock moved) and send their traps."""

        async def run() -> dict[str, Any]:
            self.server.city.tick()
            return {"traps": self.server.flush()}

        return asyncio.run_coroutine_threadsafe(run(), self._loop).result(30)

    def status(self) -> dict[str, Any]:
        return self.request(op="status")["status"]  # type: ignore[no-any-return]
