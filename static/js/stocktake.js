/* Stock-take session page: poll the progress JSON and move the bars, the numbers and the rack map.
   Also asks before a recount or a close, and filters the shelves to those not complete. */
(function () {
  "use strict";
  var box = document.getElementById("overall");
  var EVERY = 3000;

  function level(seen, expected) {
    if (expected && seen >= expected) return "c3";
    if (expected && seen * 2 >= expected) return "c2";
    return seen ? "c1" : "c0";
  }

  function text(id, value) {
    var el = document.getElementById(id);
    if (el) el.textContent = value;
  }

  function localTime(iso) {
    return iso ? new Date(iso).toLocaleTimeString() : "";
  }

  function shelves(list) {
    list.forEach(function (s) {
      if (!s.shelf) return;
      var row = document.querySelector('#shelves tr[data-shelf="' + CSS.escape(s.shelf) + '"]');
      if (row) {
        row.querySelector(".seen").textContent = s.seen;
        row.querySelector(".expected").textContent = s.expected;
        var pct = s.expected ? Math.round(100 * s.seen / s.expected) : 100;
        row.querySelector(".progress > span").style.width = pct + "%";
        row.classList.toggle("done", s.expected > 0 && s.seen >= s.expected);
      }
      var cell = document.querySelector('#rack-map rect[data-shelf="' + CSS.escape(s.shelf) + '"]');
      if (cell) {
        cell.setAttribute("class", "cell " + level(s.seen, s.expected));
        var title = cell.querySelector("title");
        if (title) title.textContent = s.shelf + ": " + s.seen + "/" + s.expected;
      }
    });
    filter();
  }

  function devices(list) {
    var body = document.querySelector("#devices tbody");
    if (!body) return;
    body.textContent = "";
    list.forEach(function (d) {
      var tr = document.createElement("tr");
      [d.device, d.reads, localTime(d.last)].forEach(function (v) {
        var td = document.createElement("td");
        td.textContent = v;
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }

  function show(doc) {
    if (doc.state !== "open") { window.location.reload(); return; }
    text("seen", doc.seen);
    text("expected", doc.expected);
    text("percent", doc.percent);
    text("reads", doc.reads);
    text("unexpected", doc.unexpected);
    var bar = document.getElementById("overall-bar");
    if (bar) {
      bar.style.width = doc.percent + "%";
      bar.parentNode.setAttribute("aria-valuenow", doc.percent);
    }
    var updated = document.getElementById("updated");
    if (updated) updated.textContent = updated.dataset.label + " " + new Date().toLocaleTimeString();
    shelves(doc.shelves);
    devices(doc.devices);
  }

  function poll() {
    fetch(box.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (doc) { if (doc) show(doc); })
      .catch(function () { /* offline for a moment: the next poll tries again */ })
      .then(function () { window.setTimeout(poll, EVERY); });
  }

  function filter() {
    var only = document.getElementById("only-open");
    if (!only) return;
    document.querySelectorAll("#shelves tbody tr").forEach(function (tr) {
      tr.hidden = only.checked && tr.classList.contains("done");
    });
  }

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (!window.confirm(form.dataset.confirm)) e.preventDefault();
    });
  });
  var only = document.getElementById("only-open");
  if (only) only.addEventListener("change", filter);
  document.querySelectorAll("#devices tbody tr td:nth-child(3)").forEach(function (td) {
    td.textContent = localTime(td.textContent.trim());
  });
  if (box && box.dataset.url) window.setTimeout(poll, EVERY);
})();
