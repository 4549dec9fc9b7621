"""Issue 6 scenarios driven by the lab's faults: a real lab, a real Runtime, a real webhook.

The lab runs in-process on free ports and sends its traps to the Runtime's trap receiver; the
Runtime polls it with its SNMP collector (``scheduler.run_once``, so no test waits for an
interval) on a :class:`ManualClock` that the test moves for the rules' ``for`` durations and the
notification group wait. Notifications go to a local HTTP server through the webhook channel.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from alerting.notify.webhook import verify_signature
from noc.clock import ManualClock
from noc.inventory import load_inventory
from noc.lab.harness import RunningLab
from noc.lab.snmp.usm import engine_id_for
from noc.runtime import Runtime
from noc.settings import Settings
from noc.store.events import Incident
from tests.lab.labfixtures import ENV, free_udp_port

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
SECRET = "lab-webhook-secret-0123456789"
FAR = 86_400  # poll interval: the scheduler never polls by itself during a test


class Webhook:
    """A local HTTP server that keeps every signed JSON body it receives."""

    def __init__(self) -> None:
        bodies: list[dict[str, Any]] = []
        self.bodies = bodies

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                ok = verify_signature(
                    SECRET,
                    self.headers.get("X-NOC-Timestamp", ""),
                    raw,
                    self.headers.get("X-NOC-Signature", ""),
                )
                body = json.loads(raw)
                body["_signature_ok"] = ok
                bodies.append(body)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def lab_inventory_file(tmp: Path, snmp_port: int) -> Path:
    """The demo inventory with the lab's SNMP port and polls that never come by themselves."""
    data = yaml.safe_load((ROOT / "inventory.yaml").read_text(encoding="utf-8"))
    data["settings"]["snmp_port"] = snmp_port
    data["settings"]["poll_intervals"] = {"snmp": FAR, "ssh": FAR, "icmp": FAR}
    for dev in data["devices"]:
        dev.pop("poll_intervals", None)
        if isinstance(dev.get("snmp"), dict):
            dev["snmp"].pop("port", None)
    path = tmp / "inventory.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def alerting_file(tmp: Path, url: str) -> Path:
    config = {
        "version": 1,
        "group": {"wait": "10s", "interval": "5m"},
        "retry": {"initial": "1s", "maximum": "2s", "attempts": 2},
        "channels": [
            {
                "name": "hook",
                "type": "webhook",
                "min_severity": "warning",
                "settings": {"url": url, "secret": SECRET, "timeout_seconds": 5},
            }
        ],
    }
    path = tmp / "alerting.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def lab_env() -> Iterator[None]:
    mp = pytest.MonkeyPatch()
    for k, v in ENV.items():
        mp.setenv(k, v)
    yield
    mp.undo()


class Scene:
    def __init__(self, lab: RunningLab, runtime: Runtime, clock: ManualClock, hook: Webhook):
        self.lab = lab
        self.runtime = runtime
        self.clock = clock
        self.hook = hook
        self.final: list[Incident] = []
        self.mark = 0

    async def poll(self, *devices: str) -> None:
        sched = self.runtime.scheduler
        assert sched is not None
        ids = [d.id for d in self.runtime.inventory.devices if d.snmp is not None]
        wanted = devices or tuple(ids)
        await asyncio.gather(*(sched.run_once(f"poll:snmp:{d}") for d in wanted))

    async def later(self, seconds: float, step: float = 5.0) -> None:
        """Move the clock on in steps, running what falls due, letting deliveries finish."""
        alerting = self.runtime.alerting
        assert alerting is not None
        done = 0.0
        while done < seconds:
            s = min(step, seconds - done)
            self.clock.advance(s)
            done += s
            await alerting.run_due()
        await asyncio.sleep(0.2)
        await alerting.run_due()

    async def until(self, check: Callable[[], bool], seconds: float = 10.0) -> None:
        for _ in range(int(seconds / 0.05)):
            if check():
                return
            await asyncio.sleep(0.05)

    def incidents(self) -> list[Incident]:
        return list(self.runtime.events.incidents.list())

    def pages(self) -> list[dict[str, Any]]:
        """What the webhook received since the fault was injected."""
        return self.hook.bodies[self.mark :]

    def firing_pages(self) -> list[dict[str, Any]]:
        return [b for b in self.pages() if b.get("status") == "firing"]


Body = Callable[[Scene], Awaitable[None]]


@pytest.fixture(scope="module")
def lab(
    lab_env: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[RunningLab, int]]:
    port = free_udp_port()
    inventory = load_inventory(ROOT / "inventory.yaml")
    trap_port = free_udp_port()
    with RunningLab(inventory, snmp_port=port, trap_target=("127.0.0.1", trap_port)) as running:
        yield running, trap_port


def play(lab: tuple[RunningLab, int], tmp_path: Path, body: Body) -> Scene:
    running, trap_port = lab
    running.clear()
    snmp_port = running.server.inventory.settings.snmp_port
    inv_file = lab_inventory_file(tmp_path, snmp_port)
    inventory = load_inventory(inv_file)
    hook = Webhook()
    settings = Settings(
        inventory=inv_file,
        data_dir=tmp_path / "var",
        trap_port=trap_port,
        trap_v3_engine_ids={
            d.id: engine_id_for(d.id).hex() for d in inventory.devices if d.snmp is not None
        },
        reachability_collectors=["snmp"],
        alerting_config=alerting_file(tmp_path, hook.url),
    )
    # far ahead of the wall clock: APScheduler's first runs are tomorrow, never in the test
    clock = ManualClock(datetime.now(UTC).replace(microsecond=0) + timedelta(days=1))
    runtime = Runtime.build(settings, clock=clock)

    async def run() -> Scene:
        await runtime.start()
        scene = Scene(running, runtime, clock, hook)
        try:
            await scene.poll()  # a baseline: everything answers
            await scene.later(30)
            scene.mark = len(hook.bodies)  # standing alerts of the lab (marginal optics)
            await body(scene)
            scene.final = scene.incidents()
        finally:
            await runtime.stop()
        return scene

    try:
        return asyncio.run(asyncio.wait_for(run(), 60))
    finally:
        runtime.close()
        hook.close()
        running.clear()


def test_utility_failure_is_one_incident_and_one_page(
    lab: tuple[RunningLab, int], tmp_path: Path
) -> None:
    async def body(s: Scene) -> None:
        assert not s.incidents() and not s.hook.bodies
        s.lab.fault("utility-fail", "genset=no")
        # the UPS on-battery traps arrive at once, before any poll
        await s.until(lambda: bool(s.incidents()))
        assert s.incidents(), "no incident from the UPS on-battery trap"
        for _ in range(3):
            await s.poll()
            await s.later(30)
        await s.later(60)

    s = play(lab, tmp_path, body)
    incidents = s.final
    assert len(incidents) == 1, [(i.title, i.source_alert) for i in incidents]
    inc = incidents[0]
    alerts = {a for a in (inc.source_alert, *inc.symptom_alerts) if a}
    assert any(a.startswith("ups_on_battery/") for a in alerts), alerts
    assert any(a.startswith("genset_not_started/") for a in alerts), alerts
    assert len(s.firing_pages()) == 1, s.hook.bodies
    assert all(b["_signature_ok"] for b in s.hook.bodies)


def test_core_pair_down_is_one_incident_with_districts_as_symptoms(
    lab: tuple[RunningLab, int], tmp_path: Path
) -> None:
    async def body(s: Scene) -> None:
        s.lab.fault("device-down", "core-1")
        s.lab.fault("device-down", "core-2")
        await s.poll()
        await s.later(60)
        await s.poll()
        await s.later(60)

    s = play(lab, tmp_path, body)
    incidents = s.final
    assert len(incidents) == 1, [(i.title, i.source_alert) for i in incidents]
    inc = incidents[0]
    alerts = {a for a in (inc.source_alert, *inc.symptom_alerts) if a}
    assert {"device_down/device:core-1", "device_down/device:core-2"} <= alerts, alerts
    districts = {a for a in alerts if a.startswith("device_unreachable/device:dist-")}
    assert len(districts) >= 8, alerts
    assert len(s.firing_pages()) == 1, s.hook.bodies


def test_ring_segment_down_is_one_ring_degraded_incident(
    lab: tuple[RunningLab, int], tmp_path: Path
) -> None:
    async def body(s: Scene) -> None:
        s.lab.fault("link-down", "r1-3")
        await s.until(lambda: bool(s.incidents()), seconds=3)
        await s.poll()
        await s.later(60)
        await s.poll()
        await s.later(60)

    s = play(lab, tmp_path, body)
    incidents = s.final
    assert len(incidents) == 1, [(i.title, i.source_alert) for i in incidents]
    alerts = {incidents[0].source_alert, *incidents[0].symptom_alerts}
    assert "ring_lost_redundancy/ring:R1" in alerts, alerts
    assert len(s.firing_pages()) == 1, s.hook.bodies


def test_flapping_link_is_one_flapping_page_not_forty(
    lab: tuple[RunningLab, int], tmp_path: Path
) -> None:
    async def body(s: Scene) -> None:
        for _ in range(6):  # 12 transitions: down 40 s (past link_down's hold), up 20 s
            s.lab.fault("link-down", "r2-2")
            await s.poll("dist-r2-1", "dist-r2-2")
            await s.later(40, step=10)
            s.lab.clear("link-down:r2-2")
            await s.poll("dist-r2-1", "dist-r2-2")
            await s.later(20, step=10)
        await s.later(120)

    s = play(lab, tmp_path, body)
    states = [(b["rule"], [a["state"] for a in b["alerts"]]) for b in s.pages()]
    link = [st for rule, st in states if rule == "link_down"]
    # the first drop is paged (nobody knows yet that it will flap), then flapping: once
    assert link == [["firing"], ["flapping"]], states
    assert len(states) <= 4, states  # not one page per transition, for any rule


def test_distribution_switch_down_is_one_incident_with_its_access_switch_as_symptom(
    lab: tuple[RunningLab, int], tmp_path: Path
) -> None:
    async def body(s: Scene) -> None:
        s.lab.fault("device-down", "dist-r1-2")
        # the neighbours' linkDown traps arrive at once, before dist-r1-2's own poll fails
        await s.until(lambda: bool(s.incidents()), seconds=3)
        await s.poll()
        await s.later(60)
        await s.poll()
        await s.later(60)

    s = play(lab, tmp_path, body)
    incidents = s.final
    assert len(incidents) == 1, [(i.title, i.source_alert) for i in incidents]
    inc = incidents[0]
    assert inc.source_alert == "device_down/device:dist-r1-2", inc
    alerts = {a for a in (inc.source_alert, *inc.symptom_alerts) if a}
    assert "device_unreachable/device:acc-dinkes" in alerts, alerts
    assert len(s.firing_pages()) == 1, s.hook.bodies
