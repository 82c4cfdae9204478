/* Yuntu: small progressive enhancements. Every page works without this file (links and forms). */
(function () {
  "use strict";

  function setOpen(toggle, box, open) {
    box.hidden = !open;
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }

  /* Org tree: load a node's children once (through htmx when it is there, fetch otherwise), then fold. */
  function loadChildren(toggle, box) {
    var url = toggle.getAttribute("data-children-url");
    toggle.setAttribute("aria-busy", "true");
    function done() {
      toggle.removeAttribute("aria-busy");
      box.setAttribute("data-loaded", "true");
      setOpen(toggle, box, true);
    }
    function failed() {
      toggle.removeAttribute("aria-busy");
      window.location.href = toggle.href;
    }
    if (window.htmx && typeof window.htmx.ajax === "function") {
      var request = window.htmx.ajax("GET", url, { target: box, swap: "innerHTML" });
      if (request && typeof request.then === "function") {
        request.then(done, failed);
      } else {
        done();
      }
      return;
    }
    fetch(url, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) { box.innerHTML = html; done(); })
      .catch(failed);
  }

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest ? event.target.closest("a[data-children-url]") : null;
    if (!toggle || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    var box = document.getElementById(toggle.getAttribute("aria-controls"));
    if (!box) { return; }
    event.preventDefault();
    if (toggle.getAttribute("aria-busy") === "true") { return; }
    if (box.getAttribute("data-loaded") === "true") {
      setOpen(toggle, box, box.hidden);
    } else {
      loadChildren(toggle, box);
    }
  });
  /* Print buttons (data-print): no inline onclick, so the Content-Security-Policy needs no 'unsafe-inline'. */
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) { event.preventDefault(); window.print(); }
  });

  /* A page that polls through htmx reloads itself instead when htmx is missing or blocked. */
  document.querySelectorAll("[data-reload-without-htmx]").forEach(function (element) {
    var delay = parseInt(element.getAttribute("data-reload-without-htmx"), 10) || 2000;
    window.setTimeout(function () { if (!window.htmx) { window.location.reload(); } }, delay);
  });
})();
