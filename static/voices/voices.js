/* Residents' voices: progressive enhancements. Every form and page works without this file and without
   Leaflet: the map only appears when Leaflet has loaded (no tiles are fetched: markers sit on a plain
   background), the point can be typed or taken from the phone's location, the list is always there. */
(function () {
  "use strict";

  function each(selector, fn, root) {
    Array.prototype.forEach.call((root || document).querySelectorAll(selector), fn);
  }

  /* Live character count of a textarea with a limit. */
  each("[data-count-for]", function (counter) {
    var input = document.getElementById(counter.getAttribute("data-count-for"));
    if (!input) { return; }
    var limit = parseInt(input.getAttribute("data-count") || input.getAttribute("maxlength") || "0", 10);
    function update() {
      var length = input.value.length;
      counter.textContent = limit ? length + "/" + limit : String(length);
      counter.classList.toggle("vc-count--over", limit > 0 && length > limit);
    }
    input.addEventListener("input", update);
    update();
  });

  /* Extra questions: show only those of the chosen category. */
  function syncQuestions(form) {
    var select = form.querySelector("select[name=category]");
    if (!select) { return; }
    each(".vc-questions", function (box) {
      box.hidden = box.getAttribute("data-category") !== select.value;
    }, form);
  }
  each("form", function (form) {
    if (!form.querySelector(".vc-questions")) { return; }
    syncQuestions(form);
    form.addEventListener("change", function (event) {
      if (event.target.name === "category") { syncQuestions(form); }
    });
  });

  function area(element) {
    var get = function (name) { return parseFloat(element.getAttribute("data-area-" + name)); };
    return { south: get("south"), north: get("north"), west: get("west"), east: get("east") };
  }

  function blankMap(element, box) {
    /* A Leaflet map with no tile layer: the area's outline on a plain background. */
    element.hidden = false;
    var map = window.L.map(element, { attributionControl: false, zoomSnap: 0.25 });
    var bounds = window.L.latLngBounds([box.south, box.west], [box.north, box.east]);
    window.L.rectangle(bounds, { color: "#c0161d", weight: 1, fill: false, dashArray: "4 4", interactive: false }).addTo(map);
    map.fitBounds(bounds);
    return map;
  }

  function hasLeaflet() {
    return typeof window.L === "object" && window.L && typeof window.L.map === "function";
  }

  /* Place picker: geolocation button, and a click on the map when Leaflet is there. */
  each(".vc-place", function (place) {
    var form = place.closest("form");
    var latitude = form.querySelector("[data-point=latitude]");
    var longitude = form.querySelector("[data-point=longitude]");
    var status = place.querySelector("[data-place-status]");
    var locate = place.querySelector("[data-locate]");
    var box = area(place);
    var map = null;
    var marker = null;

    function inside(lat, lng) {
      return lat >= box.south && lat <= box.north && lng >= box.west && lng <= box.east;
    }
    function showMarker(lat, lng) {
      if (!map) { return; }
      if (marker) { marker.setLatLng([lat, lng]); } else {
        marker = window.L.circleMarker([lat, lng], { radius: 8, color: "#fff", weight: 2, fillColor: "#c0161d", fillOpacity: 1 }).addTo(map);
      }
    }
    function setPoint(lat, lng, message) {
      latitude.value = lat.toFixed(6);
      longitude.value = lng.toFixed(6);
      showMarker(lat, lng);
      if (status) {
        status.textContent = inside(lat, lng) ? message : "该位置不在本辖区范围内，请重新选择地点。";
      }
      latitude.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function startMap() {
      if (map || !hasLeaflet()) { return; }
      var element = place.querySelector(".vc-place__map");
      if (!element) { return; }
      map = blankMap(element, box);
      map.on("click", function (event) { setPoint(event.latlng.lat, event.latlng.lng, "已在地图上选点。"); });
      var lat = parseFloat(latitude.value), lng = parseFloat(longitude.value);
      if (!isNaN(lat) && !isNaN(lng)) { showMarker(lat, lng); }
    }
    if (document.readyState === "complete") { startMap(); } else { window.addEventListener("load", startMap); }

    if (locate && navigator.geolocation) {
      locate.hidden = false;
      locate.addEventListener("click", function () {
        if (status) { status.textContent = "正在获取位置…"; }
        navigator.geolocation.getCurrentPosition(function (position) {
          setPoint(position.coords.latitude, position.coords.longitude, "已使用当前位置。");
        }, function () {
          if (status) { status.textContent = "无法获取位置，请填写地点或在地图上选点。"; }
        }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
      });
    }
  });

  /* Similar open items nearby while the resident types. */
  each("form[data-similar-url]", function (form) {
    var target = document.getElementById("similar");
    if (!target || !window.fetch) { return; }
    var timer = null;
    var last = "";
    function lookUp() {
      var params = new URLSearchParams();
      ["category", "text", "latitude", "longitude"].forEach(function (name) {
        var field = form.elements[name];
        params.set(name, field ? field.value : "");
      });
      var query = params.toString();
      if (query === last) { return; }
      last = query;
      fetch(form.getAttribute("data-similar-url") + "?" + query, { credentials: "same-origin", headers: { "HX-Request": "true" } })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) { target.innerHTML = html; })
        .catch(function () { /* a hint only */ });
    }
    function schedule() {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookUp, 600);
    }
    form.addEventListener("input", function (event) {
      if (event.target.name === "text") { schedule(); }
    });
    form.addEventListener("change", function (event) {
      if (["category", "latitude", "longitude"].indexOf(event.target.name) >= 0) { schedule(); }
    });
  });

  /* The board's map: one marker per located item, each linking to its public page. */
  function startBoardMap() {
    var element = document.getElementById("board-map");
    var data = document.getElementById("board-points");
    if (!element || !data || !hasLeaflet()) { return; }
    var points = JSON.parse(data.textContent || "[]");
    if (!points.length) { return; }
    var map = blankMap(element, area(element));
    var template = element.getAttribute("data-detail-url");
    var bounds = [];
    points.forEach(function (point) {
      var marker = window.L.circleMarker([point.lat, point.lng], { radius: 7, color: "#fff", weight: 2, fillColor: "#c0161d", fillOpacity: 0.9 }).addTo(map);
      var link = document.createElement("a");
      link.href = template.replace(/0\/$/, point.pk + "/");
      link.textContent = point.category + " · " + point.number;
      marker.bindPopup(link);
      bounds.push([point.lat, point.lng]);
    });
    if (bounds.length > 1) { map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 }); } else { map.setView(bounds[0], 15); }
  }
  if (document.readyState === "complete") { startBoardMap(); } else { window.addEventListener("load", startBoardMap); }
})();
