"""The desk pages' scripts in a real headless Chromium (app.js, desk.js): a silence typed as
text becomes matchers, local times go with the site's offset, a token's secret is shown once,
the language link remembers the choice, and an edited export file is caught on the audit page.
The app runs in-process under uvicorn."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from selenium.common.exceptions import WebDriverException

from noc.app import create_app
from noc.runtime import Runtime
from noc.store.events import Matcher
from sla.catalog import catalog_of
from sla.export import write_sla_export
from tests.browser import webdriver
from tests.peers import require_binary
from tests.web.test_desk_pages import NOW, PASSWORD, clock_fixture, runtime_fixture

SHARED_FIXTURES = (clock_fixture, runtime_fixture)  # used by name: clock, runtime, client

pytestmark = pytest.mark.integration


def until(what: str, check: Callable[[], Any], timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = check()
        except WebDriverException as e:  # the page is reloading: not yet
            last = e
        else:
            if last:
                return last
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}; last: {last!r}")


@pytest.fixture
def base(runtime: Runtime) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(runtime, start_background=False)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    until("the server", lambda: server.started)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def browser() -> Iterator[Any]:
    require_binary("chromium", "chromium-browser")
    require_binary("chromedriver", "/usr/lib/chromium/chromedriver")
    driver = webdriver()
    try:
        yield driver
    finally:
        driver.quit()


def log_in(driver: Any, base: str, username: str, target: str) -> None:
    driver.get(f"{base}{target}")
    until("the login form", lambda: driver.find_elements("id", "login"))
    form = driver.find_element("id", "login")
    form.find_element("name", "username").send_keys(username)
    form.find_element("name", "password").send_keys(PASSWORD)
    form.find_element("css selector", "button[type=submit]").click()
    until(target, lambda: driver.current_url.startswith(f"{base}{target.split('?')[0]}"))
    until("the page", lambda: driver.find_elements("id", "lang-switch"))


def submit(driver: Any, details_id: str, values: dict[str, str]) -> None:
    box = driver.find_element("id", details_id)
    box.find_element("tag name", "summary").click()
    for name, value in values.items():
        field = box.find_element("name", name)
        if field.tag_name == "select":
            driver.execute_script("arguments[0].value = arguments[1]", field, value)
        else:
            field.clear()
            field.send_keys(value)
    box.find_element("css selector", "button[type=submit]").click()


def test_silence_and_window_forms_send_matchers_and_local_times(
    browser: Any, base: str, runtime: Runtime
) -> None:
    log_in(browser, base, "operator", "/maintenance?lang=en")
    submit(
        browser,
        "new-silence",
        {"matchers": "device=core-1, alertname=~if_.*", "reason": "fibre splice on R1"},
    )
    silence = until("the silence", lambda: runtime.events.silences.list())[0]
    assert silence.matchers == (
        Matcher(name="device", value="core-1"),
        Matcher(name="alertname", value="if_.*", regex=True),
    )
    assert silence.starts_at == NOW and silence.ends_at == NOW + timedelta(hours=4)
    until("the reload", lambda: "fibre splice on R1" in browser.page_source)
    submit(browser, "plan-window", {"target": "site:dc", "reason": "UPS battery swap"})
    window = until("the window", lambda: runtime.events.maintenance.list())[0]
    assert str(window.target) == "site:dc" and window.starts_at == NOW + timedelta(hours=1)
    until("the reload", lambda: "UPS battery swap" in browser.page_source)
    # a bad matcher is refused before anything is sent
    submit(browser, "new-silence", {"matchers": "device core-1", "reason": "x"})
    error = until("the refusal", lambda: browser.find_element("id", "action-error").text)
    assert "name=value" in error and len(runtime.events.silences.list()) == 1


def test_the_language_link_remembers_the_choice(browser: Any, base: str, runtime: Runtime) -> None:
    log_in(browser, base, "manager", "/logbook?lang=id")
    assert browser.find_element("tag name", "html").get_attribute("lang") == "id"
    browser.find_element("id", "lang-switch").click()
    until("English", lambda: browser.find_element("tag name", "html").get_attribute("lang") == "en")
    assert "lang=" not in browser.current_url
    manager = runtime.events.users.get("manager")
    assert manager is not None and manager.language == "en"
    browser.get(f"{base}/sla")  # another page, no ?lang=: still English
    assert browser.find_element("tag name", "html").get_attribute("lang") == "en"


def test_a_new_token_secret_is_shown_once(browser: Any, base: str, runtime: Runtime) -> None:
    log_in(browser, base, "admin", "/users?lang=en")
    submit(browser, "new-token", {"name": "wall-3", "username": "viewer"})
    secret = until(
        "the secret", lambda: browser.find_element("css selector", "#token-secret .secret").text
    )
    found = runtime.events.tokens.resolve(secret)
    assert found is not None and found[0].username == "viewer" and found[1].name == "wall-3"
    browser.refresh()
    until("the list", lambda: "wall-3" in browser.page_source)
    assert secret not in browser.page_source


def test_an_edited_export_is_caught_on_the_audit_page(
    browser: Any, base: str, runtime: Runtime, tmp_path: Path
) -> None:
    runtime.events.logbook.add("operator", "ring R1 checked", at=NOW - timedelta(hours=1))
    entries = runtime.events.audit.entries()
    text = write_sla_export(
        entries, catalog_of(runtime.inventory), NOW - timedelta(days=1), NOW, NOW, "csv"
    )
    edited = tmp_path / "edited.csv"
    edited.write_text(text.replace("ring R1 checked", "ring R2 checked"), encoding="utf-8")
    [logged] = [e for e in entries if e.action.startswith("logbook")]
    log_in(browser, base, "auditor", "/audit?lang=en")
    browser.find_element("css selector", "#verify-form input[type=file]").send_keys(str(edited))
    browser.find_element("css selector", "#verify-form button[type=submit]").click()
    until("the verdict", lambda: browser.find_element("id", "verdict").is_displayed())
    assert browser.find_element("css selector", '[data-verdict="bad"]').is_displayed()
    problems = browser.find_element("css selector", '#verdict [data-field="problems"]').text
    assert f"entry seq {logged.seq}" in problems
