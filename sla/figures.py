"""One object's availability figure over one period, with exact integer durations."""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field

from noc.model.policy import MaintenanceTreatment
from sla.intervals import IntervalSet, us_delta


class Figure(BaseModel):
    """Availability = 1 - ``downtime_us`` / ``counted_us`` (1 when nothing was counted).

    Durations are microseconds (exact). ``end`` is the end of the period or now, whichever is
    first. ``causes`` attributes downtime to root causes (an object's own failure, or the
    upstream device an unreachable one waited on); overlapping causes each get the overlap.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    ref: str
    name: str
    start: datetime
    end: datetime
    downtime_us: int = Field(ge=0)
    counted_us: int = Field(ge=0)
    maintenance_us: int = Field(ge=0)
    no_data_us: int = Field(default=0, ge=0)
    outages: int = Field(default=0, ge=0)
    causes: dict[str, int] = Field(default_factory=dict)

    @property
    def availability(self) -> float:
        if self.counted_us == 0:
            return 1.0
        return 1.0 - self.downtime_us / self.counted_us

    @property
    def downtime(self) -> timedelta:
        return us_delta(self.downtime_us)

    @property
    def counted(self) -> timedelta:
        return us_delta(self.counted_us)

    @property
    def mttr(self) -> timedelta | None:
        """Mean time to repair: downtime per outage."""
        return None if self.outages == 0 else us_delta(self.downtime_us // self.outages)

    @property
    def mtbf(self) -> timedelta | None:
        """Mean time between failures: available time per outage."""
        if self.outages == 0:
            return None
        return us_delta((self.counted_us - self.downtime_us) // self.outages)


def measure(
    down: IntervalSet,
    planned: IntervalSet,
    cal: IntervalSet,
    treatment: MaintenanceTreatment,
) -> tuple[int, int, int, int]:
    """``(downtime, counted, maintenance, outages)`` from the three sets (see sla.batch)."""
    unplanned = down.intersection(cal).difference(planned)
    x = unplanned.total()
    m = planned.intersection(cal).total()
    c = cal.total()
    if treatment is MaintenanceTreatment.count_as_down:
        return x + m, c, m, len(unplanned.union(planned.intersection(cal)))
    if treatment is MaintenanceTreatment.count_as_up:
        return x, c, m, len(unplanned)
    return x, c - m, m, len(unplanned)
