// The review of a draft: following a link to a passage (#passage-START-END)
// marks every piece of it in the source text. The browser itself scrolls the
// text to the passage and focuses its first piece (a focusable target), with
// or without this script.
(() => {
  "use strict";
  const PREFIX = "#passage-";

  function showPassage() {
    for (const mark of document.querySelectorAll("mark.is-current")) mark.classList.remove("is-current");
    if (!location.hash.startsWith(PREFIX)) return;
    const name = location.hash.slice(PREFIX.length);
    for (const mark of document.querySelectorAll("mark[data-passages]")) {
      if (mark.dataset.passages.split(" ").includes(name)) mark.classList.add("is-current");
    }
  }

  addEventListener("hashchange", showPassage);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", showPassage);
  else showPassage();
})();
