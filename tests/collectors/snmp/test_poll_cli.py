"""`noc poll`: address parsing, secrets from env:/file: refs, and no secret in any output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from collectors.snmp.client import SnmpAuth
from noc.cli.main import main as noc_main
from noc.cli.poll import parse_address
from tests.collectors.snmp import broken_agent

SECRET = "Very-Secret-Community-9"


def test_parse_address() -> None:
    assert parse_address("10.0.0.1") == ("10.0.0.1", 161)
    assert parse_address("10.0.0.1:1161") == ("10.0.0.1", 1161)
    assert parse_address("[::1]:1161") == ("::1", 1161)
    assert parse_address("::1") == ("::1", 161)


def test_auth_repr_hides_secrets() -> None:
    auth = SnmpAuth("v3", user="u", auth_key=SECRET, priv_key=SECRET + "p")
    assert SECRET not in repr(auth) and SECRET not in str(auth)


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_timeout_is_reported_without_the_community(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import asyncio

    async def silent() -> tuple[object, int]:
        return await broken_agent.start("silent")

    loop = asyncio.new_event_loop()
    transport, port = loop.run_until_complete(silent())
    try:
        key = tmp_path / "community"
        key.write_text(SECRET + "\n")
        code = noc_main(
            [
                "poll",
                f"127.0.0.1:{port}",
                "--community",
                f"file:{key}",
                "--timeout",
                "0.2",
                "--retries",
                "0",
                "--format",
                fmt,
            ]
        )
    finally:
        transport.close()  # type: ignore[attr-defined]
        loop.close()
    out, err = capsys.readouterr()
    assert code == 1
    assert SECRET not in out + err
    if fmt == "json":
        doc = json.loads(out)
        assert doc["ok"] is False and doc["error_kind"] == "timeout"
        assert set(doc) == {
            "target",
            "ok",
            "error",
            "error_kind",
            "sys_object_id",
            "profile",
            "reason",
            "requests",
            "samples",
            "neighbors",
        }
    else:
        assert "error (timeout)" in out


def test_unset_env_ref_is_one_clear_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    code = noc_main(["poll", "127.0.0.1:9", "--community", "env:NOC_T_NOT_SET_ANYWHERE"])
    _, err = capsys.readouterr()
    assert code == 1
    assert "env:NOC_T_NOT_SET_ANYWHERE is not set" in err
    assert "Traceback" not in err
