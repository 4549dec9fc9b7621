"""The lab's agents answer real net-snmp tools (v2c and v3 authPriv) and show faults."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from noc.lab.harness import RunningLab
from noc.model import Inventory
from tests.lab.labfixtures import run, running_lab, v2c_args, v3_args
from tests.peers import require_binary

pytestmark = pytest.mark.integration

CORE1, DIST11, UPSA = "127.10.0.1", "127.10.1.1", "127.10.4.3"
IF_OPER = "1.3.6.1.2.1.2.2.1.8"


@pytest.fixture(scope="module")
def lab(demo_inventory: Inventory) -> Iterator[tuple[RunningLab, int]]:
    with running_lab(demo_inventory) as running:
        yield running


@pytest.fixture(scope="module")
def tools() -> dict[str, str]:
    return {t: require_binary(t) for t in ("snmpget", "snmpgetnext", "snmpwalk", "snmpbulkwalk")}


def _lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.strip()]


def test_v3_walk_of_a_core_switch_if_table(
    lab: tuple[RunningLab, int], tools: dict[str, str]
) -> None:
    _, port = lab
    names = run(tools["snmpbulkwalk"], *v3_args(CORE1, port), "-Cr25", "1.3.6.1.2.1.2.2.1.2")
    assert names.returncode == 0, names.stderr
    lines = _lines(names.stdout)
    assert len(lines) == 14
    assert lines[0] == '.1.3.6.1.2.1.2.2.1.2.1 = STRING: "TenGigabitEthernet1/0/1"'
    hc = run(
        tools["snmpget"],
        *v3_args(CORE1, port),
        "1.3.6.1.2.1.31.1.1.1.6.1",
        "1.3.6.1.2.1.31.1.1.1.15.1",
        "1.3.6.1.2.1.1.2.0",
    )
    assert "Counter64" in hc.stdout and "Gauge32: 10000" in hc.stdout
    assert "OID: .1.3.6.1.4.1.9.1.2494" in hc.stdout


def test_getnext_walk_equals_getbulk_walk(
    lab: tuple[RunningLab, int], tools: dict[str, str]
) -> None:
    _, port = lab
    # one device, whole tree: order and endOfMibView must agree between the two walks
    slow = run(tools["snmpwalk"], *v2c_args(UPSA, port), "-Cc", "1.3")
    fast = run(tools["snmpbulkwalk"], *v2c_args(UPSA, port), "-Cr50", "1.3")
    assert slow.returncode == 0 and fast.returncode == 0, slow.stderr + fast.stderr
    assert "not increasing" not in slow.stderr + fast.stderr
    strip = [x.split(" = ")[0] for x in _lines(slow.stdout)]
    assert strip == [x.split(" = ")[0] for x in _lines(fast.stdout)] and len(strip) > 80
    last = strip[-1]
    end = run(tools["snmpgetnext"], *v2c_args(UPSA, port), last)
    assert "No more variables left in this MIB View" in end.stdout


def test_get_says_no_such_object_and_instance(
    lab: tuple[RunningLab, int], tools: dict[str, str]
) -> None:
    _, port = lab
    out = run(
        tools["snmpget"], *v2c_args(UPSA, port), "1.3.6.1.2.1.33.1.4.1.7", "1.3.6.1.2.1.1.9.0"
    )
    assert "No Such Instance" in out.stdout and "No Such Object" in out.stdout


def test_wrong_community_and_wrong_key_get_nothing(
    lab: tuple[RunningLab, int], tools: dict[str, str]
) -> None:
    _, port = lab
    bad = run(
        tools["snmpget"],
        "-v2c",
        "-c",
        "nope",
        "-t",
        "0.5",
        "-r",
        "0",
        f"{UPSA}:{port}",
        "1.3.6.1.2.1.1.1.0",
    )
    assert bad.returncode != 0 and "Timeout" in bad.stderr
    wrong = run(tools["snmpget"], *v3_args(CORE1, port, key="not-the-key"), "1.3.6.1.2.1.1.1.0")
    assert wrong.returncode != 0 and "Authentication failure" in wrong.stderr


def test_faults_show_over_snmp(lab: tuple[RunningLab, int], tools: dict[str, str]) -> None:
    running, port = lab
    oper = f"{IF_OPER}.2"  # dist-r1-1 XGigabitEthernet0/0/2 (link r1-2)
    assert "INTEGER: 1" in run(tools["snmpget"], *v3_args(DIST11, port), oper).stdout
    running.fault("link-down", "r1-2")
    running.fault("utility-fail")
    running.fault("device-down", "dist-r2-4")
    try:
        assert "INTEGER: 2" in run(tools["snmpget"], *v3_args(DIST11, port), oper).stdout
        source = run(
            tools["snmpget"],
            *v2c_args(UPSA, port),
            "1.3.6.1.2.1.33.1.4.1.0",
            "1.3.6.1.4.1.318.1.1.1.4.1.1.0",
        )
        assert _lines(source.stdout) == [
            ".1.3.6.1.2.1.33.1.4.1.0 = INTEGER: 5",
            ".1.3.6.1.4.1.318.1.1.1.4.1.1.0 = INTEGER: 3",
        ]
        silent = run(tools["snmpget"], *v3_args("127.10.2.4", port), "1.3.6.1.2.1.1.3.0")
        assert silent.returncode != 0 and "Timeout" in silent.stderr
        assert running.status()["silent"] == ["crac-1", "crac-2", "dist-r2-4"]  # CRACs: no power
    finally:
        running.clear()
    assert "INTEGER: 1" in run(tools["snmpget"], *v3_args(DIST11, port), oper).stdout
    back = run(tools["snmpget"], *v3_args("127.10.2.4", port), "1.3.6.1.2.1.1.3.0")
    assert back.returncode == 0, back.stderr
