"""The notifier seam: what is sent (a group of alerts), what comes back (an outcome).

Every channel module defines ``CHANNEL = ChannelType(name, config model, factory)``; the registry
finds them by scanning this package, so adding a channel edits no central list. Notifiers only
deliver: muting, grouping, dedup and retry live in :mod:`alerting.dispatch`.

A notifier never puts an exception's text into an outcome (a URL may carry a bot token); it says
what happened in its own words (``HTTP 503``, ``connection refused``).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Protocol

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, SecretStr

from noc.model.secrets import SecretRef
from noc.store.events import Severity


def _resolve(value: Any) -> Any:
    """``env:NAME`` and ``file:PATH`` are read now; other text is taken as the secret itself."""
    if isinstance(value, str) and value.split(":", 1)[0] in ("env", "file"):
        return SecretRef(value).resolve()
    return value


Secret = Annotated[SecretStr, BeforeValidator(_resolve)]
"""A secret setting: a reference (``env:NOC_SMTP_PASSWORD``, ``file:/etc/noc/bot.token``)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NotifiedAlert(_Strict):
    key: str
    rule: str
    object: str
    state: str  # firing, flapping, resolved
    severity: Severity
    site: str | None = None
    summary: dict[str, str]
    labels: dict[str, str] = Field(default_factory=dict)
    fired_at: datetime | None = None
    resolved_at: datetime | None = None
    incident_id: int | None = None


class NotificationGroup(_Strict):
    """What one notification carries: the alerts of one rule at one site."""

    group_key: str
    rule: str
    site: str | None = None
    status: str  # firing when any alert is firing or flapping, else resolved
    severity: Severity
    alerts: tuple[NotifiedAlert, ...]
    created_at: datetime
    recipients: tuple[str, ...] = ()  # who should act (from the escalation step), if known
    # their own addresses (alerting.people), for the channels that can reach a person
    emails: tuple[str, ...] = ()
    telegram_chats: tuple[str, ...] = ()
    escalation_level: int = 0  # > 0: an unacknowledged incident escalated to this step

    def title(self, lang: str = "en") -> str:
        first = self.alerts[0].summary.get(lang) or self.alerts[0].key
        more = f" (+{len(self.alerts) - 1})" if len(self.alerts) > 1 else ""
        level = f"[ESCALATION {self.escalation_level}] " if self.escalation_level else ""
        return f"{level}[{self.status.upper()}] [{self.severity.value}] {first}{more}"

    def text(self, lang: str = "en") -> str:
        lines = [self.title(lang), ""]
        if self.recipients:
            lines.insert(1, ("Untuk: " if lang == "id" else "To: ") + ", ".join(self.recipients))
        for a in self.alerts:
            lines.append(f"- {a.state}: {a.summary.get(lang) or a.key} ({a.object})")
        return "\n".join(lines)


class OutcomeKind(StrEnum):
    ok = "ok"
    retryable = "retryable"
    permanent = "permanent"


class Outcome(_Strict):
    kind: OutcomeKind
    reason: str = ""

    @classmethod
    def ok(cls) -> Outcome:
        return cls(kind=OutcomeKind.ok)

    @classmethod
    def retry(cls, reason: str) -> Outcome:
        return cls(kind=OutcomeKind.retryable, reason=reason)

    @classmethod
    def fail(cls, reason: str) -> Outcome:
        return cls(kind=OutcomeKind.permanent, reason=reason)


def http_outcome(status: int) -> Outcome:
    """2xx ok; 408, 429 and 5xx worth retrying; any other status will not get better."""
    if 200 <= status < 300:
        return Outcome.ok()
    if status in (408, 425, 429) or status >= 500:
        return Outcome.retry(f"HTTP {status}")
    return Outcome.fail(f"HTTP {status}")


class Notifier(Protocol):
    name: str

    async def notify(self, group: NotificationGroup) -> Outcome: ...


@dataclass(frozen=True)
class ChannelType:
    """A kind of channel: its name in config, its settings model and how to build a notifier."""

    name: str
    config: type[BaseModel]
    build: Callable[[str, Any], Notifier]  # (channel name, validated settings) -> notifier


def channel_types() -> dict[str, ChannelType]:
    """Every channel module of this package, by its ``CHANNEL.name`` (found, not listed)."""
    import alerting.notify as pkg

    found: dict[str, ChannelType] = {}
    for info in pkgutil.iter_modules(pkg.__path__):
        if info.ispkg or info.name.startswith("_") or info.name == "base":
            continue
        module = importlib.import_module(f"alerting.notify.{info.name}")
        channel = getattr(module, "CHANNEL", None)
        if isinstance(channel, ChannelType):
            found[channel.name] = channel
    return found
