"""Optical transceiver levels: ENTITY-MIB, CISCO-ENTITY-SENSOR-MIB, ENTITY-SENSOR-MIB (with
ARISTA-ENTITY-SENSOR-MIB thresholds), JNX-DOM-MIB and HUAWEI-ENTITY-EXTENT-MIB.

Entity indexes: 1 is the chassis; a port with ifIndex i is 1000 + 10*i, and its sensors are
that plus 1 (rx power), 2 (tx power), 3 (temperature), 4 (bias current).
"""

from __future__ import annotations

from noc.lab.mibs.context import Context, Table
from noc.lab.snmp import ber
from noc.lab.view import LabInterface

ENT_PHYSICAL = (1, 3, 6, 1, 2, 1, 47, 1, 1, 1, 1)
CISCO_SENSOR = (1, 3, 6, 1, 4, 1, 9, 9, 91, 1, 1, 1, 1)
CISCO_THRESHOLD = (1, 3, 6, 1, 4, 1, 9, 9, 91, 1, 2, 1, 1)
ENT_PHY_SENSOR = (1, 3, 6, 1, 2, 1, 99, 1, 1, 1)
ARISTA_THRESHOLD = (1, 3, 6, 1, 4, 1, 30065, 3, 12, 1, 1, 1)
JNX_DOM = (1, 3, 6, 1, 4, 1, 2636, 3, 60, 1, 1, 1, 1)
HUAWEI_OPTICAL = (1, 3, 6, 1, 4, 1, 2011, 5, 25, 31, 1, 1, 3, 1)

DBM, CELSIUS, AMPERES = 14, 8, 5
UNITS, MILLI = 9, 8


def _optics(ctx: Context) -> list[LabInterface]:
    return [i for i in ctx.interfaces if i.tx_power_dbm is not None]


def _sensors(i: LabInterface) -> list[tuple[int, str, int, int, int, float]]:
    """(entity index, name, type, scale, precision, value) of a port's optic sensors."""
    base = 1000 + 10 * i.index
    return [
        (base + 1, f"{i.name} Receive Power Sensor", DBM, UNITS, 1, i.rx_power_dbm or 0.0),
        (base + 2, f"{i.name} Transmit Power Sensor", DBM, UNITS, 1, i.tx_power_dbm or 0.0),
        (
            base + 3,
            f"{i.name} Module Temperature Sensor",
            CELSIUS,
            UNITS,
            1,
            i.optic_temperature_c or 0.0,
        ),
        (base + 4, f"{i.name} Bias Current Sensor", AMPERES, MILLI, 1, i.bias_ma or 0.0),
    ]


def _high_alarm(i: LabInterface) -> float:
    return 2.5 if (i.rx_low_warning_dbm or 0) < -12 else 2.0


def _high_warning(i: LabInterface) -> float:
    return 0.5 if (i.rx_low_warning_dbm or 0) < -12 else -1.0


def render_entity(ctx: Context, out: Table) -> None:
    node = ctx.node
    rows: list[tuple[int, str, int, int, str]] = [(1, node.model, 3, 0, node.model)]
    for i in _optics(ctx):
        port = 1000 + 10 * i.index
        rows.append((port, i.name, 10, 1, i.name))
        rows.extend((idx, name, 8, port, name) for idx, name, *_ in _sensors(i))
    for idx, descr, klass, parent, name in rows:
        e = ENT_PHYSICAL
        out[(*e, 2, idx)] = ber.octets(descr)
        out[(*e, 3, idx)] = ber.oid_value((0, 0))
        out[(*e, 4, idx)] = ber.integer(parent)
        out[(*e, 5, idx)] = ber.integer(klass)
        out[(*e, 6, idx)] = ber.integer(-1 if klass == 3 else 0)
        out[(*e, 7, idx)] = ber.octets(name)
        out[(*e, 10, idx)] = ber.octets(node.os_version if klass == 3 else "")
        out[(*e, 11, idx)] = ber.octets(node.serial if klass == 3 else "")
        out[(*e, 12, idx)] = ber.octets(node.vendor)
        out[(*e, 13, idx)] = ber.octets(node.model if klass == 3 else "")
        out[(*e, 16, idx)] = ber.integer(1 if klass in (3, 10) else 2)


def render_cisco(ctx: Context, out: Table) -> None:
    for i in _optics(ctx):
        for idx, _name, kind, scale, prec, value in _sensors(i):
            out[(*CISCO_SENSOR, 1, idx)] = ber.integer(kind)
            out[(*CISCO_SENSOR, 2, idx)] = ber.integer(scale)
            out[(*CISCO_SENSOR, 3, idx)] = ber.integer(prec)
            out[(*CISCO_SENSOR, 4, idx)] = ber.integer(round(value * 10**prec))
            out[(*CISCO_SENSOR, 5, idx)] = ber.integer(1)  # ok
            out[(*CISCO_SENSOR, 6, idx)] = ber.timeticks(int(ctx.uptime * 100))
            out[(*CISCO_SENSOR, 7, idx)] = ber.integer(30)
        rx_idx = 1000 + 10 * i.index + 1
        rx = i.rx_power_dbm or 0.0
        limits = [  # (threshold index, severity, relation, value)
            (1, 20, 4, _high_alarm(i)),  # major, greaterOrEqual
            (2, 10, 4, _high_warning(i)),  # minor
            (3, 10, 2, i.rx_low_warning_dbm or 0.0),  # minor, lessOrEqual
            (4, 20, 2, i.rx_low_alarm_dbm or 0.0),  # major
        ]
        for thr, severity, relation, limit in limits:
            crossed = rx >= limit if relation == 4 else rx <= limit
            key = (rx_idx, thr)
            out[(*CISCO_THRESHOLD, 2, *key)] = ber.integer(severity)
            out[(*CISCO_THRESHOLD, 3, *key)] = ber.integer(relation)
            out[(*CISCO_THRESHOLD, 4, *key)] = ber.integer(round(limit * 10))
            out[(*CISCO_THRESHOLD, 5, *key)] = ber.integer(1 if crossed else 2)
            out[(*CISCO_THRESHOLD, 6, *key)] = ber.integer(1)


def render_entity_sensor(ctx: Context, out: Table) -> None:
    for i in _optics(ctx):
        for idx, _name, kind, scale, prec, value in _sensors(i):
            out[(*ENT_PHY_SENSOR, 1, idx)] = ber.integer(kind)
            out[(*ENT_PHY_SENSOR, 2, idx)] = ber.integer(scale)
            out[(*ENT_PHY_SENSOR, 3, idx)] = ber.integer(prec)
            out[(*ENT_PHY_SENSOR, 4, idx)] = ber.integer(round(value * 10**prec))
            out[(*ENT_PHY_SENSOR, 5, idx)] = ber.integer(1)  # ok
            out[(*ENT_PHY_SENSOR, 6, idx)] = ber.octets(
                {DBM: "dBm", CELSIUS: "C", AMPERES: "mA"}[kind]
            )
        rx_idx = 1000 + 10 * i.index + 1
        for col, limit in (
            (1, i.rx_low_alarm_dbm or 0.0),
            (2, i.rx_low_warning_dbm or 0.0),
            (3, _high_warning(i)),
            (4, _high_alarm(i)),
        ):
            out[(*ARISTA_THRESHOLD, col, rx_idx)] = ber.integer(round(limit * 10))


def render_jnx_dom(ctx: Context, out: Table) -> None:
    for i in _optics(ctx):
        x = i.index
        cols = {
            5: (i.rx_power_dbm or 0.0) * 100,
            6: (i.bias_ma or 0.0) * 1000,
            7: (i.tx_power_dbm or 0.0) * 100,
            8: i.optic_temperature_c or 0.0,
            9: _high_alarm(i) * 100,
            10: (i.rx_low_alarm_dbm or 0.0) * 100,
            11: _high_warning(i) * 100,
            12: (i.rx_low_warning_dbm or 0.0) * 100,
        }
        for col, value in cols.items():
            out[(*JNX_DOM, col, x)] = ber.integer(round(value))


def render_huawei(ctx: Context, out: Table) -> None:
    for i in _optics(ctx):
        port = 1000 + 10 * i.index
        out[(*HUAWEI_OPTICAL, 7, port)] = ber.integer(round((i.bias_ma or 0.0) * 1000))
        out[(*HUAWEI_OPTICAL, 8, port)] = ber.integer(round((i.rx_power_dbm or 0.0) * 100))
        out[(*HUAWEI_OPTICAL, 9, port)] = ber.integer(round((i.tx_power_dbm or 0.0) * 100))
