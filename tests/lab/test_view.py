"""LabCity is the LabView the simulators read: SNMP shows what the view shows."""

from __future__ import annotations

from noc.clock import ManualClock
from noc.lab.city import LabCity
from noc.lab.mibs.build import build_view
from noc.lab.view import LabView


def test_city_is_a_lab_view(city: LabCity) -> None:
    view: LabView = city  # checked by mypy: the Protocol is satisfied
    for device in view.devices():
        inv = city.inventory.device(device.id)
        ports = device.interfaces()
        assert [p.name for p in ports] == [i.name for i in inv.interfaces]
        assert [p.index for p in ports] == list(range(1, len(ports) + 1))
        assert device.serial and device.os_version and device.uptime_seconds() > 0
    assert view.device("core-1").platform == "cisco_ios"


def test_snmp_and_view_agree_under_faults(city: LabCity, lab_clock: ManualClock) -> None:
    city.inject("optic-degrade", ["r1-1"])
    city.inject("link-down", ["r1-6"])
    lab_clock.advance(42)
    ports = {p.index: p for p in city.device("core-1").interfaces()}
    mib = build_view(city, "core-1", b"engine")
    for index, port in ports.items():
        oper = mib.get((1, 3, 6, 1, 2, 1, 2, 2, 1, 8, index)).value
        hc_in = mib.get((1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 6, index)).value
        assert oper == (1 if port.oper_up else 2)
        assert hc_in == port.in_octets
        if port.rx_power_dbm is not None:
            rx = mib.get((1, 3, 6, 1, 4, 1, 9, 9, 91, 1, 1, 1, 1, 4, 1000 + 10 * index + 1))
            assert rx.value == round(port.rx_power_dbm * 10)
    assert not ports[3].oper_up  # TenGigabitEthernet1/0/3 is r1-6
    assert ports[1].rx_power_dbm is not None and ports[1].rx_power_dbm < -14.4
    lldp = mib.next((1, 0, 8802, 1, 1, 2, 1, 4, 1, 1, 9))  # lldpRemSysName
    names = []
    while lldp[0][:11] == (1, 0, 8802, 1, 1, 2, 1, 4, 1, 1, 9):
        names.append(lldp[1].value)
        lldp = mib.next(lldp[0])
    assert b"core-2" in names and len(names) == sum(1 for p in ports.values() if p.oper_up)
