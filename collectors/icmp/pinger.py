"""An asyncio ICMP echo client for IPv4 sharing one socket across all targets.

Uses a Linux "ping socket" (SOCK_DGRAM, allowed by net.ipv4.ping_group_range, no root) when
the system permits it, else a raw socket (root or CAP_NET_RAW). Replies are matched by
(address, identifier, sequence); a target's silence never delays another target's reply.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import socket
import struct
import time
from dataclasses import dataclass, field

from noc.errors import CollectError

_ECHO_REQUEST = 8
_ECHO_REPLY = 0


@dataclass
class PingResult:
    address: str
    sent: int = 0
    received: int = 0
    rtts: list[float] = field(default_factory=list)
    error: str | None = None

    @property
    def loss_ratio(self) -> float:
        return 1.0 if self.sent == 0 else 1.0 - self.received / self.sent


def checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    total: int = sum(struct.unpack(f"!{len(data) // 2}H", data))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF


def echo_request(ident: int, seq: int, payload: bytes) -> bytes:
    header = struct.pack("!BBHHH", _ECHO_REQUEST, 0, 0, ident, seq)
    csum = checksum(header + payload)
    return struct.pack("!BBHHH", _ECHO_REQUEST, 0, csum, ident, seq) + payload


def open_icmp_socket() -> tuple[socket.socket, bool]:
    """Return (socket, is_raw). Raises CollectError with what to do when neither is allowed."""
    try:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_ICMP)
        raw = False
    except PermissionError:
        try:
            sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
            raw = True
        except PermissionError:
            raise CollectError(
                "ICMP is not permitted for this user",
                hint="allow ping sockets: sysctl net.ipv4.ping_group_range='0 2147483647', "
                "or run with CAP_NET_RAW",
            ) from None
    sock.setblocking(False)
    return sock, raw


class Pinger:
    """One socket, many concurrent echo exchanges."""

    def __init__(self) -> None:
        self._sock: socket.socket | None = None
        self._raw = False
        self._ident = os.getpid() & 0xFFFF
        self._seq = itertools.count(1)
        self._waiting: dict[tuple[str, int, int], asyncio.Future[float]] = {}
        self._sent_at: dict[tuple[str, int, int], float] = {}

    def _ensure_open(self) -> socket.socket:
        if self._sock is None:
            self._sock, self._raw = open_icmp_socket()
            if not self._raw:
                # The kernel rewrites the identifier of a ping socket to its local port.
                self._sock.bind(("0.0.0.0", 0))  # noqa: S104 - local ephemeral port only
                self._ident = self._sock.getsockname()[1] & 0xFFFF
            asyncio.get_running_loop().add_reader(self._sock.fileno(), self._on_readable)
        return self._sock

    def _on_readable(self) -> None:
        assert self._sock is not None
        while True:
            try:
                data, (addr, _port) = self._sock.recvfrom(65535)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                return
            if self._raw:
                data = data[(data[0] & 0x0F) * 4 :]
            if len(data) < 8:
                continue
            kind, _code, _csum, ident, seq = struct.unpack("!BBHHH", data[:8])
            if kind != _ECHO_REPLY or (self._raw and ident != self._ident):
                continue
            key = (addr, self._ident, seq)
            fut = self._waiting.get(key)
            if fut is not None and not fut.done():
                fut.set_result(time.monotonic() - self._sent_at[key])

    async def ping(
        self, address: str, *, count: int = 3, reply_timeout: float = 1.0, interval: float = 0.2
    ) -> PingResult:
        """Send ``count`` echo requests, each waiting ``reply_timeout`` seconds for a reply."""
        result = PingResult(address=address)
        try:
            sock = self._ensure_open()
        except CollectError as err:
            result.error = str(err)
            return result
        loop = asyncio.get_running_loop()
        payload = b"noc-command-center".ljust(32, b".")
        for i in range(count):
            seq = next(self._seq) & 0xFFFF
            key = (address, self._ident, seq)
            fut: asyncio.Future[float] = loop.create_future()
            self._waiting[key] = fut
            self._sent_at[key] = time.monotonic()
            try:
                sock.sendto(echo_request(self._ident, seq, payload), (address, 0))
                result.sent += 1
                result.rtts.append(await asyncio.wait_for(fut, reply_timeout))
                result.received += 1
            except TimeoutError:
                pass
            except OSError as err:  # network unreachable, no route, ...
                result.error = f"{address}: {err.strerror or err}"
                await asyncio.sleep(min(reply_timeout, 0.05))
            finally:
                self._waiting.pop(key, None)
                self._sent_at.pop(key, None)
            if i + 1 < count:
                await asyncio.sleep(interval)
        return result

    def close(self) -> None:
        if self._sock is not None:
            with contextlib.suppress(RuntimeError):
                asyncio.get_running_loop().remove_reader(self._sock.fileno())
            self._sock.close()
            self._sock = None
