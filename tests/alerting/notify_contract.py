"""The contract every notifier passes (napalm-style: each channel's test file subclasses it).

A subclass provides fixtures ``notifier`` (pointed at a real running peer), ``dead_notifier``
(pointed at a closed loopback port), ``secrets`` (the secret values in its settings) and the
method ``delivered()`` (what the peer received, one item per notification).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from alerting.config import AlertingConfig, ChannelConfig, build_notifiers
from alerting.notify.base import (
    NotificationGroup,
    NotifiedAlert,
    Notifier,
    OutcomeKind,
    channel_types,
)
from noc.store.events import Severity

AT = datetime(2026, 10, 1, 3, 0, tzinfo=UTC)


def sample_group(status: str = "firing") -> NotificationGroup:
    alert = NotifiedAlert(
        key="ups_on_battery/device:ups-1",
        rule="ups_on_battery",
        object="device:ups-1",
        state=status,
        severity=Severity.critical,
        site="dc",
        summary={"id": "UPS ups-1 beroperasi dengan baterai", "en": "UPS ups-1 is on battery"},
        labels={"device": "ups-1", "site": "dc", "alertname": "ups_on_battery"},
        fired_at=AT,
        resolved_at=AT if status == "resolved" else None,
        incident_id=7,
    )
    return NotificationGroup(
        group_key="ups_on_battery/dc",
        rule="ups_on_battery",
        site="dc",
        status=status,
        severity=Severity.critical,
        alerts=(alert,),
        created_at=AT,
    )


class NotifierContract:
    channel: str = ""

    def delivered(self) -> list[Any]:
        raise NotImplementedError

    @pytest.fixture
    def settings(self) -> dict[str, Any]:
        raise NotImplementedError

    def test_registered_by_name_and_built_from_settings(self, settings: dict[str, Any]) -> None:
        assert self.channel in channel_types()
        cfg = AlertingConfig(
            channels=[ChannelConfig(name="c1", type=self.channel, settings=settings)]
        )
        built = build_notifiers(cfg)
        assert built["c1"].name == "c1"

    def test_unknown_settings_key_is_refused_without_echoing_secrets(
        self, settings: dict[str, Any], secrets: list[str]
    ) -> None:
        bad = {**settings, "bogus": 1}
        with pytest.raises(ValidationError) as err:
            AlertingConfig.model_validate(
                {"channels": [{"name": "c1", "type": self.channel, "settings": bad}]}
            )
        assert "settings.bogus: Extra inputs are not permitted" in str(err.value)
        for secret in secrets:
            assert secret not in str(err.value)

    def test_delivers_a_group(self, notifier: Notifier) -> None:
        outcome = asyncio.run(notifier.notify(sample_group()))
        assert outcome.kind is OutcomeKind.ok, outcome.reason
        assert len(self.delivered()) == 1

    def test_delivers_a_resolution(self, notifier: Notifier) -> None:
        outcome = asyncio.run(notifier.notify(sample_group("resolved")))
        assert outcome.kind is OutcomeKind.ok, outcome.reason

    def test_unreachable_peer_is_retryable(self, dead_notifier: Notifier) -> None:
        outcome = asyncio.run(dead_notifier.notify(sample_group()))
        assert outcome.kind is OutcomeKind.retryable

    def test_no_secret_in_outcomes_errors_logs_or_config_dumps(
        self,
        dead_notifier: Notifier,
        settings: dict[str, Any],
        secrets: list[str],
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        caplog.set_level(logging.DEBUG)
        outcome = asyncio.run(dead_notifier.notify(sample_group()))
        kind = channel_types()[self.channel]
        dumped = kind.config.model_validate(settings)
        bad = {**settings, "timeout_seconds": -1}
        with pytest.raises(ValidationError) as err:
            ChannelConfig(name="c", type=self.channel, settings=bad)
        good = AlertingConfig(
            channels=[ChannelConfig(name="c", type=self.channel, settings=settings)]
        )
        texts = [
            outcome.reason,
            repr(outcome),
            str(err.value),
            repr(dumped),
            dumped.model_dump_json(),
        ]
        texts += [repr(good), good.model_dump_json(), str(good.model_dump())]
        texts += [r.getMessage() for r in caplog.records]
        for secret in secrets:
            for text in texts:
                assert secret not in text
