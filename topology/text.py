"""Plain-text renderings of the reports, for the terminal (``noc topology ... --format text``)."""

from __future__ import annotations

from topology.models import Impact, RingState, SpofReport


def spof_text(report: SpofReport) -> str:
    lines = [f"Single points of failure ({report.elements_checked} elements checked)"]
    if not report.single_points:
        lines.append("  none: every site and service survives any one failure")
    for p in report.single_points:
        what = []
        if p.sites_cut_off:
            what.append(f"cuts off {', '.join(p.sites_cut_off)}")
        if p.services_down:
            what.append(f"takes down {', '.join(p.services_down)}")
        lines.append(f"  {p.element}: {'; '.join(what)}")
    lines.append("")
    lines.append("Power single points")
    if not report.power_single_points:
        lines.append("  none: every device has two feeds from two UPSs")
    lines += [f"  {p.message}" for p in report.power_single_points]
    lines.append("")
    lines.append(f"({report.note})")
    return "\n".join(lines)


def rings_text(rings: list[RingState]) -> str:
    if not rings:
        return "no rings in the inventory"
    return "\n".join(f"{r.ring:<8} {r.status.value:<9} {r.message}" for r in rings)


def impact_text(im: Impact, *, heading: str = "") -> str:
    verb = "fails" if len(im.failed) == 1 else "fail"
    lines = [heading or f"If {', '.join(im.failed) or 'nothing'} {verb}:"]

    def block(title: str, items: list[str]) -> None:
        if items:
            lines.append(f"  {title}:")
            lines.extend(f"    {i}" for i in items)

    block("sites cut off", [f"{s.site} ({s.name})" for s in im.sites_cut_off])
    block(
        "sites degraded",
        [f"{s.site}: {', '.join(s.devices_unreachable)} unreachable" for s in im.sites_degraded],
    )
    block("services down", [f"{s.service} ({s.name})" for s in im.services_down])
    block(
        "services degraded",
        [f"{s.service}: {', '.join(s.components_down)} down" for s in im.services_degraded],
    )
    block("agencies affected", im.agencies)
    block("without power", im.devices_unpowered)
    block("UPS on battery", im.ups_on_battery)
    block("rings", [r.message for r in im.rings if r.status.value != "intact"])
    if len(lines) == 1:
        lines.append("  nothing is cut off or degraded")
    if im.after_battery is not None:
        later = im.after_battery
        lines.append("  once the batteries are empty:")
        lines.append(f"    sites cut off: {', '.join(s.site for s in later.sites_cut_off) or '-'}")
        lines.append(
            f"    services down: {', '.join(s.service for s in later.services_down) or '-'}"
        )
    return "\n".join(lines)
