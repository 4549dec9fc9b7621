"""SNMPv2-MIB system group and SNMP-FRAMEWORK-MIB snmpEngine group."""

from __future__ import annotations

from noc.lab.mibs.context import Context, Table
from noc.lab.snmp import ber
from noc.lab.snmp.ber import parse_oid

SYSTEM = (1, 3, 6, 1, 2, 1, 1)
ENGINE = (1, 3, 6, 1, 6, 3, 10, 2, 1)


def render(ctx: Context, out: Table) -> None:
    node, model = ctx.node, ctx.node.model_data
    site = ctx.city.inventory.site(node.device.site)
    out[(*SYSTEM, 1, 0)] = ber.octets(ctx.text(model.sys_descr))
    out[(*SYSTEM, 2, 0)] = ber.oid_value(parse_oid(model.sys_object_id))
    out[(*SYSTEM, 3, 0)] = ber.timeticks(int(ctx.uptime * 100))
    out[(*SYSTEM, 4, 0)] = ber.octets("NOC Diskominfo Kota Sukamaju <noc@sukamaju.go.id>")
    out[(*SYSTEM, 5, 0)] = ber.octets(node.hostname)
    out[(*SYSTEM, 6, 0)] = ber.octets(f"{site.name}; {node.device.name}")
    out[(*SYSTEM, 7, 0)] = ber.integer(78 if ctx.has_ports_with_links else 72)
    out[(*ENGINE, 1, 0)] = ber.octets(ctx.engine_id)
    out[(*ENGINE, 2, 0)] = ber.integer(node.boots)
    out[(*ENGINE, 3, 0)] = ber.integer(int(ctx.uptime))
    out[(*ENGINE, 4, 0)] = ber.integer(65507)
