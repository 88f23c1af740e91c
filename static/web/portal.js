/* Shared behaviour of every page, with no inline script (the Content-Security-Policy allows
   scripts from the portal's own files only):
   - a form or button with data-confirm asks before it is sent (irreversible steps);
   - a button with data-print prints the page. */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var question = (button && button.dataset.confirm) || form.dataset.confirm;
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-print]") : null;
    if (target) {
      event.preventDefault();
      window.print();
    }
  });
})();
