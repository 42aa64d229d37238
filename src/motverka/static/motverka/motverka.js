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

  function start() {
    document.querySelectorAll("form[data-identity-number-form]").forEach(guardSearchForm);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
