"""One poll of one target with one profile: GETs, walks, decoding, rates and derived metrics.

Knows nothing of the inventory: the collector and `noc poll` both call :meth:`Poller.poll`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from collectors.snmp.catalog import Catalog, Choice, Resolved
from collectors.snmp.client import SnmpFailure, SnmpSession, Value
from collectors.snmp.decode import (
    Capacity,
    Reading,
    by_index,
    decode_metric,
    decode_table,
    lookup_value,
    table_columns,
    text,
)
from collectors.snmp.derive import derive_rows
from collectors.snmp.profile import NeighborTable, Table
from collectors.snmp.rates import RateTracker
from noc.model import Neighbor, NeighborProtocol, series_key

SYS_OBJECT_ID = "1.3.6.1.2.1.1.2.0"
SYS_UPTIME = "1.3.6.1.2.1.1.3.0"
GET_CHUNK = 20  # OIDs per GET request


@dataclass
class PollOutcome:
    choice: Choice | None = None
    sys_object_id: str | None = None
    readings: list[Reading] = field(default_factory=list)
    neighbors: list[Neighbor] = field(default_factory=list)
    error: SnmpFailure | None = None
    requests: int = 0
    varbinds: int = 0


class Poller:
    def __init__(self, catalog: Catalog, rates: RateTracker, fallback: str = "generic") -> None:
        self.catalog = catalog
        self.rates = rates
        self.fallback = fallback
        self._chosen: dict[tuple[str, str | None], Choice] = {}

    async def choose(
        self, session: SnmpSession, device: str, sys_oid: str | None, override: str | None
    ) -> Choice:
        if override and override != "auto":
            self.catalog.resolve(override)
            return Choice(override, "set by the device's profile setting")
        cached = self._chosen.get((device, sys_oid))
        if cached is not None:
            return cached
        choice = self.catalog.by_sysobjectid(sys_oid)
        if choice is None:
            for name, oid in self.catalog.probes():
                if await session.walk(oid, limit=1):
                    choice = Choice(name, f"no sysObjectID match; the device has {oid}")
                    break
            else:
                choice = Choice(self.fallback, f"no profile matches sysObjectID {sys_oid}")
        self._chosen[(device, sys_oid)] = choice
        return choice

    async def poll(
        self,
        session: SnmpSession,
        device: str,
        base: dict[str, str],
        ts: datetime,
        *,
        override: str | None = None,
        capacity: Capacity | None = None,
    ) -> PollOutcome:
        out = PollOutcome()
        start_requests = session.requests
        try:
            head = await session.get([SYS_OBJECT_ID, SYS_UPTIME])
            sys_oid = head.get(SYS_OBJECT_ID)
            out.sys_object_id = text(sys_oid) if sys_oid is not None else None
            uptime = head.get(SYS_UPTIME)
            up_s = float(uptime) / 100.0 if isinstance(uptime, int) else None
            self.rates.observe_uptime(device, up_s)
            if up_s is not None:
                out.readings.append(Reading("snmp_sys_uptime_seconds", dict(base), up_s, "seconds"))
            out.choice = await self.choose(session, device, out.sys_object_id, override)
            prof = self.catalog.resolve(out.choice.profile)
            await self._read(session, prof, base, out, ts)
        except SnmpFailure as err:
            out.error = err
        out.requests = session.requests - start_requests
        self._rates(device, out.readings, ts.timestamp())
        derive_rows(prof_tables(self.catalog, out.choice), out.readings, capacity)
        return out

    async def _read(
        self,
        session: SnmpSession,
        prof: Resolved,
        base: dict[str, str],
        out: PollOutcome,
        ts: datetime,
    ) -> None:
        wanted = [m.oid for m in prof.scalars]
        got: dict[str, Value] = {}
        for i in range(0, len(wanted), GET_CHUNK):
            got.update(await session.get(wanted[i : i + GET_CHUNK]))
        out.varbinds += len(got)
        for m in prof.scalars:
            if m.oid in got:
                r = decode_metric(m, got[m.oid], dict(base))
                if r is not None:
                    out.readings.append(r)
        walked: dict[str, dict[str, Value]] = {}
        for t in prof.tables:
            for col in table_columns(t):
                if col not in walked:
                    rows = await session.walk(col)
                    out.varbinds += len(rows)
                    walked[col] = by_index(col, rows)
            out.readings += decode_table(t, walked, base)
        for nt in prof.neighbors:
            await self._neighbors(session, nt, base, out, walked, ts)

    async def _neighbors(
        self,
        session: SnmpSession,
        nt: NeighborTable,
        base: dict[str, str],
        out: PollOutcome,
        walked: dict[str, dict[str, Value]],
        ts: datetime,
    ) -> None:
        cols = [
            nt.remote_system,
            *(lk.oid for lk in nt.local_interface),
            nt.remote_port,
            nt.remote_port_description,
            nt.remote_address,
        ]
        for col in cols:
            if col and col not in walked:
                rows = await session.walk(col)
                out.varbinds += len(rows)
                walked[col] = by_index(col, rows)
        for index, sysname in walked[nt.remote_system].items():
            remote = text(sysname)
            local = next(
                (v for lk in nt.local_interface if (v := lookup_value(lk, walked[lk.oid], index))),
                None,
            )
            if not remote or not local:
                continue

            def cell(oid: str | None, fmt: str = "text", index: str = index) -> str:
                return text(walked.get(oid, {}).get(index), fmt) if oid else ""

            addr = cell(nt.remote_address, "hex") or None
            out.neighbors.append(
                Neighbor(
                    local_device=base.get("device", "?"),
                    local_interface=local,
                    remote_system=remote,
                    remote_port=cell(nt.remote_port),
                    remote_port_description=cell(nt.remote_port_description),
                    remote_address=addr,
                    protocol=NeighborProtocol(nt.protocol),
                    ts=ts,
                )
            )

    def _rates(self, device: str, readings: list[Reading], now: float) -> None:
        keep: set[str] = set()
        extra: list[Reading] = []
        for r in readings:
            if r.kind != "counter" or r.raw is None:
                continue
            key = series_key(r.metric, r.labels)
            keep.add(key)
            rate = self.rates.rate(device, key, r.raw, now, bits=r.bits)
            if rate is not None and r.rate is not None:
                name, scale, unit = r.rate
                extra.append(Reading(name, dict(r.labels), rate * scale, unit, "rate", row=r.row))
        readings += extra
        self.rates.forget(device, keep)


def prof_tables(catalog: Catalog, choice: Choice | None) -> list[Table]:
    if choice is None:
        return []
    return list(catalog.resolve(choice.profile).tables)
