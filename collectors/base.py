"""The Collector seam: every way of reading a device returns a CollectResult.

A collector never raises for a device fault (timeout, refusal, garbage, wrong password):
the result carries ``failed`` and the error, so one device's trouble never stops another's poll.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from noc.model import Sample

if TYPE_CHECKING:
    from noc.model import Device


class CollectResult(BaseModel):
    """What one poll of one device by one collector produced."""

    model_config = ConfigDict(extra="forbid")

    device: str
    collector: str
    started_at: datetime
    duration_seconds: float = Field(ge=0.0)
    failed: bool = False
    error: str | None = None
    error_kind: str | None = None  # timeout, refused, auth, protocol, config
    samples: list[Sample] = Field(default_factory=list)

    @property
    def answered(self) -> bool | None:
        """Whether the device answered at all; None when the poll could not tell.

        A protocol or authentication error still means the device answered; a configuration
        problem or a collector bug says nothing about the device.
        """
        if not self.failed:
            return True
        if self.error_kind in {"timeout", "unreachable", "refused"}:
            return False
        if self.error_kind in {"config", "internal"}:
            return None
        return True


@runtime_checkable
class Collector(Protocol):
    """Reads one device. ``name`` is what inventory poll intervals and metrics call it."""

    name: str

    async def collect(self, device: Device, profile: str | None) -> CollectResult: ...

    async def close(self) -> None: ...
