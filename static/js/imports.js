/* Kho imports: upload with a progress bar, then follow a running import until it ends.
   Plain JS, no build step; without it the forms and pages still work (the page just does not move). */
(function () {
  "use strict";

  function bar(container, done, total) {
    var span = container.querySelector(".progress > span");
    if (span) { span.style.width = (total ? Math.round(100 * done / total) : 0) + "%"; }
  }

  var form = document.getElementById("import-upload");
  if (form && window.FormData && window.XMLHttpRequest) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var box = document.getElementById("upload-progress");
      var note = document.getElementById("upload-note");
      var button = form.querySelector("button[type=submit]");
      box.hidden = false;
      button.disabled = true;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) { bar(form, e.loaded, e.total); }
        if (e.loaded === e.total) { note.hidden = false; }
      });
      xhr.addEventListener("load", function () {
        if (xhr.status >= 200 && xhr.status < 300 && xhr.responseURL) {
          window.location.assign(xhr.responseURL);
        } else {
          document.open(); document.write(xhr.responseText); document.close();
        }
      });
      xhr.addEventListener("error", function () {
        button.disabled = false; box.hidden = true; note.hidden = true;
        window.alert(form.getAttribute("data-failed") || "Upload failed");
      });
      xhr.send(new FormData(form));
    });
  }

  var job = document.getElementById("job-progress");
  if (job) {
    var url = job.getAttribute("data-status-url");
    var poll = function () {
      fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (r) { return r.json(); })
        .then(function (s) {
          bar(job, s.done, s.total);
          job.querySelector(".done").textContent = s.done;
          job.querySelector(".total").textContent = s.total;
          job.querySelector(".phase").hidden = s.done > 0;
          var badge = document.getElementById("job-status");
          if (badge && s.status === "running") { badge.textContent = job.getAttribute("data-running"); }
          if (s.status === "queued" || s.status === "running") { window.setTimeout(poll, 1000); }
          else { window.location.reload(); }
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    };
    window.setTimeout(poll, 500);
  }
}());
