"""``noc incident``, ``noc maintenance``, ``noc silence``, ``noc alerts list`` against a store."""

from __future__ import annotations

from pathlib import Path

import pytest

from noc.cli.main import main
from noc.clock import SystemClock
from noc.store.events import Role, Severity, open_event_store


@pytest.fixture
def data(tmp_path: Path) -> Path:
    events = open_event_store(tmp_path / "events.sqlite", SystemClock())
    events.users.create("budi", "Budi", Role.operator, "operator-pass-123")
    events.users.create("wall", "Wall", Role.viewer, "viewer-password-123")
    events.incidents.open("Device core-1 is down", Severity.critical, source_alert="a/b")
    events.close()
    return tmp_path


def test_incident_ack_comment_resolve_as_an_operator(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = ["--data-dir", str(data)]
    assert main(["incident", "list", *d]) == 0
    assert "#1" in capsys.readouterr().out
    assert main(["incident", "ack", "1", "--as", "budi", "--text", "on it", *d]) == 0
    assert (
        main(["incident", "comment", "1", "--text", "fiber cut at km 3", "--as", "budi", *d]) == 0
    )
    assert main(["incident", "resolve", "1", "--text", "spliced", "--as", "budi", *d]) == 0
    capsys.readouterr()
    assert main(["incident", "show", "1", *d]) == 0
    out = capsys.readouterr().out
    for kind in ("opened", "acknowledged", "commented", "resolved"):
        assert kind in out
    assert "fiber cut at km 3" in out


def test_viewer_may_not_acknowledge(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["incident", "ack", "1", "--as", "wall", "--data-dir", str(data)]) == 1
    assert "role 'viewer' may not do this" in capsys.readouterr().err


def test_maintenance_and_silence_from_the_shell(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = ["--data-dir", str(data)]
    args = ["maintenance", "add", "site:dc", "--start", "2026-10-04T22:00+07:00"]
    assert main([*args, "--duration", "2h", "--reason", "UPS", "--as", "budi", *d]) == 0
    assert main(["silence", "add", "alertname=door_open", "site=~dc.*", "--duration", "4h",
                 "--reason", "sensor broken", "--as", "budi", *d]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["maintenance", "list", *d]) == 0
    assert "2026-10-04T15:00:00+00:00 .. 2026-10-04T17:00:00+00:00" in capsys.readouterr().out
    assert main(["silence", "list", *d]) == 0
    assert "alertname=door_open site=~dc.*" in capsys.readouterr().out
    assert main(["silence", "expire", "1", "--as", "budi", *d]) == 0
    with pytest.raises(SystemExit) as exit_:
        main([*args[:3], "--start", "2026-10-04T22:00", "--duration", "2h", "--reason", "x",
              "--as", "budi", *d])  # fmt: skip
    assert exit_.value.code == 2
    assert "no offset" in capsys.readouterr().err


def test_alerts_list_shows_state_incident_and_mute_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import asyncio
    from datetime import timedelta

    from noc.store.events import Matcher
    from tests.alerting.support import build_city

    city = build_city(tmp_path)  # journal at tmp_path/alerting.sqlite, as journal_path() says
    city.events.silences.create(
        [Matcher(name="alertname", value="door_open")],
        city.clock.now(),
        city.clock.now() + timedelta(hours=1),
        author="sari",
        reason="sensor broken",
    )

    async def scenario() -> None:
        await city.sample(0, "env_water_leak", "env-1", 1)
        await city.sample(0, "env_door_open", "env-1", 1)
        await city.idle(600)

    asyncio.run(scenario())
    city.close()
    assert main(["alerts", "list", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "firing    critical water_leak/device:env-1  incident #1" in out
    assert "door_open/device:env-1  incident #2  muted: silence (silenced by sari" in out
