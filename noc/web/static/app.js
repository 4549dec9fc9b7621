// The operator app's actions: every change goes through the JSON API with the session's CSRF
// token, so the API's role checks and audit apply. A form with data-action posts its fields as
// JSON to that URL; on success the page reloads (or follows data-then), on refusal the API's
// one-sentence reason is shown.
"use strict";
window.noc = (function () {
  const csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  const errorBox = document.getElementById("action-error");

  function showError(text) {
    if (!errorBox) { return; }
    errorBox.textContent = text;
    errorBox.hidden = false;
  }

  async function act(method, url, body) {
    const response = await fetch(url, {
      method: method,
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
    let data = null;
    try { data = await response.json(); } catch (_) { /* not JSON */ }
    if (!response.ok) {
      const detail = data && data.detail ? data.detail : response.status + " " + response.statusText;
      showError(detail);
      throw new Error(detail);
    }
    return data;
  }

  function fields(form) {
    const out = {};
    for (const el of form.elements) {
      if (!el.name || el.disabled) { continue; }
      if (el.type === "checkbox") { out[el.name] = el.checked; continue; }
      if (el.value === "") { continue; }
      if (el.dataset.kind === "number") { out[el.name] = Number(el.value); continue; }
      if (el.dataset.kind === "list") { out[el.name] = el.value.split(",").map((s) => s.trim()).filter(Boolean); continue; }
      if (el.dataset.kind === "datetime") { out[el.name] = new Date(el.value).toISOString(); continue; }
      out[el.name] = el.value;
    }
    return out;
  }

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!form.dataset || !form.dataset.action) { return; }
    event.preventDefault();
    const button = form.querySelector("button[type=submit], button:not([type])");
    if (button) { button.disabled = true; }
    try {
      const data = await act(form.dataset.method || "POST", form.dataset.action, fields(form));
      const then = form.dataset.then;
      if (then === "none") { return; }
      window.location.assign(then ? then.replace("{id}", data && data.id !== undefined ? data.id : "") : window.location.href);
    } catch (_) {
      if (button) { button.disabled = false; }
    }
  });

  const logout = document.getElementById("logout");
  if (logout) {
    logout.addEventListener("click", async (event) => {
      event.preventDefault();
      try { await act("POST", "/api/v1/auth/logout"); } finally { window.location.assign("/login"); }
    });
  }
  // The language link: remember the choice for this person (PUT /api/v1/me/language, which
  // also sets the cookie pages read), then reload without a ?lang= that would override it. The
  // link's own href (?lang=xx) stays the fallback without JavaScript or when the call fails.
  const langSwitch = document.getElementById("lang-switch");
  if (langSwitch && langSwitch.dataset.lang) {
    langSwitch.addEventListener("click", async (event) => {
      event.preventDefault();
      try {
        await act("PUT", "/api/v1/me/language", { language: langSwitch.dataset.lang });
        const url = new URL(window.location.href);
        url.searchParams.delete("lang");
        window.location.assign(url.toString());
      } catch (_) {
        window.location.assign(langSwitch.href);
      }
    });
  }
  return { act: act, fields: fields, showError: showError };
})();
