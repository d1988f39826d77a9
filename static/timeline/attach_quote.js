/* Admin passage picker: copy the selected characters of the source text, and
 * their offset, into the attach-quote form. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var container = document.getElementById("attach-source-text");
    var form = document.getElementById("attach-quote-form");
    if (!container || !form) return;
    function capture() {
      var selection = window.getSelection();
      if (!selection.rangeCount) return;
      var range = selection.getRangeAt(0);
      if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return;
      var text = range.toString();
      if (!text) return;
      var before = document.createRange();
      before.selectNodeContents(container);
      before.setEnd(range.startContainer, range.startOffset);
      form.elements.text.value = text;
      // Count characters as Python does (code points), not UTF-16 units,
      // so an emoji or a flag before the passage does not shift it.
      form.elements.start.value = Array.from(before.toString()).length;
    }
    container.addEventListener("mouseup", capture);
    container.addEventListener("keyup", capture);
  });
})();
