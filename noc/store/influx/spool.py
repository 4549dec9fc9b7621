"""A bounded, durable, ordered spool of line-protocol batches on disk.

Each batch is one file ``<seq>-<points>.lp`` written atomically (temporary file, then rename),
so a batch survives a restart of the process (and, with ``fsync``, of the machine). Batches are
handed out oldest first and deleted only after the server acknowledged them. When the spool
would grow past ``max_bytes`` the oldest batches are dropped, counted and logged.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from noc.errors import StoreError

log = logging.getLogger(__name__)


class Spool:
    def __init__(self, path: Path, max_bytes: int, *, fsync: bool = False) -> None:
        self.path = path
        self.max_bytes = max_bytes
        self.fsync = fsync
        self.dropped_points = 0
        self._lock = threading.Lock()
        self._inflight: int | None = None
        self._files: dict[int, tuple[int, int]] = {}  # seq -> (bytes, points)
        try:
            path.mkdir(parents=True, exist_ok=True)
            for entry in path.iterdir():
                if entry.suffix == ".tmp":
                    entry.unlink()
                elif entry.suffix == ".lp":
                    seq, _, points = entry.stem.partition("-")
                    self._files[int(seq)] = (entry.stat().st_size, int(points))
        except (OSError, ValueError) as exc:
            raise StoreError(f"cannot open the metric spool {path}: {exc}") from exc
        self._next = max(self._files, default=0) + 1

    def _name(self, seq: int) -> Path:
        return self.path / f"{seq:016d}-{self._files[seq][1]}.lp"

    def append(self, data: bytes, points: int) -> None:
        with self._lock:
            seq = self._next
            self._next += 1
            tmp = self.path / f"{seq:016d}.tmp"
            try:
                with open(tmp, "wb") as fh:
                    fh.write(data)
                    if self.fsync:
                        fh.flush()
                        os.fsync(fh.fileno())
                self._files[seq] = (len(data), points)
                os.replace(tmp, self._name(seq))
            except OSError as exc:
                self._files.pop(seq, None)
                raise StoreError(
                    f"cannot write {points} samples to the metric spool {self.path}: {exc}"
                ) from exc
            self._enforce_bound()

    def _enforce_bound(self) -> None:
        total = sum(size for size, _ in self._files.values())
        for seq in sorted(self._files):
            if total <= self.max_bytes or len(self._files) <= 1:
                break
            if seq == self._inflight:
                continue
            size, points = self._files[seq]
            self._unlink(seq)
            total -= size
            self.dropped_points += points
            log.warning(
                "metric spool %s is over %d bytes: dropped the oldest %d samples "
                "(%d dropped so far)",
                self.path,
                self.max_bytes,
                points,
                self.dropped_points,
            )

    def oldest(self) -> tuple[int, bytes, int] | None:
        """The oldest batch as ``(seq, data, points)``, marked in flight; None when empty."""
        with self._lock:
            if not self._files:
                return None
            seq = min(self._files)
            try:
                data = self._name(seq).read_bytes()
            except OSError as exc:
                raise StoreError(f"cannot read the metric spool {self.path}: {exc}") from exc
            self._inflight = seq
            return seq, data, self._files[seq][1]

    def remove(self, seq: int) -> None:
        """Forget a batch the server acknowledged (or refused for good)."""
        with self._lock:
            self._inflight = None
            if seq in self._files:
                self._unlink(seq)

    def release(self) -> None:
        """The in-flight batch was not delivered; it stays first in line."""
        with self._lock:
            self._inflight = None

    def _unlink(self, seq: int) -> None:
        name = self._name(seq)
        del self._files[seq]
        try:
            name.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise StoreError(f"cannot delete {name.name} from the metric spool: {exc}") from exc

    def pending(self) -> tuple[int, int, int]:
        """``(batches, points, bytes)`` waiting to be delivered."""
        with self._lock:
            return (
                len(self._files),
                sum(p for _, p in self._files.values()),
                sum(b for b, _ in self._files.values()),
            )
