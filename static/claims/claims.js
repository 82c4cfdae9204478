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

  /* The need form: a click on the map fills the point; typed coordinates move the marker. */
  function startPlacePicker() {
    var element = document.getElementById("need-place-map");
    var latitude = document.getElementById("id_latitude");
    var longitude = document.getElementById("id_longitude");
    if (!element || !latitude || !longitude || !hasLeaflet()) { return; }
    var get = function (name) { return parseFloat(element.getAttribute("data-area-" + name)); };
    element.hidden = false;
    var map = window.L.map(element, { attributionControl: false, zoomSnap: 0.25 });
    var area = window.L.latLngBounds([get("south"), get("west")], [get("north"), get("east")]);
    window.L.rectangle(area, { color: "#c0161d", weight: 1, fill: false, dashArray: "4 4", interactive: false }).addTo(map);
    map.fitBounds(area);
    var marker = null;
    function place(lat, lng) {
      if (marker) { marker.setLatLng([lat, lng]); } else {
        marker = window.L.circleMarker([lat, lng], { radius: 8, color: "#fff", weight: 2, fillColor: "#c0161d", fillOpacity: 1 }).addTo(map);
      }
    }
    function fromInputs() {
      var lat = parseFloat(latitude.value), lng = parseFloat(longitude.value);
      if (!isNaN(lat) && !isNaN(lng)) { place(lat, lng); }
    }
    map.on("click", function (event) {
      latitude.value = event.latlng.lat.toFixed(6);
      longitude.value = event.latlng.lng.toFixed(6);
      place(event.latlng.lat, event.latlng.lng);
    });
    latitude.addEventListener("change", fromInputs);
    longitude.addEventListener("change", fromInputs);
    fromInputs();
  }

  function start() { startNeedsMap(); startPlacePicker(); }
  if (document.readyState === "complete") { start(); } else { window.addEventListener("load", start); }
})();
