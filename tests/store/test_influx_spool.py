"""The on-disk spool of the influxdb backend, and its line-protocol mapping."""

from __future__ import annotations

import logging
import math
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from noc.errors import StoreError
from noc.model.observations import Sample
from noc.store.influx.lineproto import LineEncoder
from noc.store.influx.spool import Spool
from noc.store.influx.store import InfluxMetricStore, resolve_token
from noc.store.metrics import InfluxMetricStoreConfig


def test_batches_come_back_in_order_and_survive_a_restart(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool", 1 << 20)
    for i in range(5):
        spool.append(f"m value={i} {i}".encode(), 1 + i)
    seq, data, points = spool.oldest() or (0, b"", 0)
    assert (data, points) == (b"m value=0 0", 1)
    spool.remove(seq)
    spool.release()
    (tmp_path / "spool" / "0000000000000099.tmp").write_bytes(b"half written")

    again = Spool(tmp_path / "spool", 1 << 20)  # a new process
    assert again.pending() == (4, 2 + 3 + 4 + 5, 4 * len(b"m value=1 1"))
    seen = []
    while (item := again.oldest()) is not None:
        seen.append(item[1])
        again.remove(item[0])
    assert seen == [f"m value={i} {i}".encode() for i in range(1, 5)]
    again.append(b"next", 1)
    assert (again.oldest() or (0, b"", 0))[1] == b"next"  # numbering continues after restart
    assert not list((tmp_path / "spool").glob("*.tmp"))


def test_a_released_batch_stays_first(tmp_path: Path) -> None:
    spool = Spool(tmp_path, 1 << 20)
    spool.append(b"a", 1)
    spool.append(b"b", 1)
    first = spool.oldest()
    spool.release()
    assert spool.oldest() == first


def test_over_the_bound_the_oldest_are_dropped_counted_and_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    spool = Spool(tmp_path, max_bytes=2500)
    inflight = None
    with caplog.at_level(logging.WARNING):
        for i in range(10):
            spool.append(bytes([65 + i]) * 1000, 10)
            if i == 0:
                inflight = spool.oldest()  # being sent: never dropped under the sender's feet
    batches, points, size = spool.pending()
    assert (batches, points, size) == (2, 20, 2000)  # in-flight batch + the newest
    assert spool.dropped_points == 80
    assert "dropped the oldest 10 samples (80 dropped so far)" in caplog.text
    assert inflight is not None and spool.oldest() == inflight
    spool.remove(inflight[0])
    assert (spool.oldest() or (0, b"", 0))[1] == b"J" * 1000


def test_unusable_spool_directory_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match=r"cannot open the metric spool .*file/spool"):
        Spool(blocker / "spool", 1 << 20)


def test_line_protocol_layout() -> None:
    ts = datetime(2026, 10, 1, 0, 0, 1, 234567, tzinfo=UTC)
    samples = [
        Sample(
            metric="if_in_bits_per_second", labels={"z": "1", "a": "x y,z=w\\"}, value=1.5, ts=ts
        ),
        Sample(metric="up", labels={"gone": "", "b": "2"}, value=1e20, ts=ts),
        Sample(metric="up", value=math.nan, ts=ts),
        Sample(metric="up", value=math.inf, ts=ts),
    ]
    lines, invalid = LineEncoder().encode(samples)
    assert lines == [
        "if_in_bits_per_second,a=x\\ y\\,z\\=w\\\\,z=1 value=1.5 1790812801234",
        "up,b=2 value=1e+20 1790812801234",
    ]
    assert invalid == 2


def test_token_references_resolve_and_errors_never_show_the_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def conf(token: str) -> InfluxMetricStoreConfig:
        return InfluxMetricStoreConfig(
            url="http://127.0.0.1:1", bucket="noc", token=token, spool_path=tmp_path
        )

    monkeypatch.setenv("NOC_TEST_INFLUX_TOKEN", "s3cret-from-env")
    (tmp_path / "tok").write_text("s3cret-from-file\n")
    assert resolve_token(conf("env:NOC_TEST_INFLUX_TOKEN")) == "s3cret-from-env"
    assert resolve_token(conf(f"file:{tmp_path / 'tok'}")) == "s3cret-from-file"
    assert resolve_token(conf("literal-s3cret")) == "literal-s3cret"
    assert "literal-s3cret" not in repr(conf("literal-s3cret"))
    with pytest.raises(StoreError) as err:
        resolve_token(conf("env:NOC_TEST_UNSET_VARIABLE_XYZ"))
    assert "unset variable" in str(err.value) and "XYZ" not in str(err.value)
    with pytest.raises(StoreError, match="cannot read the token file"):
        resolve_token(conf(f"file:{tmp_path / 'missing'}"))


def test_config_refuses_unknown_keys_and_bad_urls(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="Extra inputs"):
        InfluxMetricStoreConfig.model_validate(
            {"url": "http://x", "bucket": "b", "spool_path": tmp_path, "bucket_name": "b"}
        )
    with pytest.raises(ValueError, match="should match pattern"):
        InfluxMetricStoreConfig(url="ftp://x", bucket="b", spool_path=tmp_path)


class _Scripted(BaseHTTPRequestHandler):
    """Answers writes with the next status of ``script`` (then 204) and records the bodies."""

    script: ClassVar[list[int]] = []
    bodies: ClassVar[list[tuple[int, bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        status = self.script.pop(0) if self.script else 204
        self.bodies.append((status, body))
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_refused_batches_are_dropped_and_server_errors_retried_in_order(tmp_path: Path) -> None:
    _Scripted.script = [400, 503, 500]
    _Scripted.bodies = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Scripted)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    conf = InfluxMetricStoreConfig(
        url=f"http://127.0.0.1:{server.server_port}",
        bucket="noc",
        spool_path=tmp_path / "spool",
        batch_size=2,
        retry_initial=timedelta(milliseconds=10),
        retry_max=timedelta(milliseconds=40),
    )
    store = InfluxMetricStore(conf)
    ts = datetime(2026, 10, 1, tzinfo=UTC)
    store.write([Sample(metric="m", value=float(i), ts=ts) for i in range(4)])
    try:
        assert store.wait_delivered(10)
        stats = store.stats()
    finally:
        store.close()
        server.shutdown()
    first, second = b"m value=0.0 1790812800000\nm value=1.0 1790812800000", b"m value=2.0"
    assert [(st, body[:11]) for st, body in _Scripted.bodies] == [
        (400, first[:11]),  # refused for good: dropped, not retried
        (503, second),
        (500, second),  # retried with backoff, still first in line
        (204, second),
    ]
    assert stats["points_rejected_total"] == 2
    assert stats["points_delivered_total"] == 2
    assert stats["send_errors_total"] == 3
    assert stats["points_spooled"] == 0
