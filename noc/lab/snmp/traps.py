"""The notifications a real device sends when the lab changes it.

Which traps a device sends follows from the MIB modules its model serves (models.yaml):
an IF-MIB device sends linkDown/linkUp, a UPS-MIB device upsTrapOnBattery, a PowerNet UPS
also APC's upsOnBattery, a CISCO-ENTITY-SENSOR-MIB device its threshold notification.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from noc.lab.snmp import ber
from noc.lab.snmp.ber import Oid, Value

SYS_UPTIME = (1, 3, 6, 1, 2, 1, 1, 3, 0)
SNMP_TRAP_OID = (1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0)
COLD_START = (1, 3, 6, 1, 6, 3, 1, 1, 5, 1)
LINK_DOWN = (1, 3, 6, 1, 6, 3, 1, 1, 5, 3)
LINK_UP = (1, 3, 6, 1, 6, 3, 1, 1, 5, 4)
UPS_TRAP_ON_BATTERY = (1, 3, 6, 1, 2, 1, 33, 2, 0, 1)
UPS_TRAP_ALARM_REMOVED = (1, 3, 6, 1, 2, 1, 33, 2, 0, 4)
UPS_ALARM_ON_BATTERY = (1, 3, 6, 1, 2, 1, 33, 1, 6, 3, 2)
APC_ON_BATTERY = (1, 3, 6, 1, 4, 1, 318, 0, 5)
APC_POWER_RESTORED = (1, 3, 6, 1, 4, 1, 318, 0, 9)
APC_TRAP_STRING = (1, 3, 6, 1, 4, 1, 318, 2, 3, 3, 0)
CISCO_SENSOR_THRESHOLD = (1, 3, 6, 1, 4, 1, 9, 9, 91, 2, 0, 1)
_IF = (1, 3, 6, 1, 2, 1, 2, 2, 1)
_UPS = (1, 3, 6, 1, 2, 1, 33, 1)
_CISCO_SENSOR = (1, 3, 6, 1, 4, 1, 9, 9, 91, 1)

Lookup = Callable[[Oid], Value]  # the device's current value of an OID


@dataclass(frozen=True)
class Notification:
    trap_oid: Oid
    varbinds: list[tuple[Oid, Value]]


def _if(trap: Oid) -> Callable[[dict[str, int], Lookup], Notification]:
    def build(detail: dict[str, int], get: Lookup) -> Notification:
        x = int(detail["ifindex"])
        cols = [(*_IF, c, x) for c in (1, 7, 8, 2)]  # ifIndex, admin, oper, ifDescr
        return Notification(trap, [(o, get(o)) for o in cols])

    return build


def _on_battery(detail: dict[str, int], get: Lookup) -> Notification:
    oids = [(*_UPS, 2, 3, 0), (*_UPS, 2, 2, 0), (*_UPS, 9, 7, 0)]
    return Notification(UPS_TRAP_ON_BATTERY, [(o, get(o)) for o in oids])


def _alarm_removed(detail: dict[str, int], get: Lookup) -> Notification:
    return Notification(
        UPS_TRAP_ALARM_REMOVED,
        [
            ((*_UPS, 6, 2, 1, 1, 1), ber.integer(1)),
            ((*_UPS, 6, 2, 1, 2, 1), ber.oid_value(UPS_ALARM_ON_BATTERY)),
        ],
    )


def _apc(trap: Oid, text: str) -> Callable[[dict[str, int], Lookup], Notification]:
    def build(detail: dict[str, int], get: Lookup) -> Notification:
        return Notification(trap, [(APC_TRAP_STRING, ber.octets(text))])

    return build


def _cold_start(detail: dict[str, int], get: Lookup) -> Notification:
    return Notification(COLD_START, [])


def _optic(detail: dict[str, int], get: Lookup) -> Notification:
    sensor = 1000 + 10 * int(detail["ifindex"]) + 1
    oids = [
        (*_CISCO_SENSOR, 2, 1, 1, 2, sensor, 3),  # entSensorThresholdSeverity (low warning)
        (*_CISCO_SENSOR, 2, 1, 1, 4, sensor, 3),  # entSensorThresholdValue
        (*_CISCO_SENSOR, 1, 1, 1, 4, sensor),  # entSensorValue
    ]
    return Notification(CISCO_SENSOR_THRESHOLD, [(o, get(o)) for o in oids])


# event kind -> [(MIB module the device must serve, notification builder)]
TRAPS: dict[str, list[tuple[str, Callable[[dict[str, int], Lookup], Notification]]]] = {
    "link_down": [("if_mib", _if(LINK_DOWN))],
    "link_up": [("if_mib", _if(LINK_UP))],
    "cold_start": [("system", _cold_start)],
    "ups_on_battery": [
        ("ups_mib", _on_battery),
        (
            "apc_ups",
            _apc(APC_ON_BATTERY, "UPS: On battery power in response to an input power problem."),
        ),
    ],
    "ups_on_utility": [
        ("ups_mib", _alarm_removed),
        ("apc_ups", _apc(APC_POWER_RESTORED, "UPS: No longer on battery power.")),
    ],
    "optic_low": [("cisco_entity_sensor", _optic)],
}


def notifications(
    kind: str, mibs: list[str], detail: dict[str, int], get: Lookup
) -> list[Notification]:
    return [build(detail, get) for mib, build in TRAPS.get(kind, []) if mib in mibs]


def trap_pdu(request_id: int, uptime_ticks: int, note: Notification) -> bytes:
    varbinds: list[tuple[Oid, Value]] = [
        (SYS_UPTIME, ber.timeticks(uptime_ticks)),
        (SNMP_TRAP_OID, ber.oid_value(note.trap_oid)),
        *note.varbinds,
    ]
    return ber.seq(
        ber.enc_int(request_id),
        ber.enc_int(0),
        ber.enc_int(0),
        ber.enc_varbinds(varbinds),
        tag=ber.TRAP_V2,
    )
