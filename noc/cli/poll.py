"""``noc poll ADDRESS[:PORT]``: poll one device once, outside the inventory, and show what
the platform would store (metric, labels, value, unit) and which profile read it and why."""

from __future__ import annotations

import argparse
import asyncio
import json
from datetime import UTC, datetime
from typing import Any

from collectors.snmp.catalog import Catalog
from collectors.snmp.client import SnmpAuth, SnmpTarget
from collectors.snmp.decode import Reading
from collectors.snmp.engines import make_engine
from collectors.snmp.poller import Poller, PollOutcome
from collectors.snmp.rates import RateTracker
from noc.errors import ConfigError
from noc.logs import redact
from noc.model import AuthProtocol, PrivProtocol, SecretRef


def add(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "poll",
        help="poll one device over SNMP once and show what would be stored",
        description=(
            "Poll one device once, outside the inventory. Secrets may be given as env:NAME or "
            "file:PATH so they stay out of the command line. Exit 0 when the device answered."
        ),
    )
    p.add_argument("address", help="ADDRESS[:PORT] (port 161 by default; [v6addr]:port)")
    p.add_argument("--community", help="v1/v2c community, or env:NAME / file:PATH")
    p.add_argument("--version", choices=("1", "2c"), default="2c", help="with --community")
    p.add_argument("--v3-user", help="SNMPv3 user name")
    p.add_argument("--auth-proto", choices=[a.value for a in AuthProtocol], default="SHA")
    p.add_argument("--auth-key", help="SNMPv3 auth key, or env:NAME / file:PATH")
    p.add_argument("--priv-proto", choices=[a.value for a in PrivProtocol], default="AES")
    p.add_argument("--priv-key", help="SNMPv3 privacy key, or env:NAME / file:PATH")
    p.add_argument("--context", default="", help="SNMPv3 context name")
    p.add_argument("--profile", default="auto", help="auto (by sysObjectID) or a profile name")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--timeout", type=float, default=2.0, help="seconds per request")
    p.add_argument("--retries", type=int, default=1)
    p.add_argument("--engine", choices=("gufo", "pysnmp"), default="gufo")
    p.add_argument(
        "--rate-interval",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="poll twice this far apart to show rates and utilization too",
    )
    p.set_defaults(func=run)


def _secret(value: str | None, what: str) -> str:
    if not value:
        return ""
    if value.startswith(("env:", "file:")):
        try:
            secret = SecretRef(value).resolve().get_secret_value()
        except ValueError as err:
            raise ConfigError(f"{what}: {err}") from None
    else:
        secret = value
    redact(secret)
    return secret


def parse_address(text: str) -> tuple[str, int]:
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        return host, int(rest[1:]) if rest.startswith(":") else 161
    if text.count(":") == 1:
        host, _, port = text.partition(":")
        if not port.isdigit():
            raise ConfigError(f"port in {text!r} is not a number")
        return host, int(port)
    return text, 161


def auth_of(args: argparse.Namespace) -> SnmpAuth:
    if args.v3_user:
        auth_key = _secret(args.auth_key, "--auth-key")
        priv_key = _secret(args.priv_key, "--priv-key")
        if priv_key and not auth_key:
            raise ConfigError("--priv-key needs --auth-key too (authPriv)")
        return SnmpAuth(
            "v3",
            user=args.v3_user,
            auth_protocol=AuthProtocol(args.auth_proto) if auth_key else None,
            auth_key=auth_key,
            priv_protocol=PrivProtocol(args.priv_proto) if priv_key else None,
            priv_key=priv_key,
            context=args.context,
        )
    community = _secret(args.community, "--community") or "public"
    return SnmpAuth("v1" if args.version == "1" else "v2c", community=community)


async def poll_once(args: argparse.Namespace) -> PollOutcome:
    host, port = parse_address(args.address)
    target = SnmpTarget(host, port, auth_of(args), timeout=args.timeout, retries=args.retries)
    catalog = Catalog.load()
    if args.profile != "auto":
        catalog.resolve(args.profile)
    engine = make_engine(args.engine)
    session = engine.session(target)
    poller = Poller(catalog, RateTracker())
    base = {"device": host}
    try:
        out = await poller.poll(session, host, base, datetime.now(UTC), override=args.profile)
        if args.rate_interval > 0 and out.error is None:
            await asyncio.sleep(args.rate_interval)
            out = await poller.poll(session, host, base, datetime.now(UTC), override=args.profile)
    finally:
        await session.close()
        await engine.close()
    return out


def _row(r: Reading) -> dict[str, Any]:
    row: dict[str, Any] = {
        "metric": r.metric,
        "labels": r.labels,
        "value": r.value,
        "unit": r.unit,
        "type": r.kind,
    }
    if "state" in r.extra:
        row["state"] = r.extra["state"]
    return row


def render_json(address: str, out: PollOutcome) -> str:
    doc = {
        "target": address,
        "ok": out.error is None,
        "error": str(out.error) if out.error else None,
        "error_kind": out.error.kind if out.error else None,
        "sys_object_id": out.sys_object_id,
        "profile": out.choice.profile if out.choice else None,
        "reason": out.choice.reason if out.choice else None,
        "requests": out.requests,
        "samples": sorted(
            (_row(r) for r in out.readings),
            key=lambda d: (d["metric"], sorted(d["labels"].items())),
        ),
        "neighbors": [n.model_dump(mode="json", exclude={"ts"}) for n in out.neighbors],
    }
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False)


def render_table(address: str, out: PollOutcome) -> str:
    lines = [f"target: {address}", f"sysObjectID: {out.sys_object_id or '-'}"]
    if out.choice:
        lines.append(f"profile: {out.choice.profile} ({out.choice.reason})")
    rows = sorted(
        (_row(r) for r in out.readings), key=lambda d: (d["metric"], sorted(d["labels"].items()))
    )
    for d in rows:
        labels = ",".join(f"{k}={v}" for k, v in d["labels"].items() if k != "device")
        value = f"{d['value']:.6g}"
        lines.append(f"{d['metric']:<36} {value:>14} {d['unit']:<16} {labels}")
    for n in out.neighbors:
        lines.append(
            f"neighbor {n.protocol.value}: {n.local_interface} -> {n.remote_system} {n.remote_port}"
        )
    if out.error:
        lines.append(f"error ({out.error.kind}): {out.error}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    out = asyncio.run(poll_once(args))
    render = render_json if args.format == "json" else render_table
    print(render(args.address, out))
    return 0 if out.error is None else 1
