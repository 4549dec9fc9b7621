"""Power: utility sources and which device feeds which.

The chain the design asks for: utility (PLN) -> ATS -> UPS -> PDU -> devices, with a
genset on the ATS, and two feeds (A and B) to every critical device.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from noc.model.base import Identifier, InventoryModel


class PowerSource(InventoryModel):
    """A utility feed into a site (e.g. a PLN 20 kV connection)."""

    id: Identifier
    name: str = Field(min_length=1)
    site: str


class PowerFeed(InventoryModel):
    """``from`` (a power source, or an ats/ups/pdu/genset device) feeds ``to`` (a device)."""

    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from", min_length=1)
    to: str = Field(min_length=1)
    feed: Literal["A", "B"] | None = None


class Power(InventoryModel):
    sources: list[PowerSource] = Field(default_factory=list)
    feeds: list[PowerFeed] = Field(default_factory=list)

    def feeds_to(self, device: str) -> list[PowerFeed]:
        """The feeds that power ``device``."""
        return [f for f in self.feeds if f.to == device]

    def feeds_from(self, device: str) -> list[PowerFeed]:
        """The feeds that ``device`` (or source) powers."""
        return [f for f in self.feeds if f.from_ == device]
