"""The trap receiver (pysnmp): authenticated against the inventory, observations at once.

A trap is accepted only when its sender address is an inventory device and it authenticated
with that device's own community (v1/v2c) or SNMPv3 user; anything else is counted and
dropped. Accepted traps matching a rule become a :class:`TrapObservation` handed to ``sink``.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pysnmp.carrier.asyncio.dgram import udp  # type: ignore[import-untyped]
from pysnmp.entity import config, engine  # type: ignore[import-untyped]
from pysnmp.entity.rfc3413 import ntfrcv  # type: ignore[import-untyped]
from pysnmp.proto import rfc1902  # type: ignore[import-untyped]

from collectors.snmp.credentials import auth_from
from collectors.snmp.pysnmp_engine import _AUTH, _PRIV
from collectors.snmp.traps.rules import TrapRule, TrapRules, load_rules
from noc.clock import Clock, SystemClock
from noc.errors import ConfigError
from noc.model import Inventory, ObjectKind, ObjectRef, Sample, StateChange

log = logging.getLogger(__name__)
SNMP_TRAP_OID = "1.3.6.1.6.3.1.1.4.1.0"


class TrapConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    host: str = "127.0.0.1"
    port: int = Field(11162, ge=0, le=65535)  # 0: any free port (tests)
    v3_engine_ids: dict[str, str] = Field(default_factory=dict)  # device -> sender engine id (hex)


class TrapObservation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    device: str
    sender: str
    trap: str  # rule name, e.g. link_down, ups_on_battery
    trap_oid: str
    ts: datetime
    samples: list[Sample] = Field(default_factory=list)
    changes: list[StateChange] = Field(default_factory=list)
    varbinds: dict[str, str] = Field(default_factory=dict)


@dataclass
class TrapStats:
    accepted: int = 0
    unmatched: int = 0  # authenticated, but no rule for this trap
    dropped_unknown_sender: int = 0  # address not in inventory, or the wrong device's secret
    dropped_by_sender: dict[str, int] = field(default_factory=dict)


Sink = Callable[[TrapObservation], Coroutine[Any, Any, None]]


def _text(v: Any) -> str:
    if isinstance(v, rfc1902.OctetString):
        raw = bytes(v.asOctets())
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw.hex(":")
    return str(v.prettyPrint() if hasattr(v, "prettyPrint") else v)


class TrapReceiver:
    def __init__(
        self,
        inventory: Inventory,
        sink: Sink,
        config: TrapConfig | None = None,
        clock: Clock | None = None,
        rules: TrapRules | None = None,
    ) -> None:
        self.inventory = inventory
        self.sink = sink
        self.config = config or TrapConfig()
        self.clock = clock or SystemClock()
        self.rules = rules or load_rules()
        self.stats = TrapStats()
        self._engine: engine.SnmpEngine | None = None
        self._by_address = {str(d.address): d for d in inventory.devices}
        self._owner: dict[str, set[str]] = {}  # pysnmp security name -> device ids
        self._tasks: set[asyncio.Task[None]] = set()
        self._last_state: dict[str, str] = {}  # object -> the state its last trap said
        self.address: tuple[str, int] | None = None
        self._dropped_before = 0  # engine drop counters of a stopped engine

    async def start(self) -> None:
        eng = engine.SnmpEngine()
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            sock.bind((self.config.host, self.config.port))
        except OSError as err:
            sock.close()
            raise ConfigError(
                f"cannot listen for SNMP traps on {self.config.host}:{self.config.port} "
                f"({err.strerror or err})",
                hint="choose another trap port",
            ) from None
        sock.setblocking(False)
        self.address = sock.getsockname()[:2]
        transport = udp.UdpTransport().open_server_mode(sock=sock)
        config.add_transport(eng, udp.DOMAIN_NAME, transport)
        self._configure(eng)
        ntfrcv.NotificationReceiver(eng, self._on_trap)
        eng.transport_dispatcher.job_started(1)
        self._engine = eng
        log.info("SNMP trap receiver listening on %s:%s", *self.address)

    def _configure(self, eng: engine.SnmpEngine) -> None:
        communities: dict[str, str] = {}
        for dev in self.inventory.devices:
            cred = self.inventory.snmp_credentials(dev)
            if cred is None:
                continue
            try:
                auth = auth_from(cred)
            except ConfigError as err:
                log.warning("traps from %s cannot be authenticated: %s", dev.id, err)
                continue
            if auth.version != "v3":
                if auth.community not in communities:
                    communities[auth.community] = f"c{len(communities)}"
                    name = communities[auth.community]
                    config.add_v1_system(eng, name, auth.community, securityName=name)
                name = communities[auth.community]
                self._owner.setdefault(name, set()).add(dev.id)
                continue
            engine_id = self.config.v3_engine_ids.get(dev.id)
            if engine_id is None:
                continue  # a v3 trap is authenticated with the sender's engine id
            config.add_v3_user(
                eng,
                auth.user,
                _AUTH[auth.auth_protocol] if auth.auth_protocol else config.USM_AUTH_NONE,
                auth.auth_key or None,
                _PRIV[auth.priv_protocol] if auth.priv_protocol else config.USM_PRIV_NONE,
                auth.priv_key or None,
                securityEngineId=rfc1902.OctetString(hexValue=engine_id.removeprefix("0x")),
            )
            self._owner.setdefault(auth.user, set()).add(dev.id)

    def _on_trap(
        self, eng: Any, state_ref: Any, ctx_engine: Any, ctx_name: Any, var_binds: Any, cb: Any
    ) -> None:
        ctx = eng.observer.get_execution_context("rfc3412.receiveMessage:request")
        sender = str(ctx["transportAddress"][0])
        security_name = str(ctx["securityName"])
        device = self._by_address.get(sender)
        if device is None or device.id not in self._owner.get(security_name, set()):
            self.stats.dropped_unknown_sender += 1
            self.stats.dropped_by_sender[sender] = self.stats.dropped_by_sender.get(sender, 0) + 1
            log.warning("dropped a trap from %s: not an inventory device with that secret", sender)
            return
        binds = {str(n): _text(v) for n, v in var_binds}
        trap_oid = binds.get(SNMP_TRAP_OID, "")
        rule = self.rules.match(trap_oid, binds)
        if rule is None:
            self.stats.unmatched += 1
            return
        self.stats.accepted += 1
        obs = self._observation(rule, device.id, device.site, sender, trap_oid, binds)
        task = asyncio.get_running_loop().create_task(self.sink(obs))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _observation(
        self,
        rule: TrapRule,
        device: str,
        site: str,
        sender: str,
        trap_oid: str,
        binds: dict[str, str],
    ) -> TrapObservation:
        ts = self.clock.now()
        labels = {"device": device, "site": site, "state": rule.state}
        obj = ObjectRef(kind=ObjectKind.device, id=device)
        if rule.index_oid:
            index = next(
                (k[len(rule.index_oid) + 1 :] for k in binds if k.startswith(rule.index_oid + ".")),
                None,
            )
            if index is not None:
                labels[rule.index_label] = index
                name = next(
                    (binds[k] for o in rule.name_oids for k in binds if k == f"{o}.{index}"),
                    None,
                )
                if name:
                    labels["interface"] = name
                obj = ObjectRef(kind=ObjectKind.interface, id=f"{device}:{name or index}")
        if rule.object == "power_source":
            obj = ObjectRef(kind=ObjectKind.power_source, id=device)
        sample = Sample(metric=rule.metric, labels=labels, value=rule.value, ts=ts)
        changes = []
        old = self._last_state.get(str(obj), "unknown")
        if rule.object is not None and old != rule.state:
            self._last_state[str(obj)] = rule.state
            changes.append(
                StateChange(
                    object=obj,
                    old=old,
                    new=rule.state,
                    ts=ts,
                    cause=f"trap {rule.name} from {sender}",
                )
            )
        return TrapObservation(
            device=device,
            sender=sender,
            trap=rule.name,
            trap_oid=trap_oid,
            ts=ts,
            samples=[sample],
            changes=changes,
            varbinds=binds,
        )

    def dropped_total(self) -> int:
        """Every dropped trap: wrong sender here, plus bad community / v3 user in pysnmp."""
        return self.stats.dropped_unknown_sender + self._engine_drops()

    def _engine_drops(self) -> int:
        total = self._dropped_before
        if self._engine is not None:
            mib = self._engine.get_mib_builder()
            for mod, sym in (
                ("__SNMPv2-MIB", "snmpInBadCommunityNames"),
                ("__SNMP-USER-BASED-SM-MIB", "usmStatsUnknownUserNames"),
                ("__SNMP-USER-BASED-SM-MIB", "usmStatsWrongDigests"),
                ("__SNMP-USER-BASED-SM-MIB", "usmStatsDecryptionErrors"),
            ):
                try:
                    (obj,) = mib.import_symbols(mod, sym)
                    total += int(obj.syntax)
                except Exception as err:  # a pysnmp without that counter
                    log.debug("no %s counter in pysnmp: %s", sym, err)
        return total

    async def stop(self) -> None:
        for task in list(self._tasks):
            await task
        if self._engine is not None:
            self._dropped_before = self._engine_drops()
            self._engine.transport_dispatcher.job_finished(1)
            self._engine.close_dispatcher()
            self._engine = None
