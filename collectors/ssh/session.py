"""One blocking SSH session (runs in a worker thread): log in once, run the profile's
commands and napalm getters over that one connection, log out.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netmiko import ConnectHandler
from netmiko.base_connection import BaseConnection
from pydantic import SecretStr

from collectors.ssh.failures import RETRYABLE, SessionFailure, classify
from collectors.ssh.hostkeys import KnownHosts
from collectors.ssh.profile import SshProfile


@dataclass(frozen=True)
class Target:
    host: str
    port: int
    username: str
    password: SecretStr | None = None
    key_file: Path | None = None
    key_passphrase: SecretStr | None = None

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class Timeouts:
    connect: float = 10.0
    auth: float = 10.0
    banner: float = 10.0
    read: float = 30.0  # per command: a device silent this long mid-output has hung


@dataclass
class SessionOutput:
    outputs: dict[str, str] = field(default_factory=dict)  # command -> text
    rejected: dict[str, str] = field(default_factory=dict)  # command -> the device's complaint
    getters: dict[str, Any] = field(default_factory=dict)  # napalm getter -> result
    getter_errors: dict[str, str] = field(default_factory=dict)
    attempts: int = 0
    prompt: str = ""  # the device's base prompt: its hostname on most platforms


class Session:
    """A cancellable SSH session: :meth:`abort` from another thread unblocks a stuck read."""

    def __init__(
        self, target: Target, profile: SshProfile, known_hosts: KnownHosts, timeouts: Timeouts
    ) -> None:
        self.target = target
        self.profile = profile
        self.known_hosts = known_hosts
        self.timeouts = timeouts
        self._conn: BaseConnection | None = None
        self._lock = threading.Lock()
        self._aborted = False

    def abort(self) -> None:
        with self._lock:
            self._aborted = True
            conn = self._conn
        if conn is not None:
            with contextlib.suppress(Exception):  # best effort, from another thread
                remote = conn.remote_conn
                if remote is not None:
                    remote.close()

    def _connect(self) -> BaseConnection:
        t, to = self.target, self.timeouts
        conn = ConnectHandler(
            device_type=self.profile.netmiko_device_type,
            host=t.host,
            port=t.port,
            username=t.username,
            password=t.password.get_secret_value() if t.password else "",
            secret=t.password.get_secret_value() if t.password else "",
            key_file=str(t.key_file) if t.key_file else None,
            use_keys=t.key_file is not None,
            passphrase=t.key_passphrase.get_secret_value() if t.key_passphrase else None,
            allow_agent=False,
            conn_timeout=to.connect,
            auth_timeout=to.auth,
            banner_timeout=to.banner,
            read_timeout_override=to.read,
            fast_cli=True,
            auto_connect=False,
        )
        conn.key_policy = self.known_hosts.paramiko_policy(t.port)
        with self._lock:
            if self._aborted:
                raise SessionFailure("timeout", f"poll of {t.where} was cancelled")
            self._conn = conn
        conn._open()
        if self.profile.enable and not conn.check_enable_mode():
            conn.enable()
        return conn

    def _napalm(self, conn: BaseConnection, out: SessionOutput, getters: Sequence[str]) -> None:
        import napalm  # heavy: imported only when a profile asks for it

        t = self.target
        driver_cls = napalm.get_network_driver(self.profile.napalm_driver)
        driver = driver_cls(t.host, t.username, "", timeout=int(self.timeouts.read))
        driver.device = conn  # the session's connection: no second login
        driver._netmiko_device = conn
        for name in getters:
            try:
                out.getters[name] = getattr(driver, name)()
            except Exception as err:  # one getter's trouble is not the poll's
                out.getter_errors[name] = f"{type(err).__name__}: {str(err)[:200]}"

    def run(
        self, commands: list[str], getters: Sequence[str], retries: int, backoff: float
    ) -> SessionOutput:
        """Log in (retrying transient failures), run everything, log out. Raises SessionFailure."""
        out = SessionOutput()
        delay = backoff
        conn: BaseConnection | None = None
        while conn is None:
            out.attempts += 1
            try:
                conn = self._connect()
            except Exception as err:
                failure = classify(err, self.target.where, self.target.username, connected=False)
                self._close()
                if failure.kind not in RETRYABLE or out.attempts > retries or self._aborted:
                    raise failure from None
                time.sleep(delay)
                delay *= 2
        out.prompt = str(getattr(conn, "base_prompt", "") or "")
        command: str | None = None
        try:
            for command in commands:
                text = str(conn.send_command(command, read_timeout=self.timeouts.read))
                complaint = self.profile.rejected(text)
                if complaint is not None:
                    out.rejected[command] = complaint
                else:
                    out.outputs[command] = text
            command = None
            if getters and self.profile.napalm_driver:
                self._napalm(conn, out, getters)
        except Exception as err:
            t = self.target
            raise classify(err, t.where, t.username, connected=True, command=command) from None
        finally:
            self._close()
        return out

    def _close(self) -> None:
        with self._lock:
            conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):  # the session is over either way
                conn.disconnect()
