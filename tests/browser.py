"""Headless Chromium (Debian's) for tests: screenshots and the DOM after the page's scripts ran
(``chromium``), and a WebDriver session through Debian's chromedriver (``webdriver``)."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from tests.peers import missing_peer, require_binary

if TYPE_CHECKING:
    from selenium.webdriver.chrome.webdriver import WebDriver

_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def artifacts_dir(default: Path) -> Path:
    """Where screenshots are kept: $NOC_TEST_ARTIFACTS, else the test's own tmp folder."""
    path = Path(os.environ.get("NOC_TEST_ARTIFACTS", default))
    path.mkdir(parents=True, exist_ok=True)
    return path


def chromium(
    url: str, *, screenshot: Path | None = None, size: str = "1920,1080", wait_ms: int = 5000
) -> str:
    """Load ``url`` for ``wait_ms`` (live pages never go idle), then return the DOM as HTML."""
    binary = require_binary("chromium", "chromium-browser")
    with tempfile.TemporaryDirectory(prefix="noc-chromium-") as profile:
        args = [
            binary,
            *_FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={size}",
            f"--timeout={wait_ms}",
        ]
        args += [f"--screenshot={screenshot}"] if screenshot else ["--dump-dom"]
        done = subprocess.run(
            [*args, url], capture_output=True, text=True, timeout=wait_ms / 1000 + 40
        )
    if done.returncode != 0:
        raise AssertionError(f"chromium failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout


def webdriver(*, size: tuple[int, int] = (1920, 1080), lang: str = "en") -> WebDriver:
    """A Selenium WebDriver session in headless Chromium through Debian's chromedriver.

    The page's viewport is exactly ``size`` (CSS pixels, scale 1). Quit it when done.
    """
    chromium_path = require_binary("chromium", "chromium-browser")
    driver_path = require_binary("chromedriver", "/usr/lib/chromium/chromedriver")
    try:
        from selenium import webdriver as wd
        from selenium.webdriver.chrome.service import Service
    except ImportError:  # pragma: no cover - selenium is in the dev extras
        missing_peer("the selenium package (pip install -e '.[dev]')")
        raise
    options = wd.ChromeOptions()
    options.binary_location = chromium_path
    for flag in (*_FLAGS, "--headless=new", "--disable-dev-shm-usage"):
        if flag != "--headless":
            options.add_argument(flag)
    options.add_argument(f"--window-size={size[0]},{size[1]}")
    options.add_argument(f"--lang={lang}")
    driver = wd.Chrome(options=options, service=Service(executable_path=driver_path))
    try:
        driver.set_page_load_timeout(30)
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": False},
        )
    except BaseException:
        driver.quit()
        raise
    return driver
