"""The inventory pages on the real app: devices, links, sites, services with their history.

Samples go into the runtime's metric store and state changes into its event store; the pages
must show them (states, root cause, SVG points, capacity lines, SLA so far) to the roles that
may open the area, in both languages.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from collectors.base import CollectResult
from noc.model import ObjectKind, ObjectRef
from noc.pipeline import CollectPipeline, SampleWriter
from noc.runtime import Runtime
from noc.store.events import Severity
from tests.web.inventory_city import (
    NOW,
    PORT,
    app_client,
    change,
    city,
    device,
    login,
    paths,
    rows,
    traffic,
)
from topology.tracker import GraphReachabilityTracker


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    yield from city(tmp_path)


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    yield from app_client(runtime)


def test_anonymous_visitors_go_to_the_login_page(client: TestClient) -> None:
    r = client.get("/inventory/devices/core-1", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=/inventory/devices/core-1"


def test_a_viewer_gets_the_forbidden_page(client: TestClient) -> None:
    login(client, "wall")
    for url in ("/inventory", "/inventory/devices/core-1", "/inventory/links/r1-1"):
        r = client.get(url)
        assert r.status_code == 403 and 'id="forbidden"' in r.text


def test_unknown_ids_get_a_404_page_naming_them(client: TestClient) -> None:
    login(client, "op")
    for kind, url in (
        ("device", "/inventory/devices/core-9?lang=en"),
        ("link", "/inventory/links/r9-9?lang=en"),
        ("site", "/inventory/sites/mars?lang=en"),
        ("service", "/inventory/services/teleport?lang=en"),
    ):
        r = client.get(url)
        ident = url.split("/")[-1].split("?")[0]
        assert r.status_code == 404
        assert f"There is no {kind} with id “{ident}”." in r.text


def test_the_device_list_filters_by_state_role_and_site(
    client: TestClient, runtime: Runtime
) -> None:
    runtime.events.state_changes.append_many(
        [
            change(device("core-1"), "up", "down", timedelta(minutes=10), "timeout"),
            change(device("ups-a"), "unknown", "up", timedelta(hours=1)),
            change(device("ups-b"), "unknown", "up", timedelta(hours=1)),
        ]
    )
    login(client, "audit")
    page = client.get("/inventory?lang=en")
    assert page.status_code == 200 and "<h1>Inventory</h1>" in page.text
    listed = rows(page.text)
    assert len(listed) == len(runtime.inventory.devices) and listed[0] == "core-1"  # down first
    assert rows(client.get("/inventory?state=down").text) == ["core-1"]
    assert rows(client.get("/inventory?role=ups&state=up").text) == ["ups-a", "ups-b"]
    drc = rows(client.get("/inventory?site=drc").text)
    assert drc == [d.id for d in runtime.inventory.devices if d.site == "drc"]
    assert rows(client.get("/inventory?site=drc&state=down").text) == []


def test_an_unreachable_device_names_its_root_cause_and_open_incidents(
    client: TestClient, runtime: Runtime
) -> None:
    cause = "root cause upstream: dist-r1-1"
    runtime.events.state_changes.append_many(
        [
            change(device("dist-r1-1"), "up", "down", timedelta(minutes=6), "timeout"),
            change(device("dist-r1-2"), "up", "unreachable", timedelta(minutes=6), cause),
        ]
    )
    inc = runtime.events.incidents.open(
        "dist-r1-1 down", Severity.critical, root_cause=device("dist-r1-1")
    )
    cut = runtime.events.incidents.open(
        "Link up-disdukcapil is down", Severity.major, source_alert="link_down/link:up-disdukcapil"
    )
    login(client, "boss")
    html = client.get("/inventory/devices/dist-r1-2?lang=en").text
    assert re.search(r'id="device-state"><span class="state unreachable">unreachable', html)
    assert cause in html and "Unreachable: an upstream device or link is down" in html
    root = client.get("/inventory/devices/dist-r1-1?lang=en").text
    assert f'<a href="/incidents/{inc.id}">#{inc.id} dist-r1-1 down</a>' in root
    assert f'<a href="/incidents/{cut.id}">' in root  # an incident on one of its links
    assert f'<a href="/incidents/{cut.id}">' not in html  # dist-r1-2 is not on that link

    assert "timeout" in root  # the recorded reason of the last change
    site = client.get("/inventory/sites/kec-sukamaju-utara?lang=en").text
    assert 'data-device="dist-r1-1"' in site and "No incident" not in site


def test_a_link_page_shows_ends_ring_and_utilization_against_its_limit(
    client: TestClient, runtime: Runtime
) -> None:
    # SNMP's ifName abbreviates what the inventory spells out (TenGigabitEthernet1/0/1)
    runtime.metrics.write(traffic(range(0, 30, 2), 8e9, 2e9, {**PORT, "interface": "Te1/0/1"}))
    link = ObjectRef(kind=ObjectKind.link, id="r1-1")
    runtime.events.state_changes.append(
        change(link, "up", "down", timedelta(minutes=3), "a port of the link reports down")
    )
    login(client, "op")
    html = client.get("/inventory/links/r1-1?range=6h&lang=en").text
    assert re.search(r'id="link-state"><span class="state down">down', html)
    assert "a port of the link reports down" in html
    assert "Ring R1" in html and 'href="/inventory/links/r1-6"' in html
    assert "limit 70%: <b>7.0 Gbit/s</b>" in html
    assert len(paths(html, "in")[0]) == 15 and "in: <b>8.0 Gbit/s</b>" in html
    core = client.get("/inventory/devices/core-1?range=6h&lang=en").text
    assert "Traffic TenGigabitEthernet1/0/1 → dist-r1-1" in core
    port = core[core.index("<td>TenGigabitEthernet1/0/1<") :]
    assert "<td>8.0 Gbit/s</td><td>2.0 Gbit/s</td>" in port[: port.index("</tr>")]


def test_a_site_page_shows_its_power_chain(client: TestClient) -> None:
    login(client, "op")
    html = client.get("/inventory/sites/dc?lang=en").text
    chain = html[html.index('id="power"') :]
    for a, b in (("pln-dc", "ats-1"), ("ats-1", "ups-a"), ("ups-a", "pdu-a1-a")):
        assert chain.index(a) < chain.index(f"/inventory/devices/{b}")
    assert chain.index("pdu-a1-a") < chain.index("/inventory/devices/core-1")
    # the ATS has two inputs (utility and genset): its tree is drawn once, then referred to
    assert chain.count('href="/inventory/devices/ups-a"') == 1
    genset = chain[chain.index('href="/inventory/devices/genset-1"') :]
    assert "ats-1" in genset and "see above" in genset


def test_a_service_page_shows_components_and_availability_so_far(
    client: TestClient, runtime: Runtime
) -> None:
    # Both SIAK servers down for 57 minutes of the 19 hours of October so far (WIB).
    runtime.events.state_changes.append_many(
        [
            change(device(d), "up", "down", timedelta(hours=2), "timeout")
            for d in ("srv-siak-1", "srv-siak-2")
        ]
        + [
            change(device(d), "down", "up", timedelta(hours=2) - timedelta(minutes=57))
            for d in ("srv-siak-1", "srv-siak-2")
        ]
        + [change(device("srv-siak-2"), "up", "down", timedelta(minutes=1), "timeout")]
    )
    login(client, "boss")
    html = client.get("/inventory/services/siak-app?lang=en").text
    # one server of two left: the "any" rule holds, the service is degraded, not down
    assert re.search(r'id="service-state"><span class="state degraded">degraded', html)
    assert 'href="/inventory/devices/srv-siak-2">device:srv-siak-2' in html
    assert "up while any of its 2 components is up" in html
    assert '<dd id="availability">95.000%</dd>' in html  # 1 - 57 min / 19 h
    assert "<dd>57.0 min</dd>" in html


def test_pages_speak_both_languages(client: TestClient) -> None:
    login(client, "op")
    assert "<h1>Inventaris</h1>" in client.get("/inventory?lang=id").text
    assert "<h1>Inventory</h1>" in client.get("/inventory?lang=en").text
    device_id = client.get("/inventory/devices/core-1?lang=id").text
    assert "Perubahan status terakhir" in device_id and "switch inti" in device_id


def test_with_collectors_running_pages_show_live_state_root_cause_and_poll_health(
    client: TestClient, runtime: Runtime
) -> None:
    silent = {"dist-r1-1", "acc-disdukcapil"}  # the agency switch hangs off dist-r1-1 alone

    async def poll_everything() -> CollectPipeline:
        writer = SampleWriter(runtime.metrics.write, runtime.health, flush_interval=0.01)
        writer.start()
        tracker = GraphReachabilityTracker.from_inventory(runtime.inventory)
        pipeline = CollectPipeline(writer, tracker, lambda _c: None, runtime.health)
        for d in runtime.inventory.devices:
            failed = d.id in silent
            await pipeline(
                CollectResult(
                    device=d.id,
                    collector="icmp",
                    started_at=NOW - timedelta(seconds=20),
                    duration_seconds=0.4 if failed else 0.002,
                    failed=failed,
                    error="no echo reply" if failed else None,
                    error_kind="timeout" if failed else None,
                )
            )
        await writer.stop()
        runtime.topology = tracker.live
        return pipeline

    runtime.pipeline = asyncio.run(poll_everything())
    login(client, "op")
    html = client.get("/inventory/devices/acc-disdukcapil?lang=en").text
    assert re.search(r'id="device-state"><span class="state unreachable">', html)
    root = re.search(r'<p id="root-cause">Root cause:\s*(.*?)</p>', html, re.S)
    assert root and 'href="/inventory/devices/dist-r1-1"' in root.group(1)
    assert re.search(
        r'id="device-state"><span class="state down">',
        client.get("/inventory/devices/dist-r1-1?lang=en").text,
    )
    polls = client.get("/inventory/devices/dist-r1-1?lang=en").text
    assert '<span class="poll bad">timeout</span> no echo reply' in polls
    listing = client.get("/inventory?lang=en").text
    core = listing[listing.index('<tr data-device="core-1">') :]
    assert "all collectors answer (1)" in core[: core.index("</tr>")]
    dist = listing[listing.index('<tr data-device="dist-r1-1">') :]
    assert "failing: icmp" in dist[: dist.index("</tr>")]
    assert rows(client.get("/inventory?state=unreachable").text) == ["acc-disdukcapil"]
