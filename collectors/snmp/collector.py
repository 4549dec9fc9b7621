"""The SNMP collector: reads inventory devices with their profile, one engine for all polls."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from collectors.base import CollectResult
from collectors.snmp.ats_source import with_ats_source
from collectors.snmp.catalog import Catalog
from collectors.snmp.client import SnmpEngine, SnmpFailure, SnmpSession, SnmpTarget
from collectors.snmp.credentials import auth_from
from collectors.snmp.engines import make_engine
from collectors.snmp.poller import Poller, PollOutcome
from collectors.snmp.rates import RateTracker
from noc.clock import Clock, SystemClock
from noc.errors import ConfigError
from noc.model import DeviceRole, Neighbor, Sample

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from collectors.snmp.decode import Capacity
    from noc.model import Device, Inventory


class SnmpConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    timeout_seconds: float = Field(2.0, gt=0.0, le=60.0)
    retries: int = Field(1, ge=0, le=10)
    max_repetitions: int = Field(25, ge=1, le=200)
    max_concurrent: int = Field(64, ge=1, le=10_000)
    poll_deadline_seconds: float = Field(50.0, gt=0.0)  # a whole poll of one device
    engine: Literal["gufo", "pysnmp"] = "gufo"
    fallback_profile: str = "generic"


class SnmpCollector:
    name = "snmp"

    def __init__(
        self,
        inventory: Inventory,
        config: SnmpConfig | None = None,
        clock: Clock | None = None,
        *,
        catalog: Catalog | None = None,
        engine: SnmpEngine | None = None,
        secrets_dir: Path | None = None,
    ) -> None:
        self.secrets_dir = secrets_dir  # where relative file: secret references live
        self.inventory = inventory
        self.config = config or SnmpConfig()
        self.clock = clock or SystemClock()
        self.catalog = catalog or Catalog.load()
        self.catalog.resolve(self.config.fallback_profile)
        self.engine = engine or make_engine(self.config.engine)
        self.poller = Poller(self.catalog, RateTracker(), self.config.fallback_profile)
        self.neighbors: dict[str, list[Neighbor]] = {}  # last LLDP/CDP table per device
        self._sessions: dict[str, tuple[tuple[object, ...], SnmpSession]] = {}
        self._limit = asyncio.Semaphore(self.config.max_concurrent)

    def _session(self, device: Device) -> SnmpSession:
        cred = self.inventory.snmp_credentials(device)
        if cred is None:
            raise ConfigError(f"device {device.id} has no SNMP credentials in the inventory")
        target = SnmpTarget(
            address=str(device.address),
            port=self.inventory.snmp_port(device),
            auth=auth_from(cred, self.secrets_dir),
            timeout=self.config.timeout_seconds,
            retries=self.config.retries,
            max_repetitions=self.config.max_repetitions,
        )
        cached = self._sessions.get(device.id)
        if cached is not None and cached[0] == target.key():
            return cached[1]
        session = self.engine.session(target)
        self._sessions[device.id] = (target.key(), session)
        return session

    def _capacity(self, device: Device) -> Capacity:
        caps: dict[str, float] = {}
        for link in self.inventory.links_of(device.id):
            for end in (link.a, link.b):
                if end.device == device.id:
                    caps[end.interface] = float(link.capacity_bps)

        def capacity(labels: dict[str, str]) -> float | None:
            for key in ("interface", "if_descr", "if_alias"):
                name = labels.get(key)
                if name is not None and name in caps:
                    return caps[name]
            return None

        return capacity

    async def collect(self, device: Device, profile: str | None = None) -> CollectResult:
        started = self.clock.now()
        t0 = time.monotonic()
        base = {"device": device.id, "site": device.site}
        out = PollOutcome()
        kind: str | None = None
        error: str | None = None
        async with self._limit:
            try:
                session = self._session(device)
                async with asyncio.timeout(self.config.poll_deadline_seconds):
                    out = await self.poller.poll(
                        session,
                        device.id,
                        base,
                        started,
                        override=profile or device.profile,
                        capacity=self._capacity(device),
                    )
                if out.error is not None:
                    kind, error = out.error.kind, str(out.error)
            except TimeoutError:
                kind = "timeout"
                error = (
                    f"SNMP poll of {device.id} took over {self.config.poll_deadline_seconds:g} s"
                )
            except ConfigError as err:
                kind, error = "config", str(err)
            except SnmpFailure as err:
                kind, error = err.kind, str(err)
            except Exception as err:  # a collector bug: never crash the scheduler
                log.exception("SNMP collector bug while polling %s", device.id)
                kind, error = "internal", f"SNMP collector error: {type(err).__name__}"
        if out.neighbors or out.choice is not None:
            self.neighbors[device.id] = out.neighbors
        duration = time.monotonic() - t0
        samples = [
            Sample(metric=r.metric, labels=r.labels, value=r.value, ts=started)
            for r in out.readings
        ]
        if device.role is DeviceRole.ats:
            samples = with_ats_source(self.inventory, device.id, samples)
        answered = kind not in ("timeout", "refused", "config", "internal")
        samples.append(Sample(metric="snmp_up", labels=base, value=float(answered), ts=started))
        samples.append(
            Sample(metric="snmp_poll_duration_seconds", labels=base, value=duration, ts=started)
        )
        return CollectResult(
            device=device.id,
            collector=self.name,
            started_at=started,
            duration_seconds=duration,
            failed=kind is not None,
            error=error,
            error_kind=kind,
            samples=samples,
        )

    async def close(self) -> None:
        for _, session in self._sessions.values():
            await session.close()
        self._sessions.clear()
        await self.engine.close()
