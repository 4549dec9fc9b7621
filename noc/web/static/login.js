// Log in through the API; the server sets the session cookie.
"use strict";
(function () {
  const form = document.getElementById("login");
  const error = document.getElementById("login-error");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { username: form.username.value, password: form.password.value };
    const response = await fetch("/api/v1/auth/login", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    if (response.ok) {
      window.location.assign(form.dataset.next || "/wall");
      return;
    }
    let detail = "";
    try { detail = (await response.json()).detail; } catch (_) { /* not JSON */ }
    error.textContent = form.dataset.failed + (detail ? ": " + detail : "");
    error.hidden = false;
  });
})();
