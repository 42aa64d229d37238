// Warns a signed-in user before the session ends for inactivity (no inline script: the
// texts and times come from data attributes on <body>, set by base.html).
(function () {
  "use strict";
  var body = document.body;
  var idle = Number(body.dataset.sessionIdleSeconds || 0);
  if (!idle) { return; }
  var warnBefore = Number(body.dataset.sessionWarningSeconds || 120);
  var warningTimer = null;
  var endTimer = null;
  var notice = null;

  function csrfToken() {
    try { return JSON.parse(body.getAttribute("data-hx-headers") || "{}")["X-CSRFToken"] || ""; }
    catch (error) { return ""; }
  }

  function removeNotice() {
    if (notice) { notice.remove(); notice = null; }
  }

  function showNotice(text, withButton) {
    removeNotice();
    notice = document.createElement("div");
    notice.className = "session-warning";
    notice.setAttribute("role", "alert");
    var message = document.createElement("p");
    message.textContent = text;
    notice.appendChild(message);
    if (withButton) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = body.dataset.sessionContinueText;
      button.addEventListener("click", keepAlive);
      notice.appendChild(button);
    } else {
      var link = document.createElement("a");
      link.href = body.dataset.sessionLoginUrl;
      link.textContent = body.dataset.sessionLoginText;
      notice.appendChild(link);
    }
    body.insertBefore(notice, body.firstChild);
    if (withButton) { notice.querySelector("button").focus(); }
  }

  function schedule() {
    clearTimeout(warningTimer);
    clearTimeout(endTimer);
    warningTimer = setTimeout(function () {
      showNotice(body.dataset.sessionWarningText, true);
    }, Math.max(0, idle - warnBefore) * 1000);
    endTimer = setTimeout(function () {
      showNotice(body.dataset.sessionEndedText, false);
    }, idle * 1000);
  }

  function keepAlive() {
    fetch(body.dataset.sessionKeepAliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() }
    }).then(function (response) {
      if (response.ok) { removeNotice(); schedule(); }
      else { showNotice(body.dataset.sessionEndedText, false); }
    });
  }

  // A request made by htmx (a panel form, a search) is activity too.
  document.addEventListener("htmx:afterRequest", schedule);
  schedule();
}());
