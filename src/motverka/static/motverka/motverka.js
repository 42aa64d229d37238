/*
 * Motverka's own script: small progressive enhancements, loaded on every page and doing
 * nothing where their markup is absent. Everything works without it. It is a static file
 * because the Content-Security-Policy allows no inline script.
 */
(function () {
  "use strict";

  // The shape the server refuses in a URL (audit/logging.py): 10 or 12 digits, with an
  // optional - or + before the last four. Shape only: a mistyped number is still private.
  var IDENTITY_NUMBER = /(^|[^0-9])([0-9]{2})?[0-9]{6}[-+]?[0-9]{4}(?![0-9])/;

  // A GET search form marked with data-identity-number-form="ID" hands a text shaped like
  // an identity number to the POST form with that id instead, so the number travels in a
  // request body and never lands in the address bar, the history or a server log.
  function guardSearchForm(form) {
    var postForm = document.getElementById(form.dataset.identityNumberForm);
    var textField = form.elements.namedItem("q");
    if (!postForm || !textField) {
      return;
    }
    form.addEventListener("submit", function (event) {
      if (!IDENTITY_NUMBER.test(textField.value)) {
        return;
      }
      event.preventDefault();
      postForm.elements.namedItem("identity_number").value = textField.value.trim();
      textField.value = "";
      postForm.submit();
    });
  }

  // A form sent back with errors: focus moves to its summary, so a screen reader reads
  // it at once and the keyboard starts from the links to the fields (WCAG 3.3.1).
  function focusErrorSummary(root) {
    var summary = root.querySelector(".error-summary");
    if (summary) {
      summary.focus();
    }
  }

  // A wide table scrolls inside its own box at narrow widths instead of widening the
  // page (WCAG 1.4.10); the box can be reached and scrolled with the keyboard.
  function scrollTables(root) {
    var used = {};
    document.querySelectorAll(".table-scroll[aria-label]").forEach(function (box) {
      used[box.getAttribute("aria-label")] = true;
    });
    root.querySelectorAll("table").forEach(function (table) {
      if (table.parentElement.classList.contains("table-scroll")) {
        return;
      }
      var box = document.createElement("div");
      box.className = "table-scroll";
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      var caption = table.querySelector("caption");
      var heading = table.closest("section, .card");
      heading = heading && heading.querySelector("h2, h3");
      // "Tabell: …" keeps the region's name apart from the section it stands in.
      var name = (document.body.dataset.tableLabel || "Tabell") + ": " + ((caption || heading || {}).textContent || "").trim();
      for (var number = 2; used[name]; number += 1) {
        name = name.replace(/ \(\d+\)$/, "") + " (" + number + ")";
      }
      used[name] = true;
      box.setAttribute("aria-label", name);
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
  }

  // htmx swaps a 4xx answer in (see responseHandling in base.html); a form sent with the
  // button, not a changed field, then moves focus to the errors as a full page would.
  function afterSwap(event) {
    var target = event.detail && event.detail.target;
    var root = target && target.isConnected ? target : document;
    scrollTables(root);
    var trigger = event.detail && event.detail.requestConfig && event.detail.requestConfig.triggeringEvent;
    if (trigger && trigger.type === "submit") {
      focusErrorSummary(document);
    }
  }

  function start() {
    document.querySelectorAll("form[data-identity-number-form]").forEach(guardSearchForm);
    scrollTables(document);
    focusErrorSummary(document);
    document.body.addEventListener("htmx:afterSettle", afterSwap);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
