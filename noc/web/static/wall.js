// The Command Center wall: renders /api/v1/wall snapshots pushed over server-sent events.
// Reconnects by itself (EventSource), shows a stale banner when the feed goes quiet or the
// server says the collectors stopped, counts down to each incident's response target, and
// makes a new critical incident impossible to miss (flash, optional sound).
"use strict";
(function () {
  const root = document.getElementById("wall");
  const t = JSON.parse(document.getElementById("i18n").textContent);
  const lang = root.dataset.lang, tz = root.dataset.tz;
  const locale = lang === "id" ? "id-ID" : "en-GB";
  const STALE_AFTER_MS = 25000;
  let lastMessage = 0, snapshot = null, seenCritical = null;

  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const num = (n) => new Intl.NumberFormat(locale).format(n);
  const time = (iso) => new Intl.DateTimeFormat(locale, {
    timeZone: tz, hour: "2-digit", minute: "2-digit", day: "numeric", month: "short",
  }).format(new Date(iso));
  const duration = (ms) => {
    const s = Math.max(0, Math.round(Math.abs(ms) / 1000));
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    return (h ? h + ":" + String(m).padStart(2, "0") : m) + ":" + String(sec).padStart(2, "0");
  };

  function renderOverall(s) {
    const up = s.devices_by_state.up || 0;
    $("kpi-devices").textContent = num(up) + "/" + num(s.devices_total);
    $("kpi-services").textContent =
      (s.services_up === null ? "–" : num(s.services_up)) + "/" + num(s.services_total);
    $("kpi-incidents").textContent = num(s.incidents.length);
    const sev = $("severities");
    sev.replaceChildren();
    for (const [name, count] of Object.entries(s.incidents_by_severity)) {
      if (!count) continue;
      const li = el("li", "sev " + name);
      li.append(el("b", null, num(count)), el("span", null, t["severity." + name] || name));
      sev.append(li);
    }
  }

  function renderIncidents(s) {
    const list = $("incidents");
    list.replaceChildren();
    for (const inc of s.incidents) {
      const li = el("li", inc.severity);
      li.dataset.id = inc.id;
      const title = el("a", "title", "#" + inc.id + " " + ((inc.titles && inc.titles[lang]) || inc.title));
      title.href = "/incidents/" + inc.id;
      title.style.cssText = "display:block;color:inherit;text-decoration:none";
      li.append(title);
      const meta = el("div", "meta");
      meta.append(el("span", "sev", t["severity." + inc.severity] || inc.severity));
      meta.append(el("span", "age", time(inc.opened_at)));
      if (inc.acknowledged_by) {
        meta.append(el("span", "ack", t["wall.acknowledged_by"] + " " + inc.acknowledged_by));
      } else {
        const due = el("span", "due", "");
        due.dataset.due = inc.response_due_at;
        meta.append(due);
      }
      if (inc.root_cause) meta.append(el("span", "root", inc.root_cause));
      li.append(meta);
      list.append(li);
    }
    const critical = s.incidents.filter((i) => i.severity === "critical").map((i) => i.id);
    if (seenCritical !== null) {
      const fresh = critical.filter((id) => !seenCritical.has(id));
      for (const id of fresh) {
        const card = list.querySelector('li[data-id="' + id + '"]');
        if (card) card.classList.add("new");
      }
      if (fresh.length && root.dataset.sound) beep();
    }
    seenCritical = new Set(critical);
  }

  function renderRows(listId, rows, build) {
    const list = $(listId);
    list.replaceChildren(...rows.map(build));
  }

  function renderProblems(s) {
    renderRows("problems", s.problems, (p) => {
      const li = el("li");
      li.append(el("span", "state " + p.state, t["state." + p.state] || p.state));
      li.append(el("span", "name", p.name));
      li.append(el("span", "site", p.site_name + (p.root_causes.length ? " ← " + p.root_causes.join(", ") : "")));
      return li;
    });
  }

  function renderRings(s) {
    renderRows("rings", s.rings, (r) => {
      const li = el("li");
      li.append(el("span", "state " + r.status, t["ring." + r.status] || r.status));
      li.append(el("span", "name", r.ring));
      if (r.status !== "intact") li.append(el("span", "msg", r.message));
      return li;
    });
  }

  const pct = (r) => (r === null || r === undefined ? "–" : num(Math.round(r * 1000) / 10) + "%");
  const deg = (c) => (c === null || c === undefined ? "–" : num(Math.round(c * 10) / 10) + "°C");
  const mins = (s) => (s === null || s === undefined ? "–" : num(Math.round(s / 60)) + " min");

  function renderPower(s) {
    const f = s.facility;
    const rows = f.ats.map((a) => {
      const li = el("li");
      li.append(el("span", "name", a.name));
      // On an input that has failed (PLN down, genset not yet on), the ATS delivers nothing:
      // the UPSes carry the load on battery.
      const dead = (a.source === "utility" && a.utility === "fail") || (a.source === "generator" && a.generator === "fail");
      const shown = dead ? "no_power" : a.source;
      li.append(el("span", "val" + (dead || a.source === "generator" ? " bad" : a.source === "utility" ? "" : " warn"),
        shown ? (t["ats." + shown] || shown) : "–"));
      const input = (label, st) => t[label] + " " + (st ? (t["ats." + st] || st) : "–");
      li.append(el("span", "kv", input("ats.input_utility", a.utility) + " · " + input("ats.input_generator", a.generator) +
        // lost redundancy is news only when both inputs say ok
        (a.redundancy === "lost" && a.utility === "ok" && a.generator === "ok" ? " · " + t["ats.redundancy_lost"] : "")));
      return li;
    });
    rows.push(...f.ups.map((u) => {
      const li = el("li");
      const onBattery = u.source === "battery";
      li.append(el("span", "name", u.name));
      li.append(el("span", "val" + (onBattery ? " bad" : ""), u.source ? (t["source." + u.source] || u.source) : "–"));
      li.append(el("span", "kv", t["power.charge"] + " " + pct(u.charge_ratio) + " · " + t["power.runtime"] + " " +
        mins(u.runtime_seconds) + " · " + t["power.load"] + " " + pct(u.load_ratio)));
      return li;
    }));
    for (const g of f.gensets) {
      const li = el("li");
      li.append(el("span", "name", g.name));
      const text = g.running === null ? "–" : t[g.running ? "power.genset_running" : "power.genset_stopped"];
      li.append(el("span", "val" + (g.running ? " warn" : ""), text));
      rows.push(li);
    }
    $("power").replaceChildren(...rows);
  }

  function renderCooling(s) {
    const f = s.facility;
    const rows = f.cooling.map((c) => {
      const li = el("li");
      li.append(el("span", "name", c.name));
      if (c.state) {
        const bad = c.state !== "running" && c.state !== "standby";
        li.append(el("span", "val" + (bad ? " bad" : ""), t["cooling.state." + c.state] || c.state));
      }
      li.append(el("span", "kv", t["cooling.supply"] + " " + deg(c.supply_celsius) + " · " + t["cooling.return"] +
        " " + deg(c.return_celsius)));
      return li;
    });
    // Room sensors: one row for the room's temperature range (ASHRAE recommended 18-27 C), and a
    // row of its own for each sensor that raises an alarm (water leak, door open).
    const temps = f.rooms.filter((r) => r.celsius !== null).map((r) => r.celsius);
    if (temps.length) {
      const lo = Math.min(...temps), hi = Math.max(...temps);
      const li = el("li");
      li.append(el("span", "name", t["cooling.room"]));
      const hot = hi > 27 || lo < 18;
      li.append(el("span", "val" + (hot ? " bad" : ""), lo === hi ? deg(lo) : deg(lo) + " – " + deg(hi)));
      rows.push(li);
    }
    for (const r of f.rooms) {
      const alarms = [r.water_leak && t["room.leak"], r.door_open && t["room.door_open"]].filter(Boolean);
      if (!alarms.length) continue;
      const li = el("li");
      li.append(el("span", "name", r.name));
      li.append(el("span", "val bad", alarms.join(" · ")));
      rows.push(li);
    }
    $("cooling").replaceChildren(...rows);
  }

  function renderLinks(s) {
    renderRows("links", s.facility.busiest_links, (l) => {
      const li = el("li");
      li.append(el("span", "name", l.link + " · " + l.device + " " + l.interface));
      li.append(el("span", "val" + (l.over_limit ? " bad" : ""), pct(l.utilization_ratio)));
      return li;
    });
  }

  let topologyKey = null, topologyVersion = 0;
  function renderTopology(s) {
    // The SVG is drawn by the server from the same live state. Reload it only when what it
    // shows changed, and swap it in once loaded so the panel never goes blank.
    const key = JSON.stringify([s.problems, s.rings, s.services_down, s.sites_cut_off]);
    if (key === topologyKey) return;
    topologyKey = key;
    topologyVersion += 1;
    const url = "/api/v1/topology/svg?width=1600&height=1200&lang=" + lang + "&v=" + topologyVersion;
    const img = $("topology");
    if (!img.getAttribute("src")) {
      img.src = url;  // the first picture: nothing to keep on screen meanwhile
      return;
    }
    const next = new Image();
    next.onload = () => { img.src = url; };  // now cached: the swap is instant
    next.src = url;
  }

  function renderMaintenance(s) {
    renderRows("maintenance", s.maintenance, (m) => {
      const li = el("li");
      li.append(el("span", "state maintenance", t["state.maintenance"]));
      li.append(el("span", "name", m.target));
      li.append(el("span", "site", time(m.starts_at) + " – " + time(m.ends_at)));
      return li;
    });
  }

  function render(s) {
    snapshot = s;
    renderOverall(s);
    renderIncidents(s);
    renderProblems(s);
    renderMaintenance(s);
    renderRings(s);
    renderPower(s);
    renderCooling(s);
    renderLinks(s);
    renderTopology(s);
    tick();
  }

  function tick() {
    const now = Date.now();
    $("clock").textContent = new Intl.DateTimeFormat(locale, {
      timeZone: tz, hour: "2-digit", minute: "2-digit", second: "2-digit",
    }).format(new Date(now));
    for (const due of document.querySelectorAll(".due[data-due]")) {
      const left = Date.parse(due.dataset.due) - now;
      due.textContent = t["wall.response_due"] + " " + (left < 0 ? "-" : "") + duration(left);
      due.classList.toggle("overdue", left < 0);
    }
    const quiet = lastMessage && now - lastMessage > STALE_AFTER_MS;
    const serverStale = snapshot && snapshot.stale;
    $("stale").hidden = !(quiet || serverStale);
    $("stale-reason").textContent = serverStale && snapshot.stale_reason ? " (" + snapshot.stale_reason + ")" : "";
  }

  function beep() {
    try {
      const ctx = new AudioContext(), osc = ctx.createOscillator();
      osc.frequency.value = 880;
      osc.connect(ctx.destination);
      osc.start();
      osc.stop(ctx.currentTime + 0.6);
    } catch (_) { /* no audio on this display */ }
  }

  function connect() {
    const status = $("feed-status");
    const source = new EventSource("/api/v1/wall/stream");
    // "Live" once a snapshot from this connection is on the screen, not when the connection
    // opens: until then the panels still show what they showed before (or nothing).
    source.addEventListener("snapshot", (e) => {
      lastMessage = Date.now();
      render(JSON.parse(e.data));
      status.className = "feed live";
      status.textContent = t["wall.updated"];
    });
    source.addEventListener("ping", () => { lastMessage = Date.now(); });
    source.addEventListener("error", () => {
      status.className = "feed down";
      status.textContent = t["wall.connecting"];
      // EventSource retries by itself; a closed source (e.g. logged out) is reopened later.
      if (source.readyState === EventSource.CLOSED) setTimeout(connect, 5000);
    });
  }

  function rotate() {
    const panels = [...document.querySelectorAll(".panel")].filter((p) => p.offsetParent !== null);
    let i = 0;
    setInterval(() => {
      panels.forEach((p) => p.classList.remove("focus"));
      panels[i % panels.length].classList.add("focus");
      panels[i % panels.length].scrollIntoView({ block: "nearest" });
      i += 1;
    }, 15000);
  }

  setInterval(tick, 1000);
  tick();
  connect();
  if (root.dataset.kiosk) rotate();
})();
