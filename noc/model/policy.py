"""SLA policies: the targets the city set for its services (defaults from DESIGN.md)."""

from __future__ import annotations

import re
from datetime import time, timedelta
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, model_validator

from noc.model.base import Duration, InventoryModel


class MaintenanceTreatment(StrEnum):
    """How planned maintenance counts in availability."""

    exclude = "exclude"  # leaves both numerator and denominator
    count_as_up = "count_as_up"
    count_as_down = "count_as_down"


class Weekday(StrEnum):
    mon = "mon"
    tue = "tue"
    wed = "wed"
    thu = "thu"
    fri = "fri"
    sat = "sat"
    sun = "sun"


def _clock(value: Any) -> Any:
    """Accept ``8:00`` as well as ``08:00``."""
    if isinstance(value, str) and re.fullmatch(r"\d:\d\d(:\d\d)?", value.strip()):
        return "0" + value.strip()
    return value


ClockTime = Annotated[time, BeforeValidator(_clock)]


class BusinessHours(InventoryModel):
    """When the service is expected to be used; times are in the site's time zone."""

    days: list[Weekday] = Field(
        default_factory=lambda: [Weekday.mon, Weekday.tue, Weekday.wed, Weekday.thu, Weekday.fri],
        min_length=1,
    )
    start: ClockTime = time(8, 0)
    end: ClockTime = time(16, 0)

    @model_validator(mode="after")
    def _order(self) -> BusinessHours:
        if self.end <= self.start:
            raise ValueError("business hours must end after they start")
        return self


class Policy(InventoryModel):
    """SLA targets of a class of services."""

    availability_target: float = Field(default=0.999, gt=0, le=1)
    annual_downtime_budget: Duration = timedelta(hours=22)
    response_time_target: Duration = timedelta(hours=1)
    capacity_limit: float = Field(default=0.70, gt=0, le=1)
    business_hours: BusinessHours | None = None
    maintenance: MaintenanceTreatment = MaintenanceTreatment.exclude


DEFAULT_POLICY = "default"
