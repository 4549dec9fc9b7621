"""The alerting settings file: strict, file:line errors, secrets by reference, never echoed."""

from __future__ import annotations

from pathlib import Path

import pytest

from alerting.config import build_notifiers
from alerting.wiring import load_alerting_config
from noc.cli.main import main
from noc.errors import ConfigError

GOOD = """
group: {wait: 30s, interval: 5m}
retry: {initial: 10s, maximum: 10m, attempts: 12}
channels:
  - name: oncall-mail
    type: email
    min_severity: major
    settings:
      host: smtp.pemkot.example
      sender: noc@pemkot.example
      recipients: [oncall@pemkot.example]
      username: noc
      password: env:NOC_TEST_SMTP_PASSWORD
  - name: chat
    type: telegram
    settings: {bot_token: "file:bot.token", chat_id: "-100200"}
rotations:
  - {name: primary, members: [budi, sari], start: "2026-01-05T08:00:00+07:00", shift: 7d}
  - {name: secondary, members: [agus], start: "2026-01-05T08:00:00+07:00"}
  - {name: manager, members: [kadis], start: "2026-01-05T08:00:00+07:00"}
escalation:
  steps:
    - {after: 0s, targets: ["rotation:primary"]}
    - {after: 15m, targets: ["rotation:secondary"], channels: [chat]}
    - {after: 45m, targets: ["rotation:manager", "user:kabid"]}
"""


def test_good_settings_resolve_secret_references(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NOC_TEST_SMTP_PASSWORD", "smtp-secret-value-1")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bot.token").write_text("123:bot-secret-token\n")
    f = tmp_path / "alerting.yaml"
    f.write_text(GOOD)
    cfg = load_alerting_config(f)
    assert [c.name for c in cfg.channels] == ["oncall-mail", "chat"]
    assert cfg.escalation is not None and len(cfg.escalation.steps) == 3
    assert set(build_notifiers(cfg)) == {"oncall-mail", "chat"}
    dump = cfg.model_dump_json() + repr(cfg)
    assert "smtp-secret-value-1" not in dump and "bot-secret-token" not in dump


@pytest.mark.parametrize(
    ("edit", "expect"),
    [
        (("group: {wait: 30s", "group: {wiat: 30s"), ":2: error: group.wiat: unknown key 'wiat'"),
        (("type: telegram", "type: pager"), "unknown channel type 'pager'"),
        (("[chat]", "[sms]"), "no channel named 'sms'"),
        (("rotation:manager", "rotation:boss"), "no rotation named 'boss'"),
        (("after: 15m", "after: 50m"), "steps must be in order"),
        (("smtp.pemkot.example", "smtp.pemkot.example\n      port: 0"), "settings.port"),
    ],
)
def test_bad_settings_name_the_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: tuple[str, str], expect: str
) -> None:
    monkeypatch.setenv("NOC_TEST_SMTP_PASSWORD", "smtp-secret-value-1")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bot.token").write_text("123:bot-secret-token\n")
    f = tmp_path / "alerting.yaml"
    f.write_text(GOOD.replace(*edit))
    with pytest.raises(ConfigError) as err:
        load_alerting_config(f)
    assert expect in str(err.value)
    assert "smtp-secret-value-1" not in str(err.value)


def test_unset_secret_reference_names_the_variable_not_a_value(tmp_path: Path) -> None:
    f = tmp_path / "alerting.yaml"
    f.write_text(GOOD.replace("NOC_TEST_SMTP_PASSWORD", "NOC_TEST_UNSET_VARIABLE"))
    with pytest.raises(ConfigError) as err:
        load_alerting_config(f)
    assert "env:NOC_TEST_UNSET_VARIABLE is not set" in str(err.value)


def test_shipped_example_is_valid(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("NOC_SMTP_PASSWORD", "NOC_TELEGRAM_BOT_TOKEN", "NOC_WEBHOOK_SECRET"):
        monkeypatch.setenv(name, f"{name.lower()}-value-0123456789")
    example = Path(__file__).resolve().parents[2] / "alerting" / "alerting.example.yaml"
    assert main(["alerts", "check-config", str(example)]) == 0
    assert "SUCCESS" in capsys.readouterr().out
    monkeypatch.delenv("NOC_WEBHOOK_SECRET")
    assert main(["alerts", "check-config", str(example)]) == 1
    out = capsys.readouterr().out
    assert "FAILED" in out and "env:NOC_WEBHOOK_SECRET is not set" in out
