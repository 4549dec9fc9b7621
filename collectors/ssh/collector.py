"""The SSH collector: one device's profile over one SSH session per poll, never raising."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from collectors.base import CollectResult
from collectors.ssh.assemble import assemble
from collectors.ssh.failures import SessionFailure
from collectors.ssh.hostkeys import HostKeyPolicy, KnownHosts
from collectors.ssh.limits import SessionLimits
from collectors.ssh.models import Facts
from collectors.ssh.profile import SshProfile, load_profiles, profile_for
from collectors.ssh.session import Session, SessionOutput, Target, Timeouts
from noc.clock import Clock, SystemClock
from noc.errors import ConfigError
from noc.logs import redact, scrub
from noc.model import Neighbor, Sample

if TYPE_CHECKING:
    from datetime import datetime

    from noc.model import Device, Inventory

log = logging.getLogger(__name__)


class SshConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_sessions: int = Field(16, ge=1, le=1024)  # open at once, whole process
    max_sessions_per_device: int = Field(1, ge=1, le=8)
    connect_timeout_seconds: float = Field(10.0, gt=0, le=120)
    auth_timeout_seconds: float = Field(10.0, gt=0, le=120)
    read_timeout_seconds: float = Field(30.0, gt=0, le=600)  # per command
    poll_timeout_seconds: float = Field(180.0, gt=0, le=3600)  # whole poll, queueing excluded
    retries: int = Field(2, ge=0, le=5)  # extra login attempts after a transient failure
    backoff_seconds: float = Field(1.0, ge=0, le=60)  # doubles each retry
    host_key_policy: HostKeyPolicy = HostKeyPolicy.accept_new
    known_hosts: Path | None = Path("var/ssh_known_hosts")
    profiles_dir: Path | None = None  # extra profiles; same name replaces a built-in one
    use_napalm: bool = True


class SshCollectResult(CollectResult):
    """A CollectResult plus what SSH alone gives: neighbors and the device's facts."""

    neighbors: list[Neighbor] = Field(default_factory=list)
    facts: Facts | None = None
    rejected: dict[str, str] = Field(default_factory=dict)  # command -> the device's complaint
    notes: list[str] = Field(default_factory=list)  # parse and napalm getter trouble


class SshCollector:
    name = "ssh"

    def __init__(
        self,
        inventory: Inventory,
        config: SshConfig | None = None,
        clock: Clock | None = None,
        *,
        base_dir: Path | None = None,
        profiles: dict[str, SshProfile] | None = None,
    ) -> None:
        self.inventory = inventory
        self.config = config or SshConfig()
        self.clock = clock or SystemClock()
        self.base_dir = base_dir
        self._profiles = profiles
        self._known_hosts: KnownHosts | None = None
        self.limits = SessionLimits(self.config.max_sessions, self.config.max_sessions_per_device)

    @property
    def profiles(self) -> dict[str, SshProfile]:
        if self._profiles is None:
            self._profiles = load_profiles(self.config.profiles_dir)
        return self._profiles

    @property
    def known_hosts(self) -> KnownHosts:
        if self._known_hosts is None:
            path = self.config.known_hosts
            if path is not None and self.base_dir is not None and not path.is_absolute():
                path = self.base_dir / path
            self._known_hosts = KnownHosts(path, self.config.host_key_policy)
        return self._known_hosts

    def wants(self, device: Device) -> bool:
        """Whether ``device`` is polled over SSH: it has ssh access and a profile exists."""
        if device.ssh is None:
            return False
        try:
            profile_for(self.profiles, device.platform, device.profile)
        except ConfigError:
            return False
        return True

    def _target(self, device: Device) -> Target:
        creds = self.inventory.ssh_credentials(device)
        if device.ssh is None or creds is None:
            raise ConfigError(f"device {device.id} has no ssh access or no ssh credential set")
        password = creds.password.resolve(self.base_dir) if creds.password else None
        key_file = creds.key_file.resolve(self.base_dir) if creds.key_file else None
        phrase = creds.key_passphrase.resolve(self.base_dir) if creds.key_passphrase else None
        for secret in (password, phrase):
            if secret is not None:
                redact(secret.get_secret_value())
        return Target(
            host=str(device.address),
            port=self.inventory.ssh_port(device),
            username=creds.username,
            password=password,
            key_file=Path(key_file.get_secret_value()) if key_file else None,
            key_passphrase=phrase,
        )

    def _result(
        self, device: Device, started: datetime, t0: float, **kw: object
    ) -> SshCollectResult:
        if "error" in kw and isinstance(kw["error"], str):
            kw["error"] = scrub(kw["error"])
        return SshCollectResult.model_validate(
            {
                "device": device.id,
                "collector": self.name,
                "started_at": started,
                "duration_seconds": time.monotonic() - t0,
                **kw,
            }
        )

    async def collect(self, device: Device, profile: str | None = None) -> SshCollectResult:
        started = self.clock.now()
        t0 = time.monotonic()
        try:
            prof = profile_for(self.profiles, device.platform, profile)
            target = self._target(device)
        except ConfigError as err:
            return self._result(
                device, started, t0, failed=True, error=str(err), error_kind="config"
            )
        commands = [c.command for c in prof.commands]
        getters = list(prof.napalm_getters) if self.config.use_napalm else []
        cfg = self.config
        timeouts = Timeouts(
            connect=cfg.connect_timeout_seconds,
            auth=cfg.auth_timeout_seconds,
            banner=cfg.connect_timeout_seconds,
            read=cfg.read_timeout_seconds,
        )
        async with self.limits.slot(device.id):
            session = Session(target, prof, self.known_hosts, timeouts)
            loop = asyncio.get_running_loop()
            job = loop.run_in_executor(
                self.limits.executor,
                session.run,
                commands,
                getters,
                cfg.retries,
                cfg.backoff_seconds,
            )
            try:
                out: SessionOutput = await asyncio.wait_for(job, cfg.poll_timeout_seconds)
            except TimeoutError:
                session.abort()
                return self._fail(
                    device,
                    started,
                    t0,
                    SessionFailure(
                        "timeout",
                        f"SSH poll of {target.where} took longer than "
                        f"{cfg.poll_timeout_seconds:g} s",
                    ),
                )
            except SessionFailure as failure:
                return self._fail(device, started, t0, failure)
            except Exception as err:  # a bug in this collector, never the device's fault
                log.exception("ssh collector bug polling %s", device.id)
                return self._result(
                    device,
                    started,
                    t0,
                    failed=True,
                    error_kind="internal",
                    error=f"SSH collector error ({type(err).__name__})",
                )
        try:
            samples, neighbors, facts, notes = assemble(device.id, prof, out, started)
        except Exception as err:  # a parser or profile bug: the device did answer
            log.exception("ssh collector bug reading %s", device.id)
            return self._result(
                device,
                started,
                t0,
                failed=True,
                error_kind="internal",
                error=f"SSH collector could not read the answers ({type(err).__name__})",
            )
        samples.append(self._up(device, started, 1.0))
        error, kind = None, None
        if out.rejected:
            first = next(iter(out.rejected.items()))
            kind = "command"
            error = (
                f"{device.id} rejected {len(out.rejected)} command(s), first '{first[0]}': "
                f"{first[1]} (fix the device's SSH profile)"
            )
            log.warning("ssh poll of %s: %s", device.id, scrub(error))
        return self._result(
            device,
            started,
            t0,
            failed=kind is not None,
            error=error,
            error_kind=kind,
            samples=samples,
            neighbors=neighbors,
            facts=facts,
            rejected=out.rejected,
            notes=notes,
        )

    def _up(self, device: Device, ts: datetime, value: float) -> Sample:
        return Sample(
            metric="ssh_up", labels={"device": device.id, "site": device.site}, value=value, ts=ts
        )

    def _fail(
        self, device: Device, started: datetime, t0: float, failure: SessionFailure
    ) -> SshCollectResult:
        log.warning(
            "ssh poll of %s failed (%s): %s", device.id, failure.kind, scrub(failure.message)
        )
        return self._result(
            device,
            started,
            t0,
            failed=True,
            error=failure.message,
            error_kind=failure.kind,
            samples=[self._up(device, started, 0.0)],
        )

    async def close(self) -> None:
        self.limits.shutdown()
