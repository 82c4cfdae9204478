/* 指挥调度 — the dashboard's charts (ECharts) and map (Leaflet, no tiles: offline-capable).
   Data come from the page in <script type="application/json" id="dashboard-data">; every bar and
   marker carries the link a click follows (drill-down into a child unit). */
(function () {
  "use strict";

  function readData() {
    var node = document.getElementById("dashboard-data");
    return node ? JSON.parse(node.textContent) : null;
  }

  function isWall() { return document.body.classList.contains("db-wall"); }

  function palette() {
    return isWall()
      ? { text: "#d6e4ff", axis: "#4a6fa5", bar: "#ffb020", colors: ["#ffb020", "#36cfc9", "#ff7875", "#95de64", "#69b1ff", "#b37feb"] }
      : { text: "#333", axis: "#bbb", bar: "#c0161d", colors: ["#c0161d", "#d46b08", "#1677ff", "#389e0d", "#722ed1", "#08979c"] };
  }

  function trendChart(data) {
    var node = document.getElementById("db-trend");
    if (!node || !window.echarts || !data.trend.length) { return; }
    var colors = palette();
    var chart = window.echarts.init(node, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      color: colors.colors,
      textStyle: { color: colors.text },
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", textStyle: { color: colors.text }, top: 0,
                selected: data.trend.reduce(function (shown, row, index) { shown[row.name] = index < 4; return shown; }, {}) },
      grid: { left: 40, right: 16, top: 40, bottom: 28 },
      xAxis: { type: "category", data: data.months, axisLine: { lineStyle: { color: colors.axis } } },
      yAxis: { type: "value", axisLine: { lineStyle: { color: colors.axis } }, splitLine: { lineStyle: { color: colors.axis, opacity: 0.3 } } },
      series: data.trend.map(function (row) {
        return { name: row.name, type: "line", data: row.data };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function rankingChart(data) {
    var node = document.getElementById("db-ranking");
    if (!node || !window.echarts || !data.ranking || !data.ranking.rows.length) { return; }
    var colors = palette();
    var rows = data.ranking.rows.slice(0, 15).reverse();
    var chart = window.echarts.init(node, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      textStyle: { color: colors.text },
      tooltip: { trigger: "item" },
      grid: { left: 110, right: 40, top: 8, bottom: 20 },
      xAxis: { type: "value", axisLine: { lineStyle: { color: colors.axis } }, splitLine: { lineStyle: { color: colors.axis, opacity: 0.3 } } },
      yAxis: { type: "category", data: rows.map(function (row) { return row.name; }), axisLabel: { color: colors.text } },
      series: [{ type: "bar", data: rows.map(function (row) { return row.value === null ? 0 : row.value; }),
                 itemStyle: { color: colors.bar }, label: { show: true, position: "right", color: colors.text } }]
    });
    chart.on("click", function (params) { window.location.href = rows[params.dataIndex].url; });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function map(data) {
    var node = document.getElementById("db-map");
    if (!node || !window.L || !data.points.length) {
      if (node && !data.points.length) { node.classList.add("db-map--empty"); }
      return;
    }
    var leaflet = window.L;
    var chart = leaflet.map(node, { zoomControl: true, attributionControl: false });
    if (data.tiles) { leaflet.tileLayer(data.tiles, { maxZoom: 18 }).addTo(chart); }
    var values = data.points.map(function (point) { return point.value || 0; });
    var largest = Math.max.apply(null, values.concat([1]));
    var bounds = [];
    var colors = palette();
    data.points.forEach(function (point) {
      var radius = 8 + 22 * Math.sqrt((point.value || 0) / largest);
      var marker = leaflet.circleMarker([point.lat, point.lng], {
        radius: radius, color: colors.bar, fillColor: colors.bar, fillOpacity: 0.55, weight: 1
      }).addTo(chart);
      marker.bindTooltip(point.name + "：" + (point.value === null ? "—" : point.value), { permanent: true, direction: "top" });
      marker.on("click", function () { window.location.href = point.url; });
      bounds.push([point.lat, point.lng]);
    });
    if (bounds.length === 1) { chart.setView(bounds[0], 13); } else { chart.fitBounds(bounds, { padding: [60, 60] }); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var data = readData();
    if (!data) { return; }
    trendChart(data);
    rankingChart(data);
    map(data);
  });
})();
