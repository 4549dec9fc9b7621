"""The ICMP collector: reachability, round-trip time and loss for one device."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from collectors.base import CollectResult
from collectors.icmp.pinger import Pinger
from noc.clock import Clock, SystemClock
from noc.model import Sample

if TYPE_CHECKING:
    from noc.model import Device


class IcmpConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    count: int = Field(3, ge=1, le=20)
    timeout_seconds: float = Field(1.0, gt=0.0, le=30.0)
    interval_seconds: float = Field(0.2, ge=0.0, le=5.0)


class IcmpCollector:
    name = "icmp"

    def __init__(self, config: IcmpConfig | None = None, clock: Clock | None = None) -> None:
        self.config = config or IcmpConfig()
        self.clock = clock or SystemClock()
        self._pinger = Pinger()

    async def collect(self, device: Device, profile: str | None = None) -> CollectResult:
        started = self.clock.now()
        t0 = time.monotonic()
        address = str(device.address)
        res = await self._pinger.ping(
            address,
            count=self.config.count,
            reply_timeout=self.config.timeout_seconds,
            interval=self.config.interval_seconds,
        )
        labels = {"device": device.id, "site": device.site}
        up = 1.0 if res.received else 0.0
        samples = [
            Sample(metric="icmp_up", labels=labels, value=up, ts=started),
            Sample(
                metric="icmp_packet_loss_ratio", labels=labels, value=res.loss_ratio, ts=started
            ),
        ]
        if res.rtts:
            avg = sum(res.rtts) / len(res.rtts)
            samples.append(Sample(metric="icmp_rtt_seconds", labels=labels, value=avg, ts=started))
        failed = res.received == 0
        if failed:
            error = res.error or f"no echo reply from {address} ({res.sent} sent)"
            kind = "config" if res.sent == 0 else "timeout"
        else:
            error, kind = None, None
        return CollectResult(
            device=device.id,
            collector=self.name,
            started_at=started,
            duration_seconds=time.monotonic() - t0,
            failed=failed,
            error=error,
            error_kind=kind,
            samples=samples,
        )

    async def close(self) -> None:
        self._pinger.close()
