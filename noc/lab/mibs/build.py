"""One device's whole MIB at one moment, from the modules its model lists."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from noc.lab.catalog import Scalar, load_catalog
from noc.lab.facility import readings
from noc.lab.mibs import interfaces, sensors, system
from noc.lab.mibs.context import Context, Table
from noc.lab.snmp import ber
from noc.lab.snmp.ber import parse_oid
from noc.lab.snmp.mibview import MibView

if TYPE_CHECKING:
    from noc.lab.city import LabCity

Renderer = Callable[[Context, Table], None]
RENDERERS: dict[str, Renderer] = {
    "system": system.render,
    "if_mib": interfaces.render_if_mib,
    "lldp": interfaces.render_lldp,
    "entity": sensors.render_entity,
    "cisco_entity_sensor": sensors.render_cisco,
    "entity_sensor": sensors.render_entity_sensor,
    "jnx_dom": sensors.render_jnx_dom,
    "huawei_optics": sensors.render_huawei,
}


def _scalar(ctx: Context, row: Scalar, values: dict[str, int | str]) -> ber.Value:
    name = row.reading
    raw: int | str = values.get(name, 0) if name is not None else row.value
    if isinstance(raw, str) and name is None:
        raw = ctx.text(raw)
    if row.type == "str":
        return ber.octets(str(raw))
    if row.type == "oid":
        return ber.oid_value(parse_oid(str(raw)))
    number = int(raw)
    return {
        "int": ber.integer,
        "gauge": ber.gauge32,
        "counter": ber.counter32,
        "ticks": ber.timeticks,
    }[row.type](number)


def build_view(city: LabCity, device_id: str, engine_id: bytes) -> MibView:
    with city.lock:
        node = city.nodes[device_id]
        ctx = Context(city, node, city.now(), engine_id)
        out: Table = {}
        catalog = load_catalog()
        values: dict[str, int | str] | None = None
        for mib in node.model_data.mibs:
            renderer = RENDERERS.get(mib)
            if renderer is not None:
                renderer(ctx, out)
                continue
            if values is None:
                values = readings(city, node.device, ctx.t)
            for row in catalog.tables[mib]:
                out[row.oid] = _scalar(ctx, row, values)
        return MibView(out)
