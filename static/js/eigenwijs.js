// Progressive enhancement only: every page works without JavaScript.
// Put the focus on the error summary after a failed submit, so keyboard and screen-reader users hear it.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("form-errors");
  if (summary) {
    summary.focus();
    // A page with a form's errors answers a POST. Make its place in the history a plain visit
    // of the same address: Back (after the form was fixed and sent) then shows the page as it
    // is now, instead of a stale editable form or a "resubmit the form?" question.
    if (window.history && window.history.replaceState) {
      window.history.replaceState(window.history.state, "", window.location.href);
    }
  }
});

// A page the browser restores from its back/forward cache shows what it was, not what is: after
// submitting a step, Back would show the editable form as "Open" again. Ask the server instead
// (pages with an editable step are sent with "Cache-Control: no-store" for the same reason).
window.addEventListener("pageshow", function (event) {
  if (event.persisted) { window.location.reload(); }
});
