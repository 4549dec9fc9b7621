"""The NOC's own health as Prometheus metrics, on a registry of its own (not the global one)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Info

import noc

_STORE_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
_LAG_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class HealthMetrics:
    """Every metric the NOC exports about itself, created per application instance."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        Info("noc_build", "Version of the NOC Command Center.", registry=r).info(
            {"version": noc.__version__}
        )
        self.collect_duration = Gauge(
            "noc_collect_duration_seconds",
            "How long the last poll of a device by a collector took.",
            ["device", "collector"],
            registry=r,
        )
        self.collects = Counter(
            "noc_collect",
            "Polls of a device by a collector.",
            ["device", "collector"],
            registry=r,
        )
        self.collect_errors = Counter(
            "noc_collect_errors",
            "Failed polls of a device by a collector, by kind of failure.",
            ["device", "collector", "kind"],
            registry=r,
        )
        self.samples_collected = Counter(
            "noc_samples_collected", "Samples produced by collectors.", registry=r
        )
        self.store_write_duration = Histogram(
            "noc_store_write_duration_seconds",
            "Latency of one batched write into a store.",
            ["store"],
            buckets=_STORE_BUCKETS,
            registry=r,
        )
        self.store_write_errors = Counter(
            "noc_store_write_errors", "Failed batched writes into a store.", ["store"], registry=r
        )
        self.samples_written = Counter(
            "noc_store_samples_written", "Samples written into the metric store.", registry=r
        )
        self.queue_depth = Gauge(
            "noc_sample_queue_depth",
            "Samples waiting to be written into the metric store.",
            registry=r,
        )
        self.scheduler_lag = Histogram(
            "noc_scheduler_lag_seconds",
            "Delay between a poll's scheduled time and its start.",
            buckets=_LAG_BUCKETS,
            registry=r,
        )
        self.scheduled_jobs = Gauge("noc_scheduler_jobs", "Poll jobs in the scheduler.", registry=r)
        self.sla_availability = Gauge(
            "sla_service_availability_ratio",
            "Availability of a service this month so far (planned maintenance excluded).",
            ["service"],
            registry=r,
        )
        self.sla_target = Gauge(
            "sla_service_target_ratio",
            "The availability a service's policy asks for.",
            ["service"],
            registry=r,
        )
        self.sla_downtime = Gauge(
            "sla_service_downtime_seconds",
            "Unplanned downtime of a service this month so far.",
            ["service"],
            registry=r,
        )
        self.sla_budget_remaining = Gauge(
            "sla_service_budget_remaining_seconds",
            "Downtime a service may still have this month (negative: overspent).",
            ["service"],
            registry=r,
        )
        self.device_states = Gauge(
            "noc_devices", "Devices by current state.", ["state"], registry=r
        )
