"""Which chart panels a device's series make: metric families with their unit and limits.

Metric names are the collector profiles' (collectors/snmp/profiles, DESIGN.md conventions).
A panel is drawn when the metric store holds any of its metrics for the device.
"""

from __future__ import annotations

from dataclasses import dataclass

from noc.model import LinkKind
from noc.web import chart_units as u


@dataclass(frozen=True)
class Panel:
    """A chart of one metric family; ``key`` names its title (``inventory.chart.<key>``)."""

    key: str
    unit: u.Unit
    metrics: tuple[str, ...]
    capacity_limit: bool = False  # draw the policy's capacity limit (a ratio)
    alarm: str | None = None  # a metric whose newest value is the alarm threshold


TRAFFIC = ("if_in_bits_per_second", "if_out_bits_per_second")
ERRORS = (
    "if_in_errors_per_second",
    "if_out_errors_per_second",
    "if_in_discards_per_second",
    "if_out_discards_per_second",
)
PANELS: tuple[Panel, ...] = (
    Panel("ups_charge", u.RATIO, ("ups_battery_charge_ratio",)),
    Panel("ups_runtime", u.SECONDS, ("ups_battery_runtime_seconds",)),
    Panel("ups_load", u.RATIO, ("ups_output_load_ratio",), capacity_limit=True),
    Panel(
        "temperature",
        u.CELSIUS,
        (
            "hvac_supply_air_celsius",
            "hvac_return_air_celsius",
            "hvac_rack_inlet_celsius",
            "hvac_unit_air_celsius",
            "hvac_outside_air_celsius",
            "hvac_temperature_celsius",
            "env_temperature_celsius",
            "sensor_celsius",
            "ups_battery_celsius",
            "genset_coolant_celsius",
            "optic_module_celsius",
        ),
        alarm="hvac_temperature_high_threshold_celsius",
    ),
    Panel(
        "humidity",
        u.RATIO,
        (
            "hvac_humidity_ratio",
            "hvac_return_air_humidity_ratio",
            "hvac_supply_air_humidity_ratio",
            "hvac_unit_humidity_ratio",
            "env_humidity_ratio",
        ),
    ),
    Panel(
        "power",
        u.WATTS,
        ("pdu_power_watts", "pdu_phase_watts", "ups_output_watts", "genset_power_watts"),
    ),
    Panel("current", u.AMPERES, ("pdu_phase_amperes", "ups_output_amperes", "genset_amperes")),
    Panel("fuel", u.RATIO, ("genset_fuel_level_ratio",)),
    Panel("optics", u.DBM, ("optic_rx_power_dbm", "optic_tx_power_dbm")),
    Panel("rtt", u.SECONDS, ("icmp_rtt_seconds",)),
    Panel("loss", u.RATIO, ("icmp_packet_loss_ratio",)),
)
KNOWN_METRICS: tuple[str, ...] = tuple(
    dict.fromkeys(
        [
            *TRAFFIC,
            *ERRORS,
            "if_oper_status",
            "if_speed_bits_per_second",
            "if_in_utilization_ratio",
            "if_out_utilization_ratio",
            *(m for p in PANELS for m in p.metrics),
            *(p.alarm for p in PANELS if p.alarm),
            "ups_output_source",
            "genset_running",
            "noc_collect_up",
            "snmp_poll_duration_seconds",
            "icmp_up",
        ]
    )
)
HIDDEN_LABELS = frozenset({"device", "if_index", "if_descr", "if_alias", "collector"})
# a device's ports in this order on its page: uplinks first
LINK_ORDER = {k: i for i, k in enumerate((LinkKind.backbone, LinkKind.distribution, LinkKind.wan))}
