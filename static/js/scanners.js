// The scanners page: fetch the table's rows every few seconds (the page works without it too).
(function () {
  "use strict";
  var body = document.getElementById("scanner-rows");
  if (!body) { return; }
  var every = (parseInt(body.dataset.every, 10) || 5) * 1000;
  function refresh() {
    fetch(body.dataset.url, {credentials: "same-origin"})
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
      .then(function (html) { body.innerHTML = html; body.classList.remove("stale"); })
      .catch(function () { body.classList.add("stale"); })
      .then(function () { window.setTimeout(refresh, every); });
  }
  window.setTimeout(refresh, every);
}());
