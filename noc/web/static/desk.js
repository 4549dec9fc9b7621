// The desk pages' forms that need more than app.js's generic data-action: local times sent with
// the site's UTC offset (data-offset), silence matchers typed as text (data-kind="matchers"),
// a repeated field (data-same-as), a reply to show instead of reloading (data-show: the API
// token's secret, shown once), and the auditor's export file posted as is for verification.
"use strict";
(function () {
  const MATCHER = /^([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(.*)$/;
  const OPS = { "=": [false, false], "!=": [false, true], "=~": [true, false], "!~": [true, true] };

  function parseMatchers(text) {
    const out = [];
    for (const part of text.split(",").map((s) => s.trim()).filter(Boolean)) {
      const m = MATCHER.exec(part);
      if (!m) { return null; }
      const [regex, negate] = OPS[m[2]];
      out.push({ name: m[1], value: m[3].trim(), regex: regex, negate: negate });
    }
    return out.length ? out : null;
  }

  // The JSON to send, or a string saying what is wrong with the form.
  function body(form) {
    const out = window.noc.fields(form);
    for (const el of form.querySelectorAll("[data-offset]")) {
      if (el.name && el.value) { out[el.name] = el.value + ":00" + el.dataset.offset; }
    }
    for (const el of form.querySelectorAll('[data-kind="matchers"]')) {
      const matchers = parseMatchers(el.value);
      if (matchers === null) { return form.dataset.badMatchers || "matchers?"; }
      out[el.name] = matchers;
    }
    for (const el of form.querySelectorAll("[data-same-as]")) {
      if (el.value !== form.elements[el.dataset.sameAs].value) { return form.dataset.mismatch || "?"; }
    }
    return out;
  }

  function show(id, data) {
    const box = document.getElementById(id);
    if (!box) { return; }
    for (const el of box.querySelectorAll("[data-field]")) {
      el.textContent = data && data[el.dataset.field] !== undefined ? data[el.dataset.field] : "";
    }
    box.hidden = false;
  }

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!form.dataset || !form.dataset.deskAction) { return; }
    event.preventDefault();
    const sent = body(form);
    if (typeof sent === "string") { window.noc.showError(sent); return; }
    const button = form.querySelector("button[type=submit], button:not([type])");
    if (button) { button.disabled = true; }
    try {
      const data = await window.noc.act(form.dataset.method || "POST", form.dataset.deskAction, sent);
      if (form.dataset.show) { show(form.dataset.show, data); form.reset(); if (button) { button.disabled = false; } return; }
      window.location.assign(form.dataset.then || window.location.href);
    } catch (_) {
      if (button) { button.disabled = false; }
    }
  });

  // The auditor's check: the export file goes to /api/v1/audit/verify as the request body.
  const verify = document.getElementById("verify-form");
  if (verify) {
    verify.addEventListener("submit", async (event) => {
      event.preventDefault();
      const file = verify.querySelector("input[type=file]").files[0];
      if (!file) { return; }
      const csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
      const response = await fetch(verify.dataset.verifyAction, {
        method: "POST",
        headers: { "Content-Type": "text/plain; charset=utf-8", "X-CSRF-Token": csrf },
        body: await file.text(),
        credentials: "same-origin",
      });
      let data = null;
      try { data = await response.json(); } catch (_) { /* not JSON */ }
      if (!response.ok) { window.noc.showError(data && data.detail ? String(data.detail) : String(response.status)); return; }
      const box = document.getElementById("verdict");
      box.querySelector('[data-verdict="ok"]').hidden = !data.ok;
      box.querySelector('[data-verdict="bad"]').hidden = data.ok;
      box.querySelector('[data-field="entries"]').textContent = data.entries;
      box.querySelector('[data-field="figures"]').textContent = data.figures;
      const list = box.querySelector('[data-field="problems"]');
      list.replaceChildren(...data.problems.map((p) => { const li = document.createElement("li"); li.textContent = p; return li; }));
      box.hidden = false;
    });
  }
})();
