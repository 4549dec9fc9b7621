"""What a device says about its neighbors (LLDP or CDP): the cabling as seen from the wire."""

from __future__ import annotations

from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class NeighborProtocol(StrEnum):
    lldp = "lldp"
    cdp = "cdp"


class Neighbor(BaseModel):
    """One neighbor entry: ``local_device:local_interface`` faces ``remote_system:remote_port``.

    ``remote_system`` is what the neighbor calls itself (LLDP system name / CDP device id), not
    necessarily an inventory id; topology maps it to a device by name, address or id.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    local_device: str = Field(min_length=1)
    local_interface: str = Field(min_length=1)
    remote_system: str = Field(min_length=1)
    remote_port: str = ""
    remote_port_description: str = ""
    remote_address: str | None = None
    protocol: NeighborProtocol = NeighborProtocol.lldp
    ts: AwareDatetime
