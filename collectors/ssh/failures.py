"""What went wrong with an SSH session, as an error kind and one sentence for a person.

Kinds: ``auth``, ``hostkey``, ``refused``, ``unreachable``, ``timeout``, ``command`` (the
device rejected a command), ``protocol`` (the session broke), ``config``, ``internal``.
"""

from __future__ import annotations

import socket

import paramiko
from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException, ReadTimeout

from collectors.ssh.hostkeys import HostKeyChanged, HostKeyUnknown

RETRYABLE = frozenset({"refused", "unreachable", "timeout", "protocol"})


class SessionFailure(Exception):
    """A classified failure of one SSH session; ``connected`` tells whether login succeeded."""

    def __init__(self, kind: str, message: str, *, connected: bool = False) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.connected = connected


def _chain(err: BaseException) -> list[BaseException]:
    """``err`` and the exceptions it was raised from (netmiko re-raises paramiko's)."""
    out = [err]
    while (nxt := out[-1].__cause__ or out[-1].__context__) is not None and len(out) < 10:
        out.append(nxt)
    return out


def _first_line(err: BaseException) -> str:
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    return lines[0] if lines else type(err).__name__


def classify(
    err: BaseException, where: str, user: str, *, connected: bool, command: str | None = None
) -> SessionFailure:
    """Turn an exception from netmiko/paramiko into a SessionFailure. Never echoes secrets."""
    if isinstance(err, SessionFailure):
        return err
    chain = _chain(err)
    root = chain[-1]
    hostkey = next((e for e in chain if isinstance(e, HostKeyUnknown | HostKeyChanged)), None)
    if hostkey is not None:
        err = hostkey
    if isinstance(err, HostKeyUnknown):
        return SessionFailure(
            "hostkey",
            f"{err} (host key policy is strict: add the key to the known_hosts file)",
        )
    if isinstance(err, HostKeyChanged):
        return SessionFailure(
            "hostkey",
            f"{err}: possible impersonation or a replaced device; remove the old entry from "
            "the known_hosts file only if the change is expected",
        )
    if isinstance(err, NetmikoAuthenticationException | paramiko.AuthenticationException):
        return SessionFailure(
            "auth",
            f"authentication failed for user {user} on {where} "
            "(check the device's SSH credential set)",
        )
    if isinstance(err, ReadTimeout):
        return SessionFailure(
            "timeout",
            f"{where} stopped answering in the middle of "
            f"{repr(command) if command else 'a command'} output (read timeout)",
            connected=connected,
        )
    if isinstance(root, paramiko.ssh_exception.NoValidConnectionsError):
        causes = list(root.errors.values())
        if causes and all(isinstance(c, ConnectionRefusedError) for c in causes):
            root = causes[0]
    if isinstance(root, ConnectionResetError | ConnectionAbortedError | BrokenPipeError):
        return SessionFailure(
            "protocol", f"{where} closed the SSH connection unexpectedly", connected=connected
        )
    if isinstance(root, ConnectionRefusedError):
        return SessionFailure("refused", f"{where} refused the SSH connection (nothing listens)")
    if isinstance(root, socket.timeout | TimeoutError) or (
        isinstance(err, NetmikoTimeoutException) and "timed-out" in str(err).lower()
    ):
        return SessionFailure(
            "timeout", f"{where} did not answer the SSH connection in time", connected=connected
        )
    if isinstance(root, OSError) and not isinstance(root, EOFError):
        reason = root.strerror or type(root).__name__
        return SessionFailure("unreachable", f"{where} cannot be reached ({reason})")
    if isinstance(root, paramiko.SSHException | EOFError) and root is not err:
        err = root  # netmiko's wrapper says less than paramiko's own message
    if isinstance(err, NetmikoTimeoutException):
        return SessionFailure("timeout", f"{where}: {_first_line(err)}", connected=connected)
    if isinstance(err, paramiko.SSHException | EOFError | OSError):
        text = _first_line(err)
        return SessionFailure(
            "protocol", f"SSH session with {where} failed: {text}", connected=connected
        )
    return SessionFailure(
        "internal",
        f"SSH session with {where} failed unexpectedly ({type(err).__name__})",
        connected=connected,
    )
