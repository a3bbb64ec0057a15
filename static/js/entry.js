// The GOV.UK error summary pattern: when a page comes back with problems, the summary takes
// the focus so that screen readers read it first and keyboard users start from its links.
(function () {
  "use strict";
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) {
    summary.focus();
  }
})();
