"""Host key checking for SSH sessions: strict, accept-new (default) or ignore.

Keys are kept in the project's own known_hosts file (OpenSSH format, ``[host]:port`` for a
port other than 22), shared by every session of the process and appended under a lock.
"""

from __future__ import annotations

import threading
from enum import StrEnum
from pathlib import Path

import paramiko


class HostKeyPolicy(StrEnum):
    strict = "strict"  # unknown or changed key: refuse
    accept_new = "accept-new"  # unknown key: record it; changed key: refuse
    ignore = "ignore"  # accept any key, record nothing (lab only)


class HostKeyUnknown(paramiko.SSHException):
    """The host is not in known_hosts and the policy is strict."""


class HostKeyChanged(paramiko.SSHException):
    """The host presents a key other than the one recorded."""


def host_entry(host: str, port: int) -> str:
    return host if port == 22 else f"[{host}]:{port}"


class KnownHosts:
    """A known_hosts file and the policy applied to it; thread-safe."""

    def __init__(self, path: Path | None, policy: HostKeyPolicy) -> None:
        self.path = path
        self.policy = policy
        self._lock = threading.Lock()
        self._keys = paramiko.HostKeys()
        if path is not None and path.exists():
            self._keys.load(str(path))

    def check(self, host: str, port: int, key: paramiko.PKey) -> None:
        """Accept ``key`` for ``host:port`` or raise HostKeyUnknown / HostKeyChanged."""
        if self.policy is HostKeyPolicy.ignore:
            return
        entry = host_entry(host, port)
        with self._lock:
            known = self._keys.lookup(entry)
            if known is not None and key.get_name() in known:
                if known[key.get_name()] == key:
                    return
                raise HostKeyChanged(
                    f"the SSH host key of {entry} has changed since it was recorded"
                )
            if known is not None:  # another key type recorded: treat as a change
                raise HostKeyChanged(f"the SSH host key of {entry} has changed (other key type)")
            if self.policy is HostKeyPolicy.strict:
                raise HostKeyUnknown(f"the SSH host key of {entry} is not in known_hosts")
            self._keys.add(entry, key.get_name(), key)
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with self.path.open("a", encoding="utf-8") as fh:
                    fh.write(f"{entry} {key.get_name()} {key.get_base64()}\n")

    def paramiko_policy(self, port: int) -> paramiko.MissingHostKeyPolicy:
        """A paramiko policy for a client that loads no keys itself: every key comes here."""
        return _Policy(self, port)


class _Policy(paramiko.MissingHostKeyPolicy):
    def __init__(self, store: KnownHosts, port: int) -> None:
        self._store = store
        self._port = port

    def missing_host_key(
        self, client: paramiko.SSHClient, hostname: str, key: paramiko.PKey
    ) -> None:
        # paramiko passes "[host]:port" for non-22 ports; take the bare host back out.
        host = hostname[1:].split("]:", 1)[0] if hostname.startswith("[") else hostname
        self._store.check(host, self._port, key)
