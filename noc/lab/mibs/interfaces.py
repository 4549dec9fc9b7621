"""IF-MIB (ifTable, ifXTable) and LLDP-MIB (local ports, remote table)."""

from __future__ import annotations

import hashlib

from noc.lab.mibs.context import Context, Table
from noc.lab.snmp import ber

IF_NUMBER = (1, 3, 6, 1, 2, 1, 2, 1, 0)
IF_ENTRY = (1, 3, 6, 1, 2, 1, 2, 2, 1)
IFX_ENTRY = (1, 3, 6, 1, 2, 1, 31, 1, 1, 1)
LLDP = (1, 0, 8802, 1, 1, 2, 1)
PACKET_BYTES = 760


def mac(device: str, index: int) -> bytes:
    return bytes([0x00, 0x1E]) + hashlib.sha256(f"{device}|{index}".encode()).digest()[:4]


def render_if_mib(ctx: Context, out: Table) -> None:
    out[IF_NUMBER] = ber.integer(len(ctx.interfaces))
    for i in ctx.interfaces:
        x = i.index
        up = 1 if i.oper_up else 2
        in_pk, out_pk = i.in_octets // PACKET_BYTES, i.out_octets // PACKET_BYTES
        cols: dict[int, ber.Value] = {
            1: ber.integer(x),
            2: ber.octets(i.name),
            3: ber.integer(6),  # ethernetCsmacd
            4: ber.integer(9216 if i.speed_bps >= 10**10 else 1500),
            5: ber.gauge32(min(i.speed_bps, 2**32 - 1)),
            6: ber.octets(mac(ctx.node.id, x)),
            7: ber.integer(1 if i.admin_up else 2),
            8: ber.integer(up),
            9: ber.timeticks(ctx.last_change(x)),
            10: ber.counter32(i.in_octets),
            11: ber.counter32(in_pk),
            13: ber.counter32(i.in_discards),
            14: ber.counter32(i.in_errors),
            15: ber.counter32(0),
            16: ber.counter32(i.out_octets),
            17: ber.counter32(out_pk),
            19: ber.counter32(i.out_discards),
            20: ber.counter32(i.out_errors),
        }
        for col, value in cols.items():
            out[(*IF_ENTRY, col, x)] = value
        xcols: dict[int, ber.Value] = {
            1: ber.octets(i.name),
            2: ber.counter32(in_pk // 200),
            3: ber.counter32(in_pk // 500),
            4: ber.counter32(out_pk // 200),
            5: ber.counter32(out_pk // 500),
            6: ber.counter64(i.in_octets),
            7: ber.counter64(in_pk),
            8: ber.counter64(in_pk // 200),
            9: ber.counter64(in_pk // 500),
            10: ber.counter64(i.out_octets),
            11: ber.counter64(out_pk),
            12: ber.counter64(out_pk // 200),
            13: ber.counter64(out_pk // 500),
            14: ber.integer(1),  # linkUpDownTrapEnable: enabled
            15: ber.gauge32(i.speed_bps // 1_000_000),
            16: ber.integer(2),  # promiscuous: false
            17: ber.integer(1),  # connector present: true
            18: ber.octets(i.description),
            19: ber.timeticks(0),
        }
        for col, value in xcols.items():
            out[(*IFX_ENTRY, col, x)] = value


def render_lldp(ctx: Context, out: Table) -> None:
    node = ctx.node
    out[(*LLDP, 3, 1, 0)] = ber.integer(4)  # lldpLocChassisIdSubtype: macAddress
    out[(*LLDP, 3, 2, 0)] = ber.octets(mac(node.id, 0))
    out[(*LLDP, 3, 3, 0)] = ber.octets(node.hostname)
    out[(*LLDP, 3, 4, 0)] = ber.octets(ctx.text(node.model_data.sys_descr))
    for i in ctx.interfaces:
        loc = (*LLDP, 3, 7, 1)
        out[(*loc, 2, i.index)] = ber.integer(5)  # interfaceName
        out[(*loc, 3, i.index)] = ber.octets(i.name)
        out[(*loc, 4, i.index)] = ber.octets(i.description)
        if not i.neighbor_system or not i.neighbor_port:
            continue
        far = ctx.city.nodes.get(i.neighbor_system)
        if far is None:
            continue
        far_index = next((p.index for p in ctx.city.ports[far.id] if p.name == i.neighbor_port), 0)
        rem = (*LLDP, 4, 1, 1)
        key = (0, i.index, 1)  # timeMark, local port, remote index
        out[(*rem, 4, *key)] = ber.integer(4)  # chassis id subtype: macAddress
        out[(*rem, 5, *key)] = ber.octets(mac(far.id, 0))
        out[(*rem, 6, *key)] = ber.integer(5)  # port id subtype: interfaceName
        out[(*rem, 7, *key)] = ber.octets(i.neighbor_port)
        out[(*rem, 8, *key)] = ber.octets(f"ifIndex {far_index}")
        out[(*rem, 9, *key)] = ber.octets(far.hostname)
        out[(*rem, 10, *key)] = ber.octets(ctx.text(far.model_data.sys_descr)[:255])
        out[(*rem, 11, *key)] = ber.octets(b"\x28\x00")  # capabilities: bridge, router
        out[(*rem, 12, *key)] = ber.octets(b"\x28\x00")
