/* Draws the timeline chart from the figure JSON the server put in the page,
 * and redraws it whenever htmx swaps in new results or restores history.
 * Clicking an event in the chart loads its detail into #event-detail via htmx.
 * Zooming or panning asks the server for the visible range (/chart.json), so
 * a density view turns into individual events once few enough are in view. */
(function () {
  "use strict";

  var CONFIG = {
    responsive: true,
    displaylogo: false,
    showSendToCloud: false,
    showLink: false,
    modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d", "sendChartToCloud"],
  };
  // Where the side panel sits below the list, open the event's own page instead.
  var NARROW = window.matchMedia("(max-width: 1200px)");

  // Plotly is large: the page preloads it, and it runs only once the list
  // has been painted, so the events are readable before the chart is.
  var plotlySrc = document.currentScript && document.currentScript.dataset.plotlySrc;
  var plotlyLoading = null;

  function withPlotly(callback) {
    if (typeof Plotly !== "undefined") return callback();
    if (!plotlySrc) return;
    if (!plotlyLoading) {
      plotlyLoading = new Promise(function (resolve) {
        var script = document.createElement("script");
        script.src = plotlySrc;
        script.onload = resolve;
        document.head.appendChild(script);
      });
    }
    plotlyLoading.then(callback);
  }

  function afterPaint(callback) {
    // The frame after the next one has been painted.
    requestAnimationFrame(function () { setTimeout(callback, 0); });
  }

  function drawChart() {
    if (typeof Plotly === "undefined") return withPlotly(drawChart);
    var results = document.getElementById("results");
    var chart = document.getElementById("timeline-chart");
    if (!results || !chart) return;
    var data = document.getElementById(results.dataset.figureId);
    if (!data) return;
    var figure = JSON.parse(data.textContent);
    Plotly.purge(chart);
    Plotly.newPlot(chart, figure.data, figure.layout, CONFIG).then(function () {
      chart.style.minHeight = "";
      chart.dataset.drawn = "true";
      embedLinks();
      window.__chartDrawnAt = performance.now();  // read by the benchmarks
      chart.on("plotly_click", function (event) {
        var point = event.points && event.points[0];
        if (!point || !point.customdata) return;
        if (Array.isArray(point.customdata)) {
          // A density dot: zoom to its day, week or month.
          Plotly.relayout(chart, { "xaxis.range": point.customdata });
        } else {
          openDetail(point.customdata);
        }
      });
      chart.on("plotly_relayout", function (change) {
        if (redrawing) return;
        if (change["xaxis.autorange"]) return fetchRange(results, chart, null);
        var low = change["xaxis.range[0]"] || (change["xaxis.range"] || [])[0];
        var high = change["xaxis.range[1]"] || (change["xaxis.range"] || [])[1];
        if (low && high) fetchRange(results, chart, [low, high]);
      });
    });
  }

  var redrawing = false;
  var latestRequest = 0;

  function fetchRange(results, chart, range) {
    var params = new URLSearchParams(results.dataset.query || "");
    if (range) {
      params.set("from", String(range[0]).slice(0, 10));
      params.set("to", String(range[1]).slice(0, 10));
    }
    var request = ++latestRequest;
    fetch(results.dataset.chartUrl + "?" + params.toString(), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (figure) {
        // Only the answer to the latest zoom is drawn.
        if (!figure || request !== latestRequest || !document.body.contains(chart)) return;
        redrawing = true;
        Plotly.react(chart, figure.data, figure.layout, CONFIG).then(function () {
          redrawing = false;
        });
      });
  }

  // In an <iframe> (/embed/) there is no side panel: events open on the full
  // site in a new tab, every link is noopener, and the page tells its parent
  // how tall it is, for a parent page that wants to follow.
  var EMBED = document.body && document.body.classList.contains("embed");

  function embedLinks() {
    if (!EMBED) return;
    document.querySelectorAll("a[href]").forEach(function (link) {
      link.relList.add("noopener");
    });
    window.parent.postMessage(
      { type: "ceasefire-timeline:height", height: document.documentElement.scrollHeight },
      "*"
    );
  }

  function openDetail(url) {
    if (EMBED) {
      window.open(url, "_blank", "noopener");
      return;
    }
    if (NARROW.matches) {
      window.location.assign(url);
      return;
    }
    htmx.ajax("GET", url, { target: "#event-detail", swap: "innerHTML" }).then(function () {
      var heading = document.querySelector("#event-detail h2");
      if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus({ preventScroll: true });
        document.getElementById("event-detail").scrollIntoView({ block: "nearest" });
      }
    });
  }

  // htmx snapshots the page's HTML for the back button: make checkbox
  // attributes match what the reader ticked, and drop Plotly's SVG, which
  // is redrawn from the figure JSON on restore.
  document.addEventListener("htmx:beforeHistorySave", function () {
    document.querySelectorAll("#actor-filter input[type=checkbox]").forEach(function (box) {
      box.toggleAttribute("checked", box.checked);
    });
    var chart = document.getElementById("timeline-chart");
    if (chart && typeof Plotly !== "undefined") Plotly.purge(chart);
  });

  // The results say which actors they were filtered by; the boxes follow,
  // whichever way the results arrived (form, actor link, clear, history).
  function syncCheckboxesWithResults() {
    var results = document.getElementById("results");
    if (!results) return;
    document.querySelectorAll("#actor-filter input[type=checkbox]").forEach(function (box) {
      var chosen = (results.dataset[box.name] || "").split(" ");
      box.checked = chosen.indexOf(box.value) !== -1;
    });
  }

  document.addEventListener("htmx:historyRestore", function () {
    syncCheckboxesWithResults();
    drawChart();
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target && event.target.id === "results") {
      syncCheckboxesWithResults();
      drawChart();
    }
  });
  document.addEventListener("htmx:confirm", function (event) {
    var link = event.detail.elt;
    if (NARROW.matches && link.getAttribute("hx-target") === "#event-detail") {
      event.preventDefault();
      window.location.assign(link.getAttribute("href"));
    }
  });
  // Citation lines: a Copy button where the clipboard is available; the
  // read-only text box works for copying without it.
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".copy-citation");
    if (!button) return;
    var text = document.getElementById(button.dataset.copyTarget).value;
    navigator.clipboard.writeText(text).then(function () {
      button.textContent = "Copied";
    });
  });
  function showCopyButtons() {
    if (!navigator.clipboard) return;
    document.querySelectorAll(".copy-citation[hidden]").forEach(function (button) {
      button.hidden = false;
    });
  }
  document.addEventListener("htmx:afterSettle", showCopyButtons);
  document.addEventListener("htmx:afterSettle", embedLinks);
  document.addEventListener("DOMContentLoaded", embedLinks);
  document.addEventListener("DOMContentLoaded", showCopyButtons);
  // Until the chart is drawn, its space is kept, so the list does not jump.
  function reserveChartSpace() {
    var results = document.getElementById("results");
    var chart = document.getElementById("timeline-chart");
    var data = results && document.getElementById(results.dataset.figureId);
    if (!chart || !data) return false;
    chart.style.minHeight = JSON.parse(data.textContent).layout.height + "px";
    return true;
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (reserveChartSpace()) afterPaint(drawChart);
  });
})();
