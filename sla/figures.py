"""One object's availability figure over one period, with exact integer durations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

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

    @classmethod
    def trusted(cls, values: dict[str, Any]) -> Figure:
        """A figure from values the engine computed itself (every field given, the integers
        non-negative), without validating them again: what ``model_construct`` does, at a
        third of its cost, for the 10,000 figures of a large city. Equal to ``Figure(**values)``
        (``tests/sla/test_fast_paths.py``)."""
        fig = _new(cls)
        _set(fig, "__dict__", values)
        _set(fig, "__pydantic_fields_set__", set(_FIELDS))
        _set(fig, "__pydantic_extra__", None)
        _set(fig, "__pydantic_private__", None)
        return fig

    @classmethod
    def trusted_many(
        cls,
        refs: Sequence[str],
        names: Sequence[str],
        start: datetime,
        end: datetime,
        columns: Sequence[Sequence[int]],
        causes: Sequence[dict[str, int]],
    ) -> list[Figure]:
        """:meth:`trusted` for many objects over one period; ``columns`` are the downtime,
        counted, maintenance, no-data and outage lists. The figures share one set of field
        names (every field is set; a frozen model never adds to it, a copy copies it)."""
        out: list[Figure] = []
        append, new, set_, fields = out.append, _new, _set, set(_FIELDS)
        for ref, name, down, counted, maint, no_data, outages, why in zip(
            refs, names, *columns, causes, strict=True
        ):
            fig = new(cls)
            set_(
                fig,
                "__dict__",
                {
                    "ref": ref,
                    "name": name,
                    "start": start,
                    "end": end,
                    "downtime_us": down,
                    "counted_us": counted,
                    "maintenance_us": maint,
                    "no_data_us": no_data,
                    "outages": outages,
                    "causes": why,
                },
            )
            set_(fig, "__pydantic_fields_set__", fields)
            set_(fig, "__pydantic_extra__", None)
            set_(fig, "__pydantic_private__", None)
            append(fig)
        return out

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


_FIELDS = frozenset(Figure.model_fields)
_new = object.__new__
_set = object.__setattr__
