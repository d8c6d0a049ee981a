// Alerts dashboard: rows for new or changed alerts arrive by server-sent events (no reload).
(function () {
  "use strict";
  var table = document.getElementById("alerts");
  if (!table || !window.EventSource) { return; }
  var words = JSON.parse(table.dataset.words);
  var status = document.getElementById("live-status");
  var colour = { critical: "bad", high: "bad", medium: "warn" };

  function cell(row, text) {
    var td = document.createElement("td");
    if (text instanceof Node) { td.appendChild(text); } else { td.textContent = text == null ? "" : text; }
    row.appendChild(td);
    return td;
  }

  function time(iso) { return iso ? new Date(iso).toLocaleString() : ""; }

  function decisions(a) {
    var form = document.createElement("form");
    form.method = "post";
    form.className = "alert-decision";
    var csrf = document.createElement("input");
    csrf.type = "hidden"; csrf.name = "csrf_token"; csrf.value = table.dataset.csrf;
    var note = document.createElement("input");
    note.name = "note"; note.placeholder = words.note; note.setAttribute("aria-label", words.note);
    form.append(csrf, note);
    [["open", "ack", table.dataset.ackUrl], [null, "resolve", table.dataset.resolveUrl]].forEach(function (b) {
      if (b[0] && a.state !== b[0]) { return; }
      var button = document.createElement("button");
      button.type = "submit"; button.className = b[1]; button.textContent = words[b[1]];
      button.setAttribute("formaction", b[2].replace("/0/", "/" + a.id + "/"));
      form.appendChild(button);
    });
    return form;
  }

  function render(a) {
    // The server sends each key with its label in the page's language (kind_label, …); keys stay data.
    var row = document.createElement("tr");
    row.id = "alert-" + a.id; row.dataset.id = a.id; row.dataset.state = a.state; row.dataset.kind = a.kind;
    cell(row, a.id); cell(row, a.kind_label || a.kind).className = "alert-kind";
    var badge = document.createElement("span");
    badge.className = "badge " + (colour[a.severity] || "") + " severity-" + a.severity;
    badge.textContent = a.severity_label || a.severity;
    cell(row, badge); cell(row, a.state_label || a.state).className = "alert-state";
    if (a.box) {
      var link = document.createElement("a");
      link.href = table.dataset.boxUrl.replace("CODE", encodeURIComponent(a.box));
      link.textContent = a.box;
      cell(row, link);
    } else { cell(row, ""); }
    var code = document.createElement("code"); code.textContent = a.code || "";
    cell(row, code); cell(row, a.location); cell(row, a.count);
    cell(row, time(a.first_at)); cell(row, time(a.at));
    var said = cell(row, a.message_label || a.message);
    said.className = "muted";
    [["acked", a.acknowledged_by, a.acknowledged_note], ["resolved", a.resolved_by, a.resolved_note]].forEach(function (d) {
      if (!d[1]) { return; }
      said.append(document.createElement("br"), words[d[0]].replace("{who}", d[1]) + (d[2] ? ": " + d[2] : ""));
    });
    cell(row, table.dataset.canDecide && a.state !== "resolved" ? decisions(a) : "");
    return row;
  }

  function wanted(a) {
    return (!table.dataset.state || table.dataset.state === a.state) &&
      (!table.dataset.kind || table.dataset.kind === a.kind);
  }

  function show(a) {
    var body = table.tBodies[0];
    var old = body.querySelector('tr[data-id="' + a.id + '"]');
    if (!wanted(a)) { if (old) { old.remove(); } return; }
    if (old && old.querySelector("input[name=note]") === document.activeElement) { return; }
    var row = render(a);
    if (old) { body.replaceChild(row, old); } else { body.insertBefore(row, body.firstChild); }
    var empty = document.getElementById("no-alerts");
    if (empty) { empty.remove(); }
  }

  var source = new EventSource(table.dataset.stream);
  source.addEventListener("open", function () { status.textContent = status.dataset.live; });
  source.addEventListener("error", function () { status.textContent = status.dataset.off; });
  source.addEventListener("alert", function (e) { show(JSON.parse(e.data)); });
})();
