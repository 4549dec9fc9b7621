"""Sites: the places where the city's equipment stands."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from noc.model.base import Identifier, InventoryModel
from noc.model.timezone import TimeZoneName


class SiteKind(StrEnum):
    data_center = "data_center"
    drc = "drc"  # disaster recovery center
    agency = "agency"
    district = "district"
    clinic = "clinic"
    hospital = "hospital"
    public = "public"


class Location(InventoryModel):
    address: str = ""
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)


class Site(InventoryModel):
    id: Identifier
    name: str = Field(min_length=1)
    kind: SiteKind
    location: Location = Field(default_factory=Location)
    timezone: TimeZoneName | None = None  # overrides settings.timezone
