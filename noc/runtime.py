"""The composition root's running parts: inventory, stores, collectors, scheduler, pipeline.

``Runtime.build(settings)`` opens everything; ``start()`` and ``stop()`` run inside the event
loop (FastAPI's lifespan). Tests build a Runtime with their own stores and collectors.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, cast

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from alerting.service import AlertingService
from alerting.wiring import build_alerting, journal_path, load_alerting_config
from collectors.base import Collector
from collectors.icmp import IcmpCollector
from collectors.snmp.collector import SnmpCollector, SnmpConfig
from collectors.snmp.traps.receiver import TrapConfig, TrapObservation, TrapReceiver
from collectors.ssh.collector import SshCollector, SshConfig
from noc.api.login_limiter import LoginLimiter
from noc.api.session import SessionSigner, load_or_create_key
from noc.clock import Clock, SystemClock
from noc.health import HealthMetrics
from noc.inventory import load_inventory
from noc.model import DeviceRole, DeviceState, Neighbor, ObjectKind, ObjectRef, StateChange
from noc.model.inventory import CollectorKind, Inventory
from noc.pipeline import CollectPipeline, SampleWriter
from noc.scheduler import PollScheduler, PollTarget
from noc.settings import MetricBackend, Settings
from noc.store.events import EventStore, open_event_store
from noc.store.metric_backends import open_metric_store
from noc.store.metrics import InfluxMetricStoreConfig, MetricStore, SqliteMetricStoreConfig
from sla.live import month_to_date
from sla.report.schedule import schedule_monthly_report, smtp_sender
from topology.link_states import LinkStateTracker
from topology.live import LiveTopology
from topology.tracker import GraphReachabilityTracker
from topology.view import GraphTopologyView

log = logging.getLogger(__name__)
POWER_ROLES = frozenset({DeviceRole.ups, DeviceRole.ats, DeviceRole.genset, DeviceRole.pdu})


def metric_store_config(settings: Settings) -> SqliteMetricStoreConfig | InfluxMetricStoreConfig:
    if settings.metric_backend is MetricBackend.influxdb:
        return InfluxMetricStoreConfig(
            url=settings.influx_url,
            org=settings.influx_org,
            bucket=settings.influx_bucket,
            token=settings.influx_token,
            spool_path=settings.spool_path,
            spool_max_bytes=settings.influx_spool_max_bytes,
            query_url=settings.influx_query_url,
        )
    return SqliteMetricStoreConfig(
        path=settings.metrics_path,
        raw_retention_days=settings.raw_retention_days,
        rollup_5m_retention_days=settings.rollup_5m_retention_days,
        rollup_1h_retention_days=settings.rollup_1h_retention_days,
    )


@dataclass
class Runtime:
    settings: Settings
    inventory: Inventory
    events: EventStore
    metrics: MetricStore
    collectors: Sequence[Collector]
    clock: Clock = field(default_factory=SystemClock)
    health: HealthMetrics = field(default_factory=HealthMetrics)
    sessions: SessionSigner = field(
        default_factory=lambda: SessionSigner(secrets.token_bytes(32), SystemClock())
    )
    login_limiter: LoginLimiter = field(default_factory=lambda: LoginLimiter(SystemClock()))
    topology: LiveTopology | None = None
    alerting: AlertingService | None = None
    traps: TrapReceiver | None = None
    scheduler: PollScheduler | None = None
    writer: SampleWriter | None = None
    pipeline: CollectPipeline | None = None
    reports: AsyncIOScheduler | None = None
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    @classmethod
    def build(cls, settings: Settings, *, clock: Clock | None = None) -> Runtime:
        """Load the inventory and open the stores named by ``settings``."""
        clock = clock or SystemClock()
        inventory = load_inventory(settings.inventory)
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        events = open_event_store(settings.events_path, clock)
        try:
            metrics = open_metric_store(metric_store_config(settings))
        except Exception:
            events.close()
            raise
        key = load_or_create_key(settings.data_dir / "session-key")
        return cls(
            settings=settings,
            inventory=inventory,
            events=events,
            metrics=metrics,
            collectors=[
                IcmpCollector(clock=clock),
                SnmpCollector(
                    inventory,
                    SnmpConfig(),
                    clock=clock,
                    secrets_dir=settings.inventory.resolve().parent,
                ),
                SshCollector(
                    inventory,
                    SshConfig(known_hosts=settings.data_dir / "ssh_known_hosts"),
                    clock,
                    base_dir=settings.inventory.resolve().parent,
                ),
            ],
            clock=clock,
            sessions=SessionSigner(key, clock, timedelta(hours=settings.session_hours)),
            login_limiter=LoginLimiter(clock),
        )

    def poll_targets(self) -> list[PollTarget]:
        """Each device with each collector that can read it, at the device's interval for it."""
        targets: list[PollTarget] = []
        for collector in self.collectors:
            kind = cast(CollectorKind, collector.name)
            wants = getattr(collector, "wants", None)
            for device in self.inventory.devices:
                if wants is not None and not wants(device):
                    continue  # e.g. SSH only for devices with ssh access and a platform
                if kind == "snmp" and device.snmp is None:
                    continue
                interval = float(self.inventory.poll_interval(device, kind))
                targets.append(PollTarget(device, collector, interval, device.profile))
        return targets

    def _last_states(self) -> dict[str, DeviceState]:
        """The newest recorded state of every device, to resume after a restart."""
        states: dict[str, DeviceState] = {}
        now = self.clock.now()
        for device in self.inventory.devices:
            rec = self.events.state_changes.state_at(
                ObjectRef(kind=ObjectKind.device, id=device.id), now
            )
            if rec is not None:
                with contextlib.suppress(ValueError):
                    states[device.id] = DeviceState(rec.new)
        return states

    def observed_neighbors(self) -> list[Neighbor]:
        """The last LLDP/CDP table of every device, from SSH results and the SNMP collector."""
        seen: dict[tuple[str, str], list[Neighbor]] = {}
        if self.pipeline is not None:
            seen.update(self.pipeline.neighbors)
        for collector in self.collectors:
            tables = getattr(collector, "neighbors", None)
            if isinstance(tables, dict):
                for device, table in tables.items():
                    seen.setdefault((device, collector.name), list(table))
        return [n for table in seen.values() for n in table]

    def _record_states(self, changes: Sequence[StateChange]) -> None:
        self.events.state_changes.append_many(changes)

    async def start(self) -> None:
        tracker = GraphReachabilityTracker.from_inventory(self.inventory)
        self.topology = tracker.live
        tracker.restore(await asyncio.to_thread(self._last_states))
        self.writer = SampleWriter(self.metrics.write, self.health)
        self.writer.start()
        self.pipeline = CollectPipeline(
            self.writer,
            tracker,
            self._record_states,
            self.health,
            reachability_collectors=self.settings.reachability_collectors,
        )
        self.pipeline.link_states = LinkStateTracker(self.inventory, tracker)
        self.pipeline.publish_states()
        self.alerting = build_alerting(
            self.events,
            self.clock,
            GraphTopologyView(tracker.live),
            load_alerting_config(self.settings.alerting_config),
            journal_path(self.settings.data_dir),
        )
        await self.alerting.start()
        self.pipeline.observers.append(self.alerting)
        self.scheduler = PollScheduler(
            self.pipeline,
            self.health,
            clock=self.clock,
            jitter_ratio=self.settings.poll_jitter_ratio,
            max_concurrent=self.settings.max_concurrent_polls,
        )
        self.scheduler.start(self.poll_targets())
        if self.settings.trap_port:
            self.traps = TrapReceiver(
                self.inventory,
                self._on_trap,
                TrapConfig(
                    host=self.settings.trap_host,
                    port=self.settings.trap_port,
                    v3_engine_ids=self.settings.trap_v3_engine_ids,
                ),
                clock=self.clock,
            )
            await self.traps.start()
        self._tasks.append(asyncio.create_task(self._retention_loop(), name="retention"))
        self._tasks.append(asyncio.create_task(self._sla_loop(), name="sla"))
        self._schedule_reports()

    def _schedule_reports(self) -> None:
        """The monthly SLA report, mailed to the managers on the 1st."""
        s = self.settings
        if not s.report_recipients or s.smtp_host is None or s.smtp_from is None:
            return
        self.reports = AsyncIOScheduler(
            timezone=s.report_timezone or self.inventory.settings.timezone
        )
        schedule_monthly_report(
            self.reports,
            events=self.events,
            inventory=self.inventory,
            clock=self.clock,
            metrics=self.metrics,
            send=smtp_sender(
                s.smtp_host,
                s.smtp_port,
                from_addr=s.smtp_from,
                username=s.smtp_username,
                password_ref=s.smtp_password_ref,
                starttls=s.smtp_starttls,
                ca_file=None if s.smtp_ca_file is None else str(s.smtp_ca_file),
            ),
            recipients=s.report_recipients,
            timezone=s.report_timezone,
            hour=s.report_hour,
            lang=s.report_language,
        )
        self.reports.start()

    async def _on_trap(self, trap: TrapObservation) -> None:
        """A trap is an observation at once, not at the next poll."""
        log.info("trap %s from %s (%s)", trap.trap, trap.device, trap.sender)
        if self.pipeline is None:
            return
        if trap.samples:
            await self.pipeline.accept_samples(trap.samples, trap.ts)
        await self.pipeline.accept_states(trap.changes)
        self._poll_far_ends(trap)
        self._poll_power_chain(trap)

    def _poll_far_ends(self, trap: TrapObservation) -> None:
        """A port went down: poll the device at the other end of its link now, so a dead
        neighbour is known before the link rule's hold ends (it is the root cause)."""
        if self.scheduler is None or self.pipeline is None or self.pipeline.link_states is None:
            return
        for s in trap.samples:
            if s.metric != "if_oper_status" or s.labels.get("state") != "down":
                continue
            link_id = self.pipeline.link_states.link_for(s)
            if link_id is None:
                continue
            link = self.inventory.link(link_id)
            for end in (link.a, link.b):
                if end.device != trap.device:
                    self.scheduler.poll_now(f"poll:snmp:{end.device}")

    def _poll_power_chain(self, trap: TrapObservation) -> None:
        """A power device trapped (UPS on battery, ATS transfer, genset start): poll it and what
        powers it now, so the wall shows the whole chain as it is, not as of its last poll."""
        if self.scheduler is None:
            return
        device = next((d for d in self.inventory.devices if d.id == trap.device), None)
        if device is None or device.role not in POWER_ROLES:
            return
        for dev in (trap.device, *self.inventory.power_upstream(trap.device)):
            job = f"poll:snmp:{dev}"
            if self.scheduler.has_job(job):
                self.scheduler.poll_now(job)

    async def _sla_loop(self) -> None:
        """Month-to-date SLA per service on /metrics, every ``sla_refresh_seconds``."""
        while True:
            try:
                standings = await asyncio.to_thread(
                    month_to_date, self.events, self.inventory, self.clock.now()
                )
                for st in standings:
                    h = self.health
                    h.sla_availability.labels(st.service).set(st.availability_ratio)
                    h.sla_target.labels(st.service).set(st.target_ratio)
                    h.sla_downtime.labels(st.service).set(st.downtime_seconds)
                    h.sla_budget_remaining.labels(st.service).set(st.budget_remaining_seconds)
            except Exception as err:
                log.error("month-to-date SLA failed: %s", err)
            await asyncio.sleep(self.settings.sla_refresh_seconds)

    async def _retention_loop(self) -> None:
        while True:
            await asyncio.sleep(self.settings.retention_interval_seconds)
            try:
                report = await asyncio.to_thread(self.metrics.apply_retention, self.clock.now())
                log.info("metric retention applied: %s", report)
            except Exception as err:
                log.error("metric retention failed: %s", err)

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        if self.reports is not None:
            self.reports.shutdown(wait=False)
            self.reports = None
        if self.traps is not None:
            await self.traps.stop()
        if self.scheduler is not None:
            await self.scheduler.stop()
        if self.writer is not None:
            await self.writer.stop()
        if self.alerting is not None:
            await self.alerting.stop()
        await asyncio.to_thread(self.metrics.flush)

    def close(self) -> None:
        if self.alerting is not None:
            self.alerting.close()
        self.metrics.close()
        self.events.close()

    def health_checks(self) -> dict[str, dict[str, Any]]:
        checks: dict[str, dict[str, Any]] = {}
        try:
            head = self.events.audit.head()
            checks["event_store"] = {"ok": True, "audit_seq": head.seq if head else 0}
        except Exception as err:
            checks["event_store"] = {"ok": False, "error": str(err)}
        try:
            checks["metric_store"] = {"ok": True, **self.metrics.stats()}
        except Exception as err:
            checks["metric_store"] = {"ok": False, "error": str(err)}
        running = self.scheduler is not None and self.scheduler.running
        checks["scheduler"] = {"ok": running, "running": running}
        checks["inventory"] = {
            "ok": True,
            "sites": len(self.inventory.sites),
            "devices": len(self.inventory.devices),
        }
        return checks
