/* Source reader: when the address names a quote (#quote-12), mark every
 * highlighted run of that passage and bring it into view. */
(function () {
  "use strict";
  function markTarget() {
    document.querySelectorAll("mark.is-target").forEach(function (mark) {
      mark.classList.remove("is-target");
    });
    var match = /^#quote-(\d+)$/.exec(window.location.hash);
    if (!match) return;
    var runs = Array.prototype.filter.call(document.querySelectorAll("mark[data-quotes]"), function (mark) {
      return mark.dataset.quotes.split(" ").indexOf(match[1]) !== -1;
    });
    runs.forEach(function (mark) { mark.classList.add("is-target"); });
    if (runs.length) runs[0].scrollIntoView({ block: "center" });
  }
  window.addEventListener("hashchange", markTarget);
  document.addEventListener("DOMContentLoaded", markTarget);
})();
