"""The wall and the incident pages in a real headless Chromium, driven through WebDriver.

Against the running lab and ``noc serve`` of conftest.py: an operator logs in through the login
form and the wall fills from the lab; a lab fault's incident reaches the open wall without a
reload within 5 s; the operator acknowledges it from the wall's card; a viewer sees the wall
but may not act; screenshots of the wall with the fault active, in both languages.
"""

from __future__ import annotations

import os
import struct
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.browser import artifacts_dir
from tests.web.browser.conftest import OPERATOR, VIEWER, City
from tests.web.browser.stack import REPO

pytestmark = pytest.mark.integration

LIVE_DEADLINE_S = 5.0  # issue 8: the incident card within 5 s of the NOC opening it
TITLES = {"id": "Dinding Pusat Komando", "en": "Command Center Wall"}
POWER_CLASSES = "return [...document.querySelectorAll('#power li .val')].map((v) => v.className)"


def _until(what: str, check: Any, timeout: float = 30.0, every: float = 0.1) -> Any:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(every)
    raise AssertionError(f"timed out ({timeout} s) waiting for {what}; last: {last!r}")


def _js(driver: Any, script: str, *args: Any) -> Any:
    return driver.execute_script(script, *args)


def log_in(driver: Any, base: str, user: tuple[str, str, str], lang: str = "en") -> None:
    """Through the login form, as a person would: the wall redirects to it, then back."""
    driver.get(f"{base}/wall?lang={lang}")
    _until("the login form", lambda: _js(driver, "return !!document.getElementById('login')"))
    assert "/login" in driver.current_url
    form = driver.find_element("id", "login")
    form.find_element("name", "username").send_keys(user[0])
    form.find_element("name", "password").send_keys(user[2])
    form.find_element("css selector", "button[type=submit]").click()
    _until(
        "the wall after logging in",
        lambda: (
            driver.current_url.split("?")[0].endswith("/wall")
            and _js(driver, "return !!document.getElementById('wall')")
        ),
    )


WALL_STATE = """
const $ = (id) => document.getElementById(id);
const img = $('topology');
return {
  feed: $('feed-status').className,
  devices: $('kpi-devices').textContent,
  services: $('kpi-services').textContent,
  topology: img && img.complete ? img.naturalWidth : 0,
  power: [...document.querySelectorAll('#power li')].map((li) => ({
    name: (li.querySelector('.name') || {}).textContent,
    val: (li.querySelector('.val') || {}).textContent,
  })),
  cards: [...document.querySelectorAll('#incidents li[data-id]')].map((li) => li.dataset.id),
  h1: document.querySelector('h1') ? document.querySelector('h1').textContent : '',
};
"""


def wall_state(driver: Any) -> dict[str, Any]:
    return dict(_js(driver, WALL_STATE))


def wall_filled(driver: Any, city: City) -> dict[str, Any] | None:
    """The wall's state once it shows the lab: feed live, counts, topology, power values."""
    state = wall_state(driver)
    snap = city.api.get("/api/v1/wall").json()
    want = f"{snap['devices_by_state'].get('up', 0)}/{snap['devices_total']}"
    ups_names = {u["name"] for u in snap["facility"]["ups"]}
    power_vals = {p["name"]: p["val"] for p in state["power"]}
    ok = (
        state["feed"] == "feed live"
        and state["devices"] == want
        and state["topology"] > 0
        and ups_names
        and ups_names <= set(power_vals)
        and all(power_vals[n] not in ("", "–", None) for n in ups_names)
    )
    return state if ok else None


def test_an_operator_logs_in_and_the_wall_fills_from_the_lab(city: City, browser: Any) -> None:
    log_in(browser, city.base, OPERATOR)
    state = _until("the wall to fill from the lab", lambda: wall_filled(browser, city), 30)
    total = city.stack.device_count
    assert state["devices"] == f"{total}/{total}", "every lab device answers: all up"
    assert state["services"] not in ("", "–") and "/" in state["services"]
    assert state["h1"].startswith(TITLES["en"])
    # the lab's UPSes are on utility power before any fault, and the panel says so
    if city.incident_id is None:
        assert not any("bad" in c for c in _js(browser, POWER_CLASSES))


WATCH = """
window.__nocMarker = arguments[0];
window.__cardSeen = {};
const list = document.getElementById('incidents');
const mark = () => {
  for (const li of list.querySelectorAll('li[data-id]')) {
    if (!(li.dataset.id in window.__cardSeen)) window.__cardSeen[li.dataset.id] = Date.now();
  }
};
mark();
new MutationObserver(mark).observe(list, {childList: true, subtree: true});
return Object.keys(window.__cardSeen);
"""


def _epoch(iso: str) -> float:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def test_a_fault_reaches_the_open_wall_without_a_reload_within_5_s(
    city: City, browser: Any
) -> None:
    # the tests run in file order: this one injects the fault the later ones share
    assert city.incident_id is None, "the fault was injected before this test"
    log_in(browser, city.base, OPERATOR)
    _until("the wall to fill", lambda: wall_filled(browser, city), 30)
    marker = f"noc-{os.getpid()}-{time.monotonic_ns()}"
    before = _js(browser, WATCH, marker)
    origin = _js(browser, "return performance.timeOrigin")
    url = browser.current_url

    inc, listed_at = city.inject()
    card = str(inc["id"])
    assert card not in before
    seen_ms = _until(
        "the incident card on the open wall",
        lambda: _js(browser, "return (window.__cardSeen || {})[arguments[0]]", card),
        timeout=15,
        every=0.05,
    )
    seen = seen_ms / 1000
    from_opened = seen - _epoch(inc["opened_at"])
    from_listed = seen - listed_at
    print(
        f"\nincident #{card}: card on the wall {from_opened:.2f} s after opened_at, "
        f"{from_listed:+.2f} s after the API first listed it (target <= {LIVE_DEADLINE_S} s)"
    )
    assert from_opened <= LIVE_DEADLINE_S
    # no reload, no navigation: the same document, with the marker set before the fault
    assert _js(browser, "return window.__nocMarker") == marker
    assert _js(browser, "return performance.timeOrigin") == origin
    assert browser.current_url == url
    title = _js(
        browser,
        "return document.querySelector('#incidents li[data-id=\"' + arguments[0] + '\"]')"
        ".textContent",
        card,
    )
    assert inc["title"] in title


def test_the_operator_acknowledges_from_the_wall_card(city: City, browser: Any) -> None:
    inc_id = city.incident()
    before = city.api.get(f"/api/v1/incidents/{inc_id}").json()["incident"]
    assert before["acknowledged_by"] is None
    log_in(browser, city.base, OPERATOR)
    link = f'#incidents li[data-id="{inc_id}"] a[href$="/incidents/{inc_id}"]'
    _until("the card's link", lambda: browser.find_elements("css selector", link), 30)
    browser.find_element("css selector", link).click()
    _until("the incident page", lambda: browser.find_elements("id", "ack-form"), 15)
    assert browser.current_url.split("?")[0].endswith(f"/incidents/{inc_id}")
    browser.find_element("id", "ack").click()
    state = _until(
        "#ack-state naming the operator",
        lambda: (lambda t: t if OPERATOR[0] in t else None)(
            browser.find_element("id", "ack-state").text
        ),
        15,
    )
    assert OPERATOR[0] in state
    after = city.api.get(f"/api/v1/incidents/{inc_id}").json()["incident"]
    assert after["acknowledged_by"] == OPERATOR[0]
    assert after["acknowledged_at"] is not None


FETCH_ACK = """
const done = arguments[arguments.length - 1];
const meta = document.querySelector('meta[name="csrf-token"]');
const csrf = arguments[1] === null ? (meta ? meta.content : '') : arguments[1];
fetch('/api/v1/incidents/' + arguments[0] + '/acknowledge', {
  method: 'POST',
  headers: {'Content-Type': 'application/json', 'X-CSRF-Token': csrf},
  body: JSON.stringify({text: 'viewer tries'}),
}).then(async (r) => done({status: r.status, body: await r.text(), csrf: csrf}))
  .catch((e) => done({status: -1, body: String(e), csrf: csrf}));
"""


def test_a_viewer_sees_the_wall_but_may_not_acknowledge(city: City, browser: Any) -> None:
    inc_id = city.incident()
    log_in(browser, city.base, VIEWER)
    _until("the wall to fill for the viewer", lambda: wall_filled(browser, city), 30)
    browser.get(f"{city.base}/incidents/{inc_id}")
    _until("the 403 page", lambda: browser.find_elements("id", "forbidden"), 15)
    assert not browser.find_elements("id", "ack")
    answer = browser.execute_async_script(FETCH_ACK, inc_id, None)
    assert answer["csrf"], "the page carries the session's CSRF token"
    assert answer["status"] == 403, answer
    assert "role" in answer["body"] and "CSRF" not in answer["body"], answer["body"]
    # with a wrong token the refusal names the token instead: the fetch above did pass the
    # CSRF check and was refused for the viewer's role
    wrong = browser.execute_async_script(FETCH_ACK, inc_id, "not-the-token")
    assert wrong["status"] == 403 and "CSRF" in wrong["body"], wrong
    incident = city.api.get(f"/api/v1/incidents/{inc_id}").json()["incident"]
    assert incident["acknowledged_by"] != VIEWER[0]


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", head[16:24])
    return int(width), int(height)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_screenshots_of_the_wall_with_the_fault_active(city: City, browser: Any, lang: str) -> None:
    inc_id = city.incident()
    log_in(browser, city.base, OPERATOR, lang)
    browser.get(f"{city.base}/wall?lang={lang}")

    def ready() -> dict[str, Any] | None:
        state = wall_filled(browser, city)
        return state if state and str(inc_id) in state["cards"] else None

    state = _until("the wall with the incident", ready, 30)
    assert state["h1"].startswith(TITLES[lang])
    # a UPS on battery shows as such on the power panel
    assert any("bad" in c for c in _js(browser, POWER_CLASSES)), "no UPS shown on battery"
    shots = artifacts_dir(REPO / "test-artifacts" / "browser")
    shot = shots / f"wall-fault-1920x1080-{lang}.png"
    assert browser.save_screenshot(str(shot))
    assert _png_size(shot) == (1920, 1080)
    assert shot.stat().st_size > 50_000, "a blank page compresses to far less"
