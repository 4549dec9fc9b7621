"""Links: cables and circuits between two device interfaces."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import Field, field_validator, model_serializer, model_validator

from noc.model.base import Bandwidth, InventoryModel


class LinkKind(StrEnum):
    backbone = "backbone"
    distribution = "distribution"
    access = "access"
    wan = "wan"


class Media(StrEnum):
    single_mode_fiber = "single_mode_fiber"
    multi_mode_fiber = "multi_mode_fiber"
    copper = "copper"
    radio = "radio"
    leased = "leased"


FIBER = frozenset({Media.single_mode_fiber, Media.multi_mode_fiber})


class Endpoint(InventoryModel):
    """One end of a link, written ``device:interface`` (``core-1:TenGigabitEthernet1/1/1``)."""

    device: str = Field(min_length=1)
    interface: str = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _parse(cls, data: Any) -> Any:
        if isinstance(data, str):
            device, sep, interface = data.partition(":")
            if not sep or not device.strip() or not interface.strip():
                raise ValueError("a link end is written device:interface, like core-1:Te1/1/1")
            return {"device": device.strip(), "interface": interface.strip()}
        return data

    @model_serializer
    def _text(self) -> str:
        return str(self)

    def __str__(self) -> str:
        return f"{self.device}:{self.interface}"


class Link(InventoryModel):
    id: str = ""  # derived as "a--b" (both ends written device:interface) when absent
    a: Endpoint
    b: Endpoint
    kind: LinkKind
    capacity_bps: Bandwidth  # installed capacity; accepts 10G, 1G, 100M
    ring: str | None = None
    media: Media
    cores: int | None = Field(default=None, gt=0)  # fiber cores in the cable
    length_km: float | None = Field(default=None, gt=0)

    @model_validator(mode="before")
    @classmethod
    def _derive_id(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("id"):
            a, b = data.get("a"), data.get("b")
            if isinstance(a, str) and isinstance(b, str):
                return {**data, "id": f"{a.strip()}--{b.strip()}"}
        return data

    @field_validator("id")
    @classmethod
    def _id_text(cls, value: str) -> str:
        if any(c.isspace() for c in value):
            raise ValueError("a link id may not contain spaces")
        return value

    @property
    def devices(self) -> tuple[str, str]:
        return (self.a.device, self.b.device)

    def other_end(self, device: str) -> Endpoint | None:
        """The end that is not on ``device`` (None when the link does not touch it)."""
        if self.a.device == device:
            return self.b
        if self.b.device == device:
            return self.a
        return None
