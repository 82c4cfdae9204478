/* The wall screen of a campaign (挂图作战): charts from the page's json_script data, refreshed from board.json.
   No inline code: the page carries its data in <script type="application/json"> and data- attributes. */
(function () {
  "use strict";

  var wall = document.getElementById("wall");
  if (!wall) { return; }
  var labels = readJSON("board-labels") || {};
  var charts = {};
  var map = null;
  var markers = null;
  var COLORS = { text: "#cfe3ff", muted: "#7f9cc4", grid: "#1d3a66", good: "#2fd28d", warn: "#ffb020", bad: "#ff4d5a",
                 planned: "#3a6fb8", actual: "#35c7ff" };

  function readJSON(id) {
    var node = document.getElementById(id);
    if (!node) { return null; }
    try { return JSON.parse(node.textContent); } catch (error) { return null; }
  }

  function escape(value) {
    return String(value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function url(template, id) { return template.replace(/0\/$/, String(id) + "/"); }

  function label(key, fallback) { return labels[key] || fallback; }

  function text(node, value) { node.textContent = value === null || value === undefined ? "—" : String(value); }

  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (content !== undefined) { text(node, content); }
    return node;
  }

  function updateTotals(totals) {
    var nodes = wall.querySelectorAll("[data-total]");
    Array.prototype.forEach.call(nodes, function (node) {
      var value = totals[node.getAttribute("data-total")];
      text(node, value === null || value === undefined ? "—" : value + (node.getAttribute("data-suffix") || ""));
    });
  }

  function updateLists(data) {
    var ranking = document.getElementById("owner-ranking");
    ranking.replaceChildren.apply(ranking, data.ranking.map(function (row) {
      var item = el("li");
      item.append(el("span", "wall__rank", row.rank), el("span", "wall__name", row.name),
                  el("span", "", row.on_time_rate === null ? "—" : row.on_time_rate + "%"), el("span", "", row.percent + "%"));
      return item;
    }));
    fillTasks(document.getElementById("overdue-tasks"), data.overdue, true, label("none_overdue", "—"));
    fillTasks(document.getElementById("due-tasks"), data.due_soon, false, label("none_due", "—"));
    text(document.getElementById("overdue-count"), data.totals.overdue);
    text(document.getElementById("wall-today"), data.today);
    text(document.getElementById("wall-updated"), (data.updated_at || "").slice(11, 19));
  }

  function fillTasks(list, rows, late, empty) {
    if (!rows.length) { list.replaceChildren(el("li", "wall__none", empty)); return; }
    list.replaceChildren.apply(list, rows.map(function (row) {
      var item = el("li");
      var link = el("a", "", row.name);
      link.href = url(wall.dataset.taskUrl, row.id);
      item.append(link, el("span", "", row.org),
                  late ? el("span", "wall__late", label("late_days", "%(days)s").replace("%(days)s", row.days_late))
                       : el("span", "", row.deadline));
      return item;
    }));
  }

  function axisStyle() {
    return { axisLine: { lineStyle: { color: COLORS.grid } }, axisLabel: { color: COLORS.muted },
             splitLine: { lineStyle: { color: COLORS.grid } } };
  }

  function progressOption(projects) {
    var names = projects.map(function (p) { return p.number + ". " + p.name; });
    return {
      animation: false,
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "item", formatter: function (item) {
        var p = projects[item.dataIndex];
        return escape(p.name) + "<br>" + label("percent", "") + " " + p.percent + "% · " + label("done", "") + " " + p.done + "/" +
          p.tasks + (p.overdue ? " · " + label("overdue", "") + " " + p.overdue : "");
      } },
      xAxis: Object.assign({ type: "value", max: 100 }, axisStyle()),
      yAxis: Object.assign({ type: "category", data: names, inverse: true }, axisStyle(), {
        axisLabel: { color: COLORS.text, width: 220, overflow: "truncate" } }),
      series: [{ type: "bar", barMaxWidth: 18, label: { show: true, position: "right", color: COLORS.text, formatter: "{c}%" },
                 data: projects.map(function (p) {
                   return { value: p.percent, itemStyle: { color: p.overdue ? COLORS.bad : (p.finished ? COLORS.good : COLORS.actual) } };
                 }) }]
    };
  }

  function day(value) { return value ? new Date(value + "T00:00:00").getTime() : null; }

  function ganttOption(projects, today) {
    var names = projects.map(function (p) { return p.number + ". " + p.name; });
    var planned = projects.map(function (p, index) { return [index, day(p.planned_start), day(p.planned_end), 0]; });
    var actual = projects.filter(function (p) { return p.actual_start; }).map(function (p) {
      return [projects.indexOf(p), day(p.actual_start), day(p.actual_end || today), p.overdue ? 1 : 0];
    });
    function bar(offset, height, colorOf) {
      return function (params, api) {
        var start = api.coord([api.value(1), api.value(0)]);
        var end = api.coord([api.value(2), api.value(0)]);
        var size = api.size([0, 1])[1] * height;
        return { type: "rect", shape: { x: start[0], y: start[1] + offset * api.size([0, 1])[1] - size / 2,
                                        width: Math.max(end[0] - start[0], 2), height: size },
                 style: { fill: colorOf(api.value(3)) } };
      };
    }
    return {
      animation: false,
      grid: { left: 8, right: 16, top: 44, bottom: 8, containLabel: true },
      legend: { data: [label("planned", "plan"), label("actual", "actual")], textStyle: { color: COLORS.text }, top: 0 },
      tooltip: { trigger: "item", formatter: function (item) {
        var p = projects[item.value[0]];
        return escape(p.name) + "<br>" + label("planned", "") + " " + p.planned_start + " — " + p.planned_end +
          (p.actual_start ? "<br>" + label("actual", "") + " " + p.actual_start + " — " + (p.finished ? p.actual_end : "…") : "");
      } },
      xAxis: Object.assign({ type: "time" }, axisStyle()),
      yAxis: Object.assign({ type: "category", data: names, inverse: true }, axisStyle(), {
        axisLabel: { color: COLORS.text, width: 200, overflow: "truncate" } }),
      series: [
        { name: label("planned", "plan"), type: "custom", renderItem: bar(-0.18, 0.3, function () { return COLORS.planned; }),
          encode: { x: [1, 2], y: 0 }, data: planned, itemStyle: { color: COLORS.planned },
          markLine: { silent: true, symbol: "none", lineStyle: { color: COLORS.warn, type: "dashed" },
                      data: [{ xAxis: day(today) }], label: { color: COLORS.warn, formatter: today, position: "start" } } },
        { name: label("actual", "actual"), type: "custom",
          renderItem: bar(0.18, 0.3, function (late) { return late ? COLORS.bad : COLORS.actual; }),
          encode: { x: [1, 2], y: 0 }, data: actual, itemStyle: { color: COLORS.actual } }
      ]
    };
  }

  function drawMap(projects) {
    var sites = projects.filter(function (p) { return p.latitude !== null && p.longitude !== null; });
    var box = document.getElementById("chart-map");
    if (!window.L) { return; }
    if (!map) {
      // No tile layer: the screen works offline; the sites are drawn on the district's own extent.
      map = window.L.map(box, { attributionControl: false, zoomControl: false, scrollWheelZoom: false });
      markers = window.L.layerGroup().addTo(map);
    }
    markers.clearLayers();
    if (!sites.length) {
      map.setView([24.48, 118.03], 11);
      box.setAttribute("data-empty", label("no_sites", ""));
      return;
    }
    box.removeAttribute("data-empty");
    var bounds = [];
    sites.forEach(function (p) {
      var color = p.overdue ? COLORS.bad : (p.finished ? COLORS.good : COLORS.actual);
      var marker = window.L.circleMarker([p.latitude, p.longitude], { radius: 7 + Math.min(p.tasks, 12), color: color,
                                                                      fillColor: color, fillOpacity: 0.55, weight: 2 });
      // Names stay on the map while they fit; with many sites they show on hover only.
      marker.bindTooltip(escape(p.name) + " · " + p.percent + "%", sites.length <= 8
        ? { permanent: true, direction: "right", offset: [10, 0], className: "wall__site-label" } : { direction: "top" });
      marker.on("click", function () { window.location.href = url(wall.dataset.projectUrl, p.id); });
      marker.addTo(markers);
      bounds.push([p.latitude, p.longitude]);
    });
    map.fitBounds(bounds, { padding: [30, 30], maxZoom: 14 });
  }

  function chart(id) {
    if (!window.echarts) { return null; }
    if (!charts[id]) {
      charts[id] = window.echarts.init(document.getElementById(id), null, { renderer: "canvas" });
    }
    return charts[id];
  }

  function draw(data) {
    updateTotals(data.totals);
    updateLists(data);
    var progress = chart("chart-progress");
    var gantt = chart("chart-gantt");
    if (progress) {
      progress.setOption(progressOption(data.projects), true);
      progress.off("click");
      progress.on("click", function (item) { window.location.href = url(wall.dataset.projectUrl, data.projects[item.dataIndex].id); });
    }
    if (gantt) {
      gantt.setOption(ganttOption(data.projects, data.today), true);
      gantt.off("click");
      gantt.on("click", function (item) { window.location.href = url(wall.dataset.projectUrl, data.projects[item.value[0]].id); });
    }
    drawMap(data.projects);
    wall.setAttribute("data-drawn", data.updated_at || "");
  }

  function refresh() {
    fetch(wall.dataset.source, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
      .then(draw)
      .catch(function () { wall.classList.add("wall--stale"); });
  }

  function start() {
    var data = readJSON("board-data");
    if (data) { draw(data); }
    var seconds = parseInt(wall.dataset.refresh, 10) || 60;
    window.setInterval(refresh, seconds * 1000);
    window.addEventListener("resize", function () {
      Object.keys(charts).forEach(function (id) { charts[id].resize(); });
      if (map) { map.invalidateSize(); }
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
