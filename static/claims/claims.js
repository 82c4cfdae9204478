/* Service claims: the needs' map. The list below it always holds every need; the map only appears when
   Leaflet has loaded, with no tile layer (markers on a plain background over the deployment's area). */
(function () {
  "use strict";

  function hasLeaflet() {
    return typeof window.L === "object" && window.L && typeof window.L.map === "function";
  }

  function startNeedsMap() {
    var element = document.getElementById("needs-map");
    var data = document.getElementById("need-points");
    if (!element || !data || !hasLeaflet()) { return; }
    var points = JSON.parse(data.textContent || "[]");
    if (!points.length) { return; }
    var get = function (name) { return parseFloat(element.getAttribute("data-area-" + name)); };
    element.hidden = false;
    var map = window.L.map(element, { attributionControl: false, zoomSnap: 0.25 });
    var area = window.L.latLngBounds([get("south"), get("west")], [get("north"), get("east")]);
    window.L.rectangle(area, { color: "#c0161d", weight: 1, fill: false, dashArray: "4 4", interactive: false }).addTo(map);
    var template = element.getAttribute("data-detail-url");
    var colours = { open: "#c0161d", full: "#d48806", done: "#1a7f37" };
    var bounds = [];
    points.forEach(function (point) {
      var marker = window.L.circleMarker([point.lat, point.lng], {
        radius: 7, color: "#fff", weight: 2, fillColor: colours[point.status] || "#c0161d", fillOpacity: 0.9
      }).addTo(map);
      var link = document.createElement("a");
      link.href = template.replace(/0\/$/, point.pk + "/");
      link.textContent = point.title;
      marker.bindPopup(link);
      bounds.push([point.lat, point.lng]);
    });
    if (bounds.length > 1) { map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 }); } else { map.setView(bounds[0], 15); }
  }

  if (document.readyState === "complete") { startNeedsMap(); } else { window.addEventListener("load", startNeedsMap); }
})();
