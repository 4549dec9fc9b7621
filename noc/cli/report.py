"""``noc report monthly --month 2026-10 --format pdf|html``: the management SLA report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from noc.cli.common import add_data_dir, open_events, settings_from
from noc.clock import SystemClock
from noc.inventory import load_inventory
from noc.runtime import metric_store_config
from noc.store.metric_backends import open_metric_store
from sla.capacity import DEFAULT_METRIC
from sla.periods import parse_month
from sla.report.build import filename, monthly_report, render


def add(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser("report", help="SLA reports for management")
    kinds = p.add_subparsers(dest="kind", required=True, metavar="KIND")
    m = kinds.add_parser(
        "monthly",
        help="the monthly SLA report (HTML or PDF, Indonesian or English)",
        description="Availability and response time per service for one month (in the city's "
        "time zone), year to date against the annual budget, and capacity findings.",
    )
    m.add_argument("--month", required=True, help="YYYY-MM, e.g. 2026-10")
    m.add_argument("--format", choices=("pdf", "html"), default="pdf")
    m.add_argument("--lang", choices=("id", "en"), help="default: the inventory's locale")
    m.add_argument(
        "--out",
        type=Path,
        help="file to write (default: a name like "
        "laporan-sla-2026-10-id.pdf in the current directory; '-' for stdout)",
    )
    m.add_argument("--inventory", type=Path, help="default: $NOC_INVENTORY or inventory.yaml")
    m.add_argument("--metric", default=DEFAULT_METRIC, help="link utilization metric (ratio)")
    m.add_argument("--no-capacity", action="store_true", help="skip capacity findings")
    add_data_dir(m)
    m.set_defaults(func=_monthly)


def _monthly(args: argparse.Namespace) -> int:
    settings = settings_from(args, inventory=args.inventory)
    inventory = load_inventory(settings.inventory)
    year, month = parse_month(args.month)
    lang = args.lang or inventory.settings.locale
    events = open_events(settings)
    metrics = None if args.no_capacity else open_metric_store(metric_store_config(settings))
    try:
        report = monthly_report(
            events, inventory, year, month, SystemClock().now(), metrics, metric=args.metric
        )
    finally:
        events.close()
        if metrics is not None:
            metrics.close()
    data = render(report, args.format, lang)
    if args.out is not None and str(args.out) == "-":
        sys.stdout.buffer.write(data)
        return 0
    out: Path = args.out or Path(filename(report, args.format, lang))
    out.write_bytes(data)
    print(f"{out}: {len(report.meeting)}/{len(report.services)} services met their target")
    return 0
