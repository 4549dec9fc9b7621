"""The wall in a real headless Chromium against a running ``noc serve``, in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from tests.browser import artifacts_dir, chromium
from tests.nocproc import noc_command, start_noc, stop_noc, wait_for
from tests.peers import free_port


def _live_dom(url: str) -> str:
    dom = chromium(url, wait_ms=8000)
    return dom if 'class="feed live"' in dom else ""


TITLES = {"id": "Dinding Pusat Komando", "en": "Command Center Wall"}


@pytest.mark.integration
def test_the_wall_fills_live_in_both_languages(tmp_path: Path) -> None:
    data, port = tmp_path / "data", free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_noc(data, port, tmp_path / "noc.log")
    shots = artifacts_dir(tmp_path / "screenshots")
    try:
        wait_for("/healthz", lambda: httpx.get(f"{base}/healthz").is_success, 30)
        noc_command(
            "user",
            "add",
            "wall1",
            "--role",
            "viewer",
            "--password-stdin",
            "--data-dir",
            str(data),
            input="wall-display-password\n",
        )
        token = noc_command(
            "token", "create", "--user", "wall1", "--name", "wall", "--data-dir", str(data)
        )
        api = {"Authorization": f"Bearer {token}"}

        def all_up() -> bool:
            snap = httpx.get(f"{base}/api/v1/wall", headers=api).json()
            return bool(snap["devices_by_state"]["up"] == 39)

        wait_for("every device up on the wall", all_up, 30)
        for lang, title in TITLES.items():
            url = f"{base}/wall?token={token}&lang={lang}"
            # A live page never goes idle: load it until the feed has filled it (bounded).
            dom = wait_for(
                "the wall to fill from the live feed", lambda url=url: _live_dom(url), 90
            )
            assert f"<h1>{title}" in dom
            assert re.search(r'id="kpi-devices">39/39<', dom), "the wall did not fill from the feed"
            assert 'id="stale" class="stale" role="alert" hidden=""' in dom
            assert token not in dom
            shot = shots / f"wall-1920x1080-{lang}.png"
            chromium(url, screenshot=shot)
            assert shot.stat().st_size > 20_000
        chromium(
            f"{base}/wall?token={token}&lang=id",
            screenshot=shots / "wall-3840x2160-id.png",
            size="3840,2160",
        )
    finally:
        assert stop_noc(proc) == 0


@pytest.mark.integration
def test_the_login_page_renders_and_an_anonymous_wall_redirects_to_it(tmp_path: Path) -> None:
    data, port = tmp_path / "data", free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_noc(data, port, tmp_path / "noc.log")
    try:
        wait_for("/healthz", lambda: httpx.get(f"{base}/healthz").is_success, 30)
        dom = chromium(f"{base}/wall?lang=en", wait_ms=2000)
        assert '<form id="login"' in dom and "Log in" in dom
        dom = chromium(f"{base}/login?lang=id", wait_ms=2000)
        assert "Kata sandi" in dom
    finally:
        assert stop_noc(proc) == 0
