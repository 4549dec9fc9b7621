"""Metric store benchmark: the embedded SQLite store against VictoriaMetrics, in one run.

    .venv/bin/python bench/store.py [--quick]

Writes rounds of one sample for each of 100,000 series, in batches of 5,000. The first round
(which creates every series) is a warm-up and not counted; the other rounds give the sustained
rate. Inputs are built before the timed region on both sides: Sample objects for the embedded
store (pydantic validation is the collector's cost; its rate is printed separately) and line
protocol bytes for VictoriaMetrics (posted through influxdb-client, synchronous, one at a time).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from influxdb_client.client.influxdb_client import InfluxDBClient  # noqa: E402
from influxdb_client.client.write_api import SYNCHRONOUS  # noqa: E402
from influxdb_client.domain.write_precision import WritePrecision  # noqa: E402

from noc.model.observations import Sample  # noqa: E402
from noc.store.influx.lineproto import LineEncoder  # noqa: E402
from noc.store.influx.store import InfluxMetricStore  # noqa: E402
from noc.store.metrics import InfluxMetricStoreConfig, SqliteMetricStoreConfig  # noqa: E402
from noc.store.sqlite_metrics import SqliteMetricStore  # noqa: E402
from tests.integration.victoria import CANDIDATES, VictoriaMetrics  # noqa: E402
from tests.peers import free_port  # noqa: E402

SERIES, BATCH = 100_000, 5_000
MS = cast(WritePrecision, WritePrecision.MS)


def build(rounds: int) -> list[list[list[Sample]]]:
    labels = [
        {"device": f"sw-{i // 48:04d}", "ifname": f"Gi1/0/{i % 48}", "site": f"s{i // 4800}"}
        for i in range(SERIES)
    ]
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=rounds)
    out = []
    for r in range(rounds):
        ts = start + timedelta(minutes=r)
        samples = [
            Sample.model_construct(
                metric="if_in_bits_per_second", labels=labels[i], value=r * 1e6 + i * 0.5, ts=ts
            )
            for i in range(SERIES)
        ]
        out.append([samples[i : i + BATCH] for i in range(0, SERIES, BATCH)])
    return out


def validated_rate(n: int = 50_000) -> float:
    ts = datetime.now(UTC)
    t0 = time.perf_counter()
    for i in range(n):
        Sample(metric="m", labels={"device": "d", "i": str(i)}, value=1.0, ts=ts)
    return n / (time.perf_counter() - t0)


def timed(rounds: list[list[list[object]]], write: object) -> tuple[float, float]:
    """(warm-up seconds, sustained points/s) for ``write(batch)`` over every round."""
    assert callable(write)
    t0 = time.perf_counter()
    for batch in rounds[0]:
        write(batch)
    t1 = time.perf_counter()
    for rnd in rounds[1:]:
        for batch in rnd:
            write(batch)
    t2 = time.perf_counter()
    return t1 - t0, SERIES * (len(rounds) - 1) / (t2 - t1)


def dir_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 rounds instead of 11")
    args = parser.parse_args()
    rounds = 3 if args.quick else 11
    binary = next((b for b in CANDIDATES if shutil.which(b)), None)
    if binary is None:
        sys.exit("victoria-metrics is not installed (Debian package victoria-metrics)")
    work = Path(tempfile.mkdtemp(prefix="noc-bench-store-"))
    total = SERIES * rounds
    try:
        print(f"building {total:,} samples ({SERIES:,} series x {rounds} rounds) ...")
        data = build(rounds)
        encoder = LineEncoder()
        lines = [[b"\n".join(x.encode() for x in encoder.encode(b)[0]) for b in r] for r in data]
        print(
            f"  (outside the timed region) pydantic Sample(...) with validation: "
            f"{validated_rate():,.0f} samples/s"
        )

        store = SqliteMetricStore(SqliteMetricStoreConfig(path=work / "sqlite" / "m.db"))
        warm, emb = timed(data, store.write)  # type: ignore[arg-type]
        store.close()
        emb_bytes = dir_bytes(work / "sqlite") / total

        vm = VictoriaMetrics(binary, work / "vm", free_port())
        vm.start()
        try:
            client = InfluxDBClient(url=vm.url, token="x", org="bench", timeout=60_000)
            api = client.write_api(write_options=SYNCHRONOUS)
            vm_warm, vmr = timed(
                lines,  # type: ignore[arg-type]
                lambda b: api.write("bench", "bench", record=b, write_precision=MS),
            )
            client.close()  # type: ignore[no-untyped-call]
            vm.force_flush()
            time.sleep(1)
            vm_bytes = vm.disk_bytes() / total

            conf = InfluxMetricStoreConfig(url=vm.url, bucket="bench", spool_path=work / "spool")
            backend = InfluxMetricStore(conf)
            t0 = time.perf_counter()
            for batch in data[-1]:
                backend.write(batch)
            ok = backend.wait_delivered(120)
            ours = SERIES / (time.perf_counter() - t0)
            backend.close()
        finally:
            vm.stop()

        print(f"embedded sqlite   : {emb:12,.0f} points/s sustained (warm-up round {warm:.2f}s)")
        print(f"victoria-metrics  : {vmr:12,.0f} points/s sustained (warm-up round {vm_warm:.2f}s)")
        print(f"ratio             : {emb / vmr:12.2f} x VictoriaMetrics (target >= 0.2)")
        print(f"disk bytes/sample : {emb_bytes:12.1f} embedded, {vm_bytes:.1f} VictoriaMetrics")
        print(
            f"influxdb backend  : {ours:12,.0f} points/s encode+spool+send to VM"
            f"{'' if ok else ' (NOT all delivered)'}"
        )
        print(f"target embedded >= 150,000 points/s: {'met' if emb >= 150_000 else 'NOT met'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
