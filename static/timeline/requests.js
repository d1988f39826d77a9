/* What a reader sees of htmx requests: while one runs, its target is marked
 * aria-busy and a "Loading…" note shows; when one fails (an error status, no
 * connection, a timeout), the page stays as it was and a message says so, with
 * a Retry that sends the same request again. The words are in the page
 * (templates/_request_status.html); nothing the server sent with an error is
 * shown. */
(function () {
  "use strict";

  var running = new Map();  // xhr -> the element its answer will replace
  var failed = null;        // the request the message offers to retry

  function region() {
    return document.querySelector("[data-request-status]");
  }

  function connected(element) {
    return Boolean(element) && element !== document.body && document.body.contains(element);
  }

  function showLoading() {
    var note = region() && region().querySelector(".request-loading");
    if (note) note.hidden = running.size === 0;
  }

  // Counted from htmx:beforeSend, not htmx:beforeRequest: another listener may
  // cancel a request after beforeRequest, and then no afterRequest follows.
  document.addEventListener("htmx:beforeSend", function (event) {
    // A part of the page that loads itself after the results (the zoom
    // presets) keeps the reader waiting for nothing: no "Loading…" for it.
    if (event.detail.elt.closest("[data-loads-after]")) return;
    var target = event.detail.target;
    running.set(event.detail.xhr, target);
    target.setAttribute("aria-busy", "true");
    showLoading();
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    // Fired twice when the element that asked was swapped out; count it once.
    if (!running.has(xhr)) return;
    var target = running.get(xhr);
    running.delete(xhr);
    var stillBusy = Array.from(running.values()).indexOf(target) !== -1;
    if (!stillBusy) target.removeAttribute("aria-busy");
    showLoading();
    if (event.detail.successful && failed && (failed.target === target || !connected(failed.target))) {
      clearMessage();
    }
  });

  document.addEventListener("htmx:responseError", function (event) {
    showMessage(event.detail, "response");
  });
  document.addEventListener("htmx:sendError", function (event) {
    showMessage(event.detail, "network");
  });
  document.addEventListener("htmx:timeout", function (event) {
    showMessage(event.detail, "timeout");
  });

  function showMessage(detail, reason) {
    var status = region();
    var template = status && status.querySelector("template[data-request-error]");
    if (!template) return;
    var config = detail.requestConfig;
    var trigger = config.triggeringEvent && config.triggeringEvent.target;
    failed = {
      verb: config.verb,
      path: config.path,
      finalPath: detail.pathInfo.finalRequestPath,
      source: config.elt,
      target: detail.target,
      etc: detail.etc || {},
      // Where the reader was: the ticked box, the link.
      focus: trigger instanceof Element ? trigger : config.elt,
    };
    var message = template.content.cloneNode(true);
    message.querySelectorAll("[data-reason]").forEach(function (part) {
      if (part.dataset.reason !== reason) part.remove();
    });
    var code = message.querySelector("[data-status]");
    if (code) code.textContent = String(detail.xhr.status);
    var alert = status.querySelector(".request-error");
    alert.replaceChildren(message);
  }

  function clearMessage() {
    var alert = region() && region().querySelector(".request-error");
    if (alert) alert.replaceChildren();
    failed = null;
  }

  function returnFocus(element) {
    if (connected(element) && element.matches("a[href], button, input, select, textarea, summary, [tabindex]")) {
      element.focus();
    }
  }

  // The same request again: the same verb, path, target and swap, from the same
  // element, so its form values and hx-push-url apply as they did the first
  // time. If that element has gone, the full address it asked for.
  function retry() {
    var request = failed;
    clearMessage();
    if (!request || !connected(request.target)) return;
    var hasSource = connected(request.source);
    htmx.ajax(request.verb, hasSource ? request.path : request.finalPath, {
      source: hasSource ? request.source : undefined,
      target: request.target,
      swap: request.etc.swapOverride,
      select: request.etc.select,
      push: request.etc.push,
      replace: request.etc.replace,
      headers: request.etc.headers,
      values: request.etc.values,
    }).catch(function () {
      // A second failure is shown by the handlers above.
    });
    returnFocus(request.focus);
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest(".request-retry")) {
      retry();
    } else if (event.target.closest(".request-dismiss")) {
      var request = failed;
      clearMessage();
      if (request) returnFocus(request.focus);
    }
  });
})();
