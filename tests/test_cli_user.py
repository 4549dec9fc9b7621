"""``noc user``: add, role, disable, enable and reset a password from the shell, audited."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from noc.cli.main import main
from noc.clock import SystemClock
from noc.store.events import Role, open_event_store

PASSWORD = "Admin-kota-2026-rahasia"


def run(monkeypatch: pytest.MonkeyPatch, data: Path, *args: str, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["user", *args, "--data-dir", str(data)])


def test_users_are_managed_from_the_shell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pw = ("--password-stdin",)
    assert run(monkeypatch, tmp_path, "add", "andi", "--role", "admin", *pw, stdin=PASSWORD) == 0
    assert run(monkeypatch, tmp_path, "add", "budi", "--role", "viewer", *pw, stdin=PASSWORD) == 0
    assert run(monkeypatch, tmp_path, "role", "budi", "operator") == 0
    assert "user budi now has the role operator" in capsys.readouterr().out
    assert run(monkeypatch, tmp_path, "disable", "budi") == 0
    assert run(monkeypatch, tmp_path, "enable", "budi") == 0
    new = "Budi-sandi-baru-2026"
    assert run(monkeypatch, tmp_path, "password", "budi", *pw, stdin=new) == 0
    assert "user budi has a new password" in capsys.readouterr().out

    # The last admin stays; weak passwords are refused without being echoed.
    assert run(monkeypatch, tmp_path, "role", "andi", "viewer") == 1
    assert "last enabled admin" in capsys.readouterr().err
    assert run(monkeypatch, tmp_path, "password", "budi", *pw, stdin="budi") == 1
    err = capsys.readouterr().err
    assert "at least 12 characters" in err and "budi\n" not in err

    events = open_event_store(tmp_path / "events.sqlite", SystemClock())
    try:
        user = events.users.authenticate("budi", new)
        assert user.role is Role.operator and not user.disabled
        actions = [(e.actor, e.action) for e in events.audit.entries()]
    finally:
        events.close()
    assert actions == [
        ("cli", "user.created"),
        ("cli", "user.created"),
        ("cli", "user.role_changed"),
        ("cli", "user.disabled"),
        ("cli", "user.enabled"),
        ("cli", "user.password_set"),
    ]
