"""The influxdb backend against a real VictoriaMetrics: exact read-back, outages, restarts."""

from __future__ import annotations

import signal
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from noc.model.observations import Sample
from noc.store.influx.store import InfluxMetricStore
from noc.store.metric_backends import open_metric_store
from noc.store.metrics import InfluxMetricStoreConfig, MetricStore
from tests.integration.victoria import CANDIDATES, VictoriaMetrics
from tests.peers import free_port, require_binary
from tests.store.test_metric_contract import MetricStoreContract

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]


@pytest.fixture
def vm(tmp_path: Path) -> Iterator[VictoriaMetrics]:
    server = VictoriaMetrics(require_binary(*CANDIDATES), tmp_path / "vmdata", free_port())
    server.start()
    yield server
    server.stop()


def config(vm: VictoriaMetrics, spool: Path, **kw: object) -> InfluxMetricStoreConfig:
    base: dict[str, object] = {
        "url": vm.url,
        "org": "city",
        "bucket": "noc",
        "token": "not-checked-by-vm",
        "spool_path": spool,
        "batch_size": 500,
        "flush_interval": "PT0.2S",
        "retry_initial": "PT0.05S",
        "retry_max": "PT0.5S",
        "timeout": "PT2S",
        "query_url": vm.url,
    }
    return InfluxMetricStoreConfig.model_validate({**base, **kw})


def recent() -> datetime:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    return now - timedelta(hours=2)


class TestInfluxContract(MetricStoreContract):
    """The shared MetricStore contract, writing through influxdb-client, reading via export."""

    @pytest.fixture
    def base(self) -> datetime:
        return recent()

    @pytest.fixture
    def store(self, vm: VictoriaMetrics, tmp_path: Path) -> Iterator[MetricStore]:
        store = open_metric_store(config(vm, tmp_path / "spool"))
        self.vm = vm
        yield store
        store.close()

    def settle(self, store: MetricStore) -> None:
        assert isinstance(store, InfluxMetricStore)
        assert store.wait_delivered(20)
        self.vm.force_flush()


def test_victoriametrics_keeps_duplicates_so_exactly_once_is_observable(
    vm: VictoriaMetrics,
) -> None:
    ms = int(recent().timestamp() * 1000)
    line = f"dup_probe,a=b value=1 {ms}"
    for _ in range(2):
        httpx.post(vm.url + "/api/v2/write?precision=ms", content=line).raise_for_status()
    (series,) = vm.export('{__name__="dup_probe_value"}')
    assert series["timestamps"] == [ms, ms]


def batch(round_no: int, start: datetime, size: int = 500) -> list[Sample]:
    ts = start + timedelta(seconds=round_no)
    return [
        Sample(
            metric="if_in_bits_per_second",
            labels={"device": f"sw-{i % 50}", "ifname": f"Gi0/{i // 50}"},
            value=round_no * 10_000 + i + 0.25,
            ts=ts,
        )
        for i in range(size)
    ]


def exported(vm: VictoriaMetrics) -> Counter[tuple[str, str, int, float]]:
    got: Counter[tuple[str, str, int, float]] = Counter()
    for s in vm.export('{__name__="if_in_bits_per_second_value"}'):
        for t, v in zip(s["timestamps"], s["values"], strict=True):
            got[(s["metric"]["device"], s["metric"]["ifname"], t, v)] += 1
    return got


def expected(samples: list[Sample]) -> Counter[tuple[str, str, int, float]]:
    return Counter(
        (s.labels["device"], s.labels["ifname"], int(s.ts.timestamp() * 1000), s.value)
        for s in samples
    )


def test_server_stopped_mid_run_every_sample_arrives_exactly_once(
    vm: VictoriaMetrics, tmp_path: Path
) -> None:
    store = InfluxMetricStore(config(vm, tmp_path / "spool"))
    start, written = recent(), []
    for r in range(45):
        if r == 15:
            assert store.wait_delivered(20)
            vm.stop(signal.SIGTERM)
        if r == 30:
            pending = store.stats()
            assert pending["points_spooled"] + pending["points_buffered"] >= 5000
            vm.start()
        samples = batch(r, start)
        store.write(samples)
        written += samples
        time.sleep(0.02)
    assert store.wait_delivered(30)
    stats = store.stats()
    store.close()
    assert stats["send_errors_total"] >= 1  # the outage was really hit
    assert stats["points_delivered_total"] == len(written) == 45 * 500
    assert stats["points_dropped_total"] == stats["points_rejected_total"] == 0
    got = exported(vm)
    assert got == expected(written)
    assert max(got.values()) == 1


def test_spool_survives_a_process_restart_while_the_server_is_down(
    vm: VictoriaMetrics, tmp_path: Path
) -> None:
    vm.stop(signal.SIGKILL)
    conf = config(vm, tmp_path / "spool", close_timeout="PT0.3S")
    first = InfluxMetricStore(conf)
    samples = batch(0, recent(), 1200)
    first.write(samples)
    first.close()  # server away: the batches stay on disk
    assert sorted(p.name for p in (tmp_path / "spool").iterdir())[0].endswith("-500.lp")
    vm.start()
    second = InfluxMetricStore(conf)
    assert second.wait_delivered(20)
    assert second.stats()["points_delivered_total"] == 1200
    second.close()
    assert exported(vm) == expected(samples)
