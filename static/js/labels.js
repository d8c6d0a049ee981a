/* Kho labels: follow a print run drawn on the server until it ends (then reload to show the file).
   Plain JS, no build step; without it the page still works (reload it by hand). */
(function () {
  "use strict";
  var box = document.getElementById("run-progress");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var poll = function () {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (s) {
        var span = box.querySelector(".progress > span");
        if (span) { span.style.width = (s.total ? Math.round(100 * s.done / s.total) : 0) + "%"; }
        box.querySelector(".done").textContent = s.done;
        box.querySelector(".total").textContent = s.total;
        if (s.status === "queued" || s.status === "running") { window.setTimeout(poll, 700); }
        else { window.location.reload(); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  };
  window.setTimeout(poll, 400);
}());
