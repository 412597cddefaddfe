// Autosave for a step's answers: a few seconds after typing stops, post the form to its
// data-autosave-url and show the server's short answer ("Saved at 14:05", or what is wrong)
// in the aria-live region. Progressive enhancement only: the Save button always works.
(function () {
  "use strict";
  var DELAY = 3000;

  function setUp(form) {
    var url = form.getAttribute("data-autosave-url");
    var status = form.querySelector("[data-autosave-status]");
    var timer = null;
    var busy = false;
    var again = false;

    function save() {
      if (busy) { again = true; return; }
      busy = true;
      fetch(url, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "HX-Request": "true" }
      }).then(function (response) {
        return response.text();
      }).then(function (html) {
        // The partial is rendered by Django's templates, which escape every user value.
        if (status) { status.innerHTML = html; }
      }).catch(function () {
        if (status) { status.textContent = status.getAttribute("data-offline-text") || ""; }
      }).finally(function () {
        busy = false;
        if (again) { again = false; save(); }
      });
    }

    function schedule() {
      if (timer) { window.clearTimeout(timer); }
      timer = window.setTimeout(save, DELAY);
    }

    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
    form.addEventListener("submit", function () {
      if (timer) { window.clearTimeout(timer); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var forms = document.querySelectorAll("form[data-autosave-url]");
    for (var i = 0; i < forms.length; i++) { setUp(forms[i]); }
  });
})();
