// Progressive enhancement only: every page works without this file.
// When a form comes back with errors, move focus to the summary so screen readers announce it.
(function () {
  var summary = document.querySelector('[data-error-summary]');
  if (summary) summary.focus();
})();
