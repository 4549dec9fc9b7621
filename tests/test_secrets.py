"""No secret appears in a log line, a settings dump or an error (STYLE.md 8)."""

from __future__ import annotations

import io
import json
import logging

import pytest

from noc.cli.main import main
from noc.errors import ConfigError
from noc.logs import JsonFormatter, RedactingFilter, TextFormatter, redact
from noc.settings import Settings, load_settings

TOKEN = "influx-token-5b1e9c0d7a"
PASSWORD = "admin-password-77c1f2"


def _log_through(formatter: logging.Formatter, emit: object) -> str:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(formatter)
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger(f"test.secrets.{id(formatter)}")
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    try:
        emit(logger)  # type: ignore[operator]
    finally:
        logger.removeHandler(handler)
    return out.getvalue()


@pytest.mark.parametrize("formatter", [JsonFormatter(), TextFormatter()])
def test_registered_secrets_are_masked_in_messages_arguments_and_tracebacks(
    formatter: logging.Formatter,
) -> None:
    redact(TOKEN)

    def emit(logger: logging.Logger) -> None:
        logger.warning("connecting with token %s", TOKEN)
        try:
            raise RuntimeError(f"server refused {TOKEN}")
        except RuntimeError:
            logger.exception("write failed")

    text = _log_through(formatter, emit)
    assert TOKEN not in text
    assert text.count("**********") >= 2
    assert "write failed" in text and "RuntimeError" in text


def test_json_log_lines_are_json() -> None:
    text = _log_through(JsonFormatter(), lambda lg: lg.info("hello %s", "wall"))
    entry = json.loads(text)
    assert entry["msg"] == "hello wall" and entry["level"] == "info"


def test_settings_dump_and_repr_hide_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOC_INFLUX_TOKEN", TOKEN)
    monkeypatch.setenv("NOC_ADMIN_PASSWORD", PASSWORD)
    settings = Settings()
    assert settings.influx_token is not None
    assert settings.influx_token.get_secret_value() == TOKEN
    for text in (repr(settings), str(settings), json.dumps(settings.redacted())):
        assert TOKEN not in text and PASSWORD not in text


def test_a_bad_setting_names_the_variable_without_echoing_secrets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NOC_INFLUX_TOKEN", TOKEN)
    monkeypatch.setenv("NOC_LISTEN_PORT", "eighty")
    with pytest.raises(ConfigError) as err:
        load_settings()
    assert "NOC_LISTEN_PORT" in str(err.value)
    assert TOKEN not in str(err.value)


def test_cli_reports_a_bad_setting_in_one_sentence(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NOC_ADMIN_PASSWORD", PASSWORD)
    monkeypatch.setenv("NOC_METRIC_BACKEND", "mongodb")
    assert main(["token", "list"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("noc token: setting NOC_METRIC_BACKEND is invalid")
    assert err.count("\n") == 1 and "Traceback" not in err and PASSWORD not in err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    import noc

    assert main(["version"]) == 0
    assert capsys.readouterr().out == f"noc-command-center {noc.__version__}\n"
