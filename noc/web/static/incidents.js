// Incident pages: the countdown to each unacknowledged incident's response target (1 hour by
// default) ticks every second; past the target it turns into "overdue by". Texts come from the
// page (data-due-in / data-overdue on #incidents-root), so both languages work.
"use strict";
(function () {
  const root = document.getElementById("incidents-root");
  if (!root) { return; }
  const dueIn = root.dataset.dueIn, overdue = root.dataset.overdue;
  const clock = (ms) => {
    const s = Math.floor(Math.abs(ms) / 1000);
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    return (h ? h + ":" + String(m).padStart(2, "0") : String(m)) + ":" + String(sec).padStart(2, "0");
  };
  function tick() {
    const now = Date.now();
    for (const el of document.querySelectorAll(".due[data-due]")) {
      const left = Date.parse(el.dataset.due) - now;
      el.textContent = (left >= 0 ? dueIn : overdue) + " " + clock(left);
      el.classList.toggle("over", left < 0);
    }
  }
  tick();
  setInterval(tick, 1000);
})();

// Acknowledge in place: the API answers with the incident, the page shows who acknowledged it
// at once (no reload), drops the form and adds the step to the timeline.
(function () {
  const root = document.getElementById("incidents-root");
  const form = document.getElementById("ack-form");
  if (!root || !form || !window.noc) { return; }
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  };
  const when = (iso) => new Intl.DateTimeFormat(root.dataset.lang === "id" ? "id-ID" : "en-GB", {
    timeZone: root.dataset.tz, day: "numeric", month: "short", year: "numeric",
    hour: "2-digit", minute: "2-digit", timeZoneName: "short",
  }).format(new Date(iso));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button");
    button.disabled = true;
    let inc;
    try {
      inc = await window.noc.act("POST", form.dataset.ackUrl, window.noc.fields(form));
    } catch (_) {
      button.disabled = false;
      return;
    }
    const state = document.getElementById("ack-state");
    state.dataset.acknowledgedBy = inc.acknowledged_by;
    state.replaceChildren(
      el("span", "ack", root.dataset.ackBy + " " + inc.acknowledged_by),
      document.createTextNode(" "),
      el("span", "dim", when(inc.acknowledged_at)),
    );
    const status = document.getElementById("incident-status");
    if (status) { status.textContent = root.dataset.acknowledged; status.className = "status acknowledged"; }
    const timeline = document.querySelector("ol.timeline");
    if (timeline) {
      const li = el("li", "event acknowledged");
      li.dataset.kind = "acknowledged";
      li.append(el("span", "when", when(inc.acknowledged_at)), el("b", null, root.dataset.ackEvent),
        document.createTextNode(" " + root.dataset.by + " "), el("span", "actor", inc.acknowledged_by));
      const note = form.elements.text ? form.elements.text.value : "";
      if (note) { li.append(el("div", "note", note)); }
      timeline.append(li);
    }
    form.remove();
  });
})();
