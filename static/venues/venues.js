/* Venues: the 15-minute circle's map and the "use my location" button. The page works without this
   file: the address box and the list of venues with walking minutes carry everything the map shows.
   The map draws what the server sent, already in the tiles' coordinates; with no tile source set
   (offline) it draws the area, the org outlines, the venues and the circle on a plain background. */
(function () {
  "use strict";

  var form = document.getElementById("locate-form");
  var dataElement = document.getElementById("circle-data");
  var data = dataElement ? JSON.parse(dataElement.textContent || "{}") : null;

  function field(name) { return form ? form.querySelector("[data-point=" + name + "]") : null; }

  function submitPoint(lat, lng, crs) {
    field("latitude").value = lat.toFixed(6);
    field("longitude").value = lng.toFixed(6);
    field("crs").value = crs;
    var address = form.querySelector("input[name=address]");
    if (address) { address.value = ""; }
    form.submit();
  }

  if (form) {
    var locate = form.querySelector("[data-locate]");
    var status = form.querySelector("[data-locate-status]");
    form.addEventListener("submit", function () {
      var address = form.querySelector("input[name=address]");
      if (address && address.value.trim()) {  // a typed address replaces a previous point
        field("latitude").value = "";
        field("longitude").value = "";
        field("crs").value = "";
      }
    });
    if (locate && navigator.geolocation) {
      locate.hidden = false;
      locate.addEventListener("click", function () {
        if (status) { status.textContent = "正在获取位置…"; }
        navigator.geolocation.getCurrentPosition(function (position) {
          if (status) { status.textContent = "已获取当前位置，正在查找…"; }
          submitPoint(position.coords.latitude, position.coords.longitude, "wgs84");  // phones report WGS-84
        }, function () {
          if (status) { status.textContent = "无法获取位置，请输入地址。"; }
        }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
      });
    }
  }

  function startMap() {
    var element = document.getElementById("circle-map");
    if (!element || !data || typeof window.L !== "object" || !window.L || typeof window.L.map !== "function") { return; }
    var L = window.L;
    element.hidden = false;
    var map = L.map(element, { attributionControl: Boolean(data.tiles && data.tiles.url), zoomSnap: 0.25, keyboard: false });
    if (data.tiles && data.tiles.url) {
      L.tileLayer(data.tiles.url, { attribution: data.tiles.attribution || "", maxZoom: 18 }).addTo(map);
    }
    var area = L.latLngBounds(data.area[0], data.area[1]);
    map.fitBounds(area);  // a view first: layers added to a map without one are not placed yet
    L.rectangle(area, { color: "#c0161d", weight: 1, fill: false, dashArray: "4 4", interactive: false }).addTo(map);
    (data.outlines || []).forEach(function (outline) {
      L.polygon(outline.points, { color: "#8a5a00", weight: 1.5, fillOpacity: 0.04, className: "vn-outline" })
        .bindTooltip(outline.name, { sticky: true }).addTo(map);
    });
    var bounds = [];
    (data.venues || []).forEach(function (venue) {
      var marker = L.circleMarker(venue.point, { radius: 7, color: "#fff", weight: 2, fillColor: "#c0161d", fillOpacity: 0.95,
                                                 className: "vn-venue-marker" }).addTo(map);
      var link = document.createElement("a");
      link.href = venue.url;
      link.textContent = venue.minutes ? venue.name + "（步行约" + venue.minutes + "分钟）" : venue.name;
      marker.bindPopup(link);
      bounds.push(venue.point);
    });
    if (data.centre) {
      L.circle(data.centre, { radius: data.radius_m, color: "#c0161d", weight: 1.5, fillOpacity: 0.08,
                              interactive: false, className: "vn-reach" }).addTo(map);
      L.circleMarker(data.centre, { radius: 6, color: "#fff", weight: 2, fillColor: "#1d5fc0", fillOpacity: 1,
                                    interactive: false, className: "vn-here" }).addTo(map);
      map.fitBounds(L.latLng(data.centre).toBounds(data.radius_m * 2), { padding: [12, 12] });
    } else if (bounds.length) {
      map.fitBounds(bounds, { padding: [16, 16], maxZoom: 15 });
    }
    if (form) {
      map.on("click", function (event) { submitPoint(event.latlng.lat, event.latlng.lng, data.crs); });
    }
  }
  if (document.readyState === "complete") { startMap(); } else { window.addEventListener("load", startMap); }
})();
