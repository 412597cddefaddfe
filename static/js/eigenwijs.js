// Progressive enhancement only: every page works without JavaScript.
// Put the focus on the error summary after a failed submit, so keyboard and screen-reader users hear it.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("form-errors");
  if (summary) { summary.focus(); }
});
