/* Counters' page of a stock-take: poll what was scanned (never what is expected) and redraw it. */
(function () {
  "use strict";
  var box = document.getElementById("scanned");
  var EVERY = 3000;

  function rows(selector, items, cells) {
    var body = document.querySelector(selector + " tbody");
    if (!body) return;
    body.textContent = "";
    items.forEach(function (item) {
      var tr = document.createElement("tr");
      if (item.reading) tr.className = item.reading;
      cells(item).forEach(function (v) {
        var td = document.createElement("td");
        td.textContent = v;
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }

  function time(iso) { return iso ? new Date(iso).toLocaleTimeString() : ""; }

  function show(doc) {
    document.getElementById("boxes").textContent = doc.boxes;
    var unknown = document.getElementById("recent").dataset.unknown;
    rows("#places", doc.places, function (p) { return [p.place || unknown, p.boxes]; });
    rows("#recent", doc.recent, function (r) { return [r.code, r.place || "", r.device, time(r.at)]; });
  }

  function poll() {
    fetch(box.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (doc) { if (doc) show(doc); })
      .catch(function () { /* try again at the next poll */ })
      .then(function () { window.setTimeout(poll, EVERY); });
  }

  document.querySelectorAll("#recent td[data-at]").forEach(function (td) { td.textContent = time(td.dataset.at); });
  if (box) window.setTimeout(poll, EVERY);
})();
