/* Draws the timeline chart from the figure JSON the server put in the page,
 * and redraws it whenever htmx swaps in new results or restores history.
 * Clicking an event in the chart loads its detail into #event-detail via htmx.
 * Zooming or panning sets the filter's from and to, so the list, the address
 * and the chart follow (in the embed, only the chart: /chart.json); a density
 * view turns into individual events once few enough are in view. */
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

  // The page's language for the axis's month and day names (dates.plotly_locale).
  function useLocale() {
    var data = document.getElementById("plotly-locale");
    if (!data || CONFIG.locale) return;
    var locale = JSON.parse(data.textContent);
    Plotly.register(locale);
    CONFIG.locale = locale.name;
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
    var figure = themed(JSON.parse(data.textContent));
    useLocale();
    Plotly.purge(chart);
    chart.dataset.drawnRange = JSON.stringify((figure.layout.xaxis || {}).range || null);
    Plotly.newPlot(chart, figure.data, figure.layout, CONFIG).then(function () {
      return fitLabels(chart);
    }).then(function () {
      chart.style.minHeight = "";
      chart.dataset.drawn = "true";
      embedLinks();
      window.__chartDrawnAt = performance.now();  // read by the benchmarks
      chart.on("plotly_click", function (event) {
        var point = event.points && event.points[0];
        if (!point || !point.customdata) return;
        if (Array.isArray(point.customdata)) {
          // A density dot: zoom to its day, week or month ([first day, the
          // next one's]), framed as charts.py frames a range of days.
          var first = new Date(dateMs(point.customdata[0]) - DAY_MS).toISOString().slice(0, 10);
          Plotly.relayout(chart, { "xaxis.range": [first, point.customdata[1]] });
        } else {
          openDetail(point.customdata);
        }
      });
      // An event's label opens it too (charts.py names each label by its event's URL).
      chart.on("plotly_clickannotation", function (event) {
        var url = labelledEvent(event.annotation);
        if (url) openDetail(url);
      });
      chart.on("plotly_relayout", function (change) {
        if (redrawing) return;
        var range = change["xaxis.autorange"] ? null : [
          change["xaxis.range[0]"] || (change["xaxis.range"] || [])[0],
          change["xaxis.range[1]"] || (change["xaxis.range"] || [])[1],
        ];
        if (range && !(range[0] && range[1])) return;  // not the dates axis
        // In the embed (no filter form) only the chart follows the zoom.
        if (!document.getElementById("actor-filter")) return fetchRange(results, chart, range);
        zoomTo(chart, range);
      });
    });
  }

  // Zooming is filtering by dates: the chart's range goes into the form's
  // from and to (whole days) and the form asks for the results as it does
  // for any change, so the list follows, the address can be shared or
  // reloaded, and the back button steps back one zoom at a time. A run of
  // zoom clicks or pans is one request, once the chart has settled. (The
  // mouse wheel scrolls the page, not the chart: scrollZoom stays off.)
  var ZOOM_SETTLES_MS = 450;
  var DAY_MS = 24 * 60 * 60 * 1000;
  var zoomTimer = null;

  function zoomTo(chart, range) {
    clearTimeout(zoomTimer);
    var drawn = chart.dataset.drawnRange && JSON.parse(chart.dataset.drawnRange);
    // Back to the range the figure was drawn with (Plotly's reset): nothing to ask.
    if (range && drawn && sameRange(range, drawn)) return;
    zoomTimer = setTimeout(function () {
      var form = document.getElementById("actor-filter");
      var from = document.getElementById("filter-from");
      var to = document.getElementById("filter-to");
      if (!form || !from || !to) return;
      var days = range ? zoomDays(range) : ["", ""];
      if (from.value === days[0] && to.value === days[1]) return drawChart();  // the view shown
      from.value = days[0];
      to.value = days[1];
      form.requestSubmit();
    }, ZOOM_SETTLES_MS);
  }

  // Plotly gives dates as "2025-03-17 13:45:10.5", local to no time zone.
  function dateMs(value) {
    if (typeof value === "number") return value;
    var text = String(value).trim().replace(" ", "T").replace(/(\.\d{3})\d+/, "$1");
    return Date.parse(text.length === 10 ? text + "T00:00:00Z" : text + "Z");
  }

  function sameRange(a, b) {
    return Math.abs(dateMs(a[0]) - dateMs(b[0])) < 1000 && Math.abs(dateMs(a[1]) - dateMs(b[1])) < 1000;
  }

  // The days a range shows: those whose midnight, where the chart draws
  // their events, lies inside it. charts.py frames from and to with a day
  // more on each side, so a frame it drew reads back as the same from and to.
  // A range between two midnights shows the day nearest its middle.
  function zoomDays(range) {
    var low = dateMs(range[0]), high = dateMs(range[1]);
    var first = Math.floor(low / DAY_MS) * DAY_MS + DAY_MS;
    var last = Math.ceil(high / DAY_MS) * DAY_MS - DAY_MS;
    if (last < first) first = last = Math.round((low + high) / 2 / DAY_MS) * DAY_MS;
    return [first, last].map(function (ms) { return new Date(ms).toISOString().slice(0, 10); });
  }

  var redrawing = false;
  var latestRequest = 0;

  function fetchRange(results, chart, range) {
    var params = new URLSearchParams(results.dataset.query || "");
    if (range) {
      var days = zoomDays(range);
      params.set("from", days[0]);
      params.set("to", days[1]);
    }
    var request = ++latestRequest;
    fetch(results.dataset.chartUrl + "?" + params.toString(), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (figure) {
        // Only the answer to the latest zoom is drawn.
        if (!figure || request !== latestRequest || !document.body.contains(chart)) return;
        redrawing = true;
        figure = themed(figure);
        Plotly.react(chart, figure.data, figure.layout, CONFIG).then(function () {
          redrawing = false;
          fitLabels(chart);
        });
      });
  }

  // The chart takes its colours from the page's (timeline.css custom
  // properties), so it follows the page into dark mode and back.
  var DARK = window.matchMedia("(prefers-color-scheme: dark)");

  function pageColour(name) {
    return getComputedStyle(document.documentElement).getPropertyValue("--" + name).trim();
  }

  function withAlpha(colour, alpha) {
    var context = document.createElement("canvas").getContext("2d");
    context.fillStyle = colour;  // read back as #rrggbb when opaque
    var hex = context.fillStyle;
    if (hex.charAt(0) !== "#") return colour;
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16) + ", " + ((n >> 8) & 255) + ", " + (n & 255) + ", " + alpha + ")";
  }

  function themed(figure) {
    var paper = pageColour("paper");
    var ink = pageColour("ink");
    if (!paper || !ink) return figure;
    var muted = pageColour("muted") || ink;
    var accent = pageColour("accent") || ink;
    var layout = figure.layout;
    layout.paper_bgcolor = layout.plot_bgcolor = paper;
    layout.font = Object.assign({}, layout.font, { color: ink });
    layout.xaxis = Object.assign({}, layout.xaxis, {
      gridcolor: pageColour("line") || muted,
      linecolor: muted,
    });
    (layout.shapes || []).forEach(function (band) { band.fillcolor = withAlpha(accent, 0.06); });
    (layout.annotations || []).forEach(function (note) {
      if (note.bgcolor) note.bgcolor = withAlpha(paper, 0.8);
      if (note.font && note.font.color) note.font.color = muted;
    });
    figure.data.forEach(function (trace) {
      var marker = trace.marker || {};
      var status = trace.legendgroup && pageColour(trace.legendgroup);
      if (status) marker.color = status;
      else if (trace.type === "bar") marker.color = withAlpha(muted, 0.28);  // date ranges
      else marker.color = accent;  // density dots
      if (marker.line) marker.line.color = paper;
    });
    return figure;
  }

  DARK.addEventListener("change", function () {
    var chart = document.getElementById("timeline-chart");
    if (typeof Plotly === "undefined" || !chart || chart.dataset.drawn !== "true") return;
    var figure = themed({ data: chart.data, layout: chart.layout });
    Plotly.react(chart, figure.data, figure.layout, CONFIG);
  });

  function labelledEvent(note) {
    return note && note.name && note.name !== "continues" ? note.name : null;
  }

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  // Labels are laid out on the server for a chart 540 px wide (charts.py).
  // On a narrower one, a label that would cover a marker or another label,
  // or run out of the plot, is hidden; its event keeps marker and hover text.
  function fitLabels(chart) {
    var notes = chart.layout.annotations || [];
    var plot = chart.querySelector(".nsewdrag");
    if (!plot) return Promise.resolve();
    var area = plot.getBoundingClientRect();
    var taken = Array.prototype.map.call(
      chart.querySelectorAll(".scatterlayer .point"),
      function (marker) { return marker.getBoundingClientRect(); }
    );
    var hidden = {};
    chart.querySelectorAll(".annotation").forEach(function (group) {
      var index = Number(group.dataset.index);
      if (!labelledEvent(notes[index])) return;
      var box = group.getBoundingClientRect();
      var clash = box.left < area.left || box.right > area.right ||
        taken.some(function (other) { return overlaps(box, other); });
      if (clash) hidden["annotations[" + index + "].visible"] = false;
      else taken.push(box);
    });
    return Object.keys(hidden).length ? Plotly.relayout(chart, hidden) : Promise.resolve();
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
      document.getElementById("event-detail").scrollIntoView({ block: "nearest" });
    });
  }

  // Story navigation: the side panel keeps the reader's filter, so its
  // previous and next stay within it; the chart marks the event shown; the
  // arrow keys step through the story.
  document.addEventListener("htmx:configRequest", function (event) {
    var results = document.getElementById("results");
    if (event.detail.target && event.detail.target.id === "event-detail" && results) {
      new URLSearchParams(results.dataset.query || "").forEach(function (value, name) {
        if (!(name in event.detail.parameters)) event.detail.parameters[name] = value;
      });
    }
  });

  function markInChart(url) {
    var chart = document.getElementById("timeline-chart");
    if (!chart || !chart.data || typeof Plotly === "undefined") return;
    var selected = chart.data.map(function (trace) {
      if (trace.type !== "scatter" || !trace.customdata) return null;
      var index = trace.customdata.indexOf(url);
      return index === -1 ? [] : [index];
    });
    Plotly.restyle(chart, { selectedpoints: selected });
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.target || event.target.id !== "event-detail") return;
    var shown = event.target.querySelector("[data-event-url]");
    if (shown) markInChart(shown.dataset.eventUrl);
    // However the event was opened (chart, list, previous/next, arrow keys),
    // the reader goes on from its heading, not from the link they left.
    var heading = event.target.querySelector("h2");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus({ preventScroll: true });
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    var typing = event.target.closest && event.target.closest("input, textarea, select, [contenteditable]");
    if (typing) return;
    var link = document.querySelector(
      event.key === "ArrowLeft" ? ".story-nav a[rel=prev]" : ".story-nav a[rel=next]"
    );
    if (!link) return;
    event.preventDefault();
    // Straight to htmx: a panel just swapped in may not be processed yet,
    // and a plain click would then leave the page.
    var url = link.getAttribute("hx-get");
    if (url && typeof htmx !== "undefined") {
      htmx.ajax("GET", url, { target: "#event-detail", swap: link.getAttribute("hx-swap") || "innerHTML" });
    } else {
      link.click();
    }
  });

  // htmx snapshots the page's HTML for the back button: make the form's
  // attributes match what the reader chose, and drop Plotly's SVG, which
  // is redrawn from the figure JSON on restore.
  document.addEventListener("htmx:beforeHistorySave", function () {
    document.querySelectorAll("#actor-filter input").forEach(function (input) {
      if (input.type === "checkbox" || input.type === "radio") {
        input.toggleAttribute("checked", input.checked);
      } else {
        input.setAttribute("value", input.value);
      }
    });
    var chart = document.getElementById("timeline-chart");
    if (chart && typeof Plotly !== "undefined") Plotly.purge(chart);
  });

  // The results say which filter they answer (data-query, the canonical
  // query string); the form follows, whichever way the results arrived
  // (form, actor link, chip, clear, history). The field being typed in is
  // left alone.
  function syncCheckboxesWithResults() {
    var results = document.getElementById("results");
    if (!results) return;
    var query = new URLSearchParams(results.dataset.query || "");
    document.querySelectorAll("#actor-filter input").forEach(function (input) {
      if (input.type === "checkbox") {
        input.checked = query.getAll(input.name).indexOf(input.value) !== -1;
      } else if (input.type === "radio") {
        // An absent parameter means the radio marked as its default.
        input.checked = query.has(input.name)
          ? query.get(input.name) === input.value
          : input.hasAttribute("data-default");
      } else if (input !== document.activeElement) {
        input.value = query.get(input.name) || "";
      }
    });
  }

  // The results carry the form's counts out of band, one per option of the
  // new selection; the form lists the sources that were busiest when the
  // page loaded, so a zoom or a date can bring counts for sources it does
  // not list. htmx reports a count with nowhere to go as an error: drop it.
  var OUT_OF_BAND_COUNT = /<span class="count" id="([^"]+)" hx-swap-oob="true">(?:[^<]|<span[^>]*>[^<]*<\/span>)*<\/span>/g;
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!event.detail.target || event.detail.target.id !== "results") return;
    event.detail.serverResponse = event.detail.serverResponse.replace(
      OUT_OF_BAND_COUNT,
      function (count, id) { return document.getElementById(id) ? count : ""; }
    );
  });

  document.addEventListener("htmx:historyRestore", function () {
    syncCheckboxesWithResults();
    drawChart();
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target && event.target.id === "results") {
      syncCheckboxesWithResults();
      drawChart();
      announceResults();
    }
  });
  // The new count is read out from a live region that stays in the page
  // (_request_status.html): #results is replaced whole. Focus that was on
  // something the swap replaced (a chip, an actor, a zoom preset) goes to
  // the new results' heading rather than back to the top of the page.
  var focusInResults = false;
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "results") {
      focusInResults = event.detail.target.contains(document.activeElement);
    }
  });
  function announceResults() {
    var heading = document.getElementById("results-heading");
    var announcer = document.getElementById("results-announcer");
    if (!heading) return;
    if (announcer) announcer.textContent = heading.textContent.replace(/\s+/g, " ").trim();
    var lost = !document.activeElement || document.activeElement === document.body;
    if (focusInResults && lost) heading.focus();
    focusInResults = false;
  }
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
  // On a phone the filters fold away above the results (their chips show
  // what is active), so the first events are on the first screen.
  var PHONE = window.matchMedia("(max-width: 760px)");
  document.addEventListener("DOMContentLoaded", function () {
    var panel = document.getElementById("filter-panel");
    if (panel && PHONE.matches) panel.open = false;
  });
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
