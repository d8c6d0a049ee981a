// The handheld scan page. Keyboard-wedge scanners (and Zebra DataWedge keystroke output) type a code
// and Enter into the focused input; each read gets a seq of this browser's device, waits in
// localStorage, is judged at once (colour and sound, from a look-up) and leaves the queue only when
// the server acknowledged its (device, seq). Without a network the reads wait and are sent later.
// "Boxes, then shelf" (a toggle): box reads are held until a shelf label is read, then sent with that
// shelf as their explicit `location` (the pipeline's place rule stays as it is).
// "Counting for stock-take": the choice is kept with the queue; each read takes the choice made when it
// is queued (a read queued offline keeps its stock-take after the choice changed) and is sent with
// {"stocktake": N} in its context.
(function () {
  "use strict";
  var root = document.getElementById("scan");
  if (!root) { return; }
  function $(id) { return document.getElementById(id); }
  var input = $("scan-input");
  var words = JSON.parse($("scan-words").textContent);
  var csrf = document.querySelector("meta[name=csrf-token]").content;
  var KEY = "kho.scan.v1." + root.dataset.user;
  // Keys whose median gap is below this come from a scanner (a few ms apart), not from a person (a fast
  // typist's keys are ~100 ms apart); the margin is for a busy handheld that delivers keys late.
  var SCAN_GAP_MS = 50;
  var BATCH = 200, FIRST_RETRY = 1000, LAST_RETRY = 8000, LOOKUP_MS = 1500, SEND_MS = 20000, RECENT = 15;
  var TONES = {in_place: [[1320, 90]], no_home: [[1320, 90], [1100, 60]], place: [[880, 70], [1175, 90]],
    coarse: [[660, 120], [520, 160]], cleared: [[700, 80], [500, 80]], queued: [[980, 40]],
    misplaced: [[520, 140], [0, 60], [520, 140]], unknown: [[180, 450]], no_place: [[600, 120], [0, 50], [600, 120]],
    held: [[990, 60], [0, 40], [990, 60]]};

  // --- what this browser keeps: its device, the last seq, queued reads, its place, labels seen, the
  // stock-take it counts for ({id, scope} or null) ---
  function newDevice() {
    var abc = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789", bytes = new Uint8Array(12), id = "WEB-";
    crypto.getRandomValues(bytes);
    for (var i = 0; i < bytes.length; i++) { id += abc[bytes[i] % abc.length]; }
    return id;
  }
  function load() {
    var s = null;
    try { s = JSON.parse(localStorage.getItem(KEY)); } catch (e) { s = null; }
    s = s || {};
    s.seq = s.seq || 0; s.queue = s.queue || []; s.refused = s.refused || []; s.labels = s.labels || {};
    s.device = s.device || newDevice();
    return s;
  }
  // Read, change and write back at once: another tab of the same user may have written meanwhile.
  function change(fn) {
    var s = load(), out = fn(s);
    localStorage.setItem(KEY, JSON.stringify(s));
    return out;
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function isoNow() {
    var d = new Date(), off = -d.getTimezoneOffset(), abs = Math.abs(off);
    var local = new Date(d.getTime() + off * 60000).toISOString().slice(0, 23);
    return local + (off >= 0 ? "+" : "-") + pad(Math.floor(abs / 60)) + ":" + pad(abs % 60);
  }

  // --- reads: Enter (or a Tab suffix) ends one; the time between keys tells a scan from typing ---
  var keys = [], bulk = false;
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" || (e.key === "Tab" && input.value)) { e.preventDefault(); finish(); return; }
    if (e.key && e.key.length === 1) { keys.push(e.timeStamp); }
  });
  input.addEventListener("input", function (e) {
    if (e.data && e.data.length > 1 && e.inputType !== "insertFromPaste") { bulk = true; }
  });
  function finish() {
    var code = input.value.trim(), gaps = [];
    for (var i = 1; i < keys.length; i++) { gaps.push(keys[i] - keys[i - 1]); }
    var gap = gaps.length ? gaps.sort(function (a, b) { return a - b; })[gaps.length >> 1] : Infinity;
    var scanned = bulk || gap < SCAN_GAP_MS, measured = bulk ? 0 : gap;
    input.value = ""; keys = []; bulk = false;
    if (code) { read(code, !scanned, measured); }
  }
  var lookups = Promise.resolve();
  function read(code, manual, gap) {
    var r = change(function (s) {
      s.seq += 1;
      var item = {seq: s.seq, code: code, at: isoNow()};
      if (manual) { item.manual = true; }
      if (s.stocktake) { item.stocktake = s.stocktake.id; }
      if (boxFirst) { item.hold = true; } // until judged: a box waits for its shelf
      s.queue.push(item);
      return item;
    });
    var row = addRecent(r);
    row.dataset.gap = isFinite(gap) ? Math.round(gap) : "";
    counts();
    lookups = lookups.then(function () { return judge(r, row); });
    sendSoon(200);
  }

  // --- feedback: the server judges the code where the device stands; offline, "queued" ---
  var offlineAt = 0;
  function judge(r, row) {
    var place = load().place, url = root.dataset.lookup + "?code=" + encodeURIComponent(r.code);
    if (place) { url += "&place=" + encodeURIComponent(place.code); }
    if (r.stocktake) { url += "&stocktake=" + r.stocktake; }
    if (Date.now() - offlineAt < 1000) { return queued(r, row); }
    return fetchJson(url, {}, LOOKUP_MS).then(function (res) {
      change(function (s) {
        s.place = res.place;
        if (res.reading !== "box" && res.reading !== "unknown") { s.labels[r.code.toUpperCase()] = res.place; }
      });
      if (held(r, res.reading === "box", res.place && res.reading === "place" && res.place.locates)) {
        verdict("held", r, order.dataset.held, row);
      } else { verdict(res.verdict, r, res.message, row, res.stocktake); }
    }, function () { offlineAt = Date.now(); queued(r, row); });
  }
  function queued(r, row) {
    var label = load().labels[r.code.toUpperCase()];
    if (label !== undefined) { change(function (s) { s.place = label; }); } // a label seen before
    held(r, label === undefined, !!(label && label.locates));
    verdict("queued", r, words.queued, row);
  }
  // Boxes, then shelf: a box read stays held; a shelf read sends the held boxes with it as their
  // location. Anything else goes as it is. True when this read stays held.
  function held(r, box, shelf) {
    if (!boxFirst && !isHeld(r)) { return false; }
    var released = [];
    change(function (s) {
      s.queue.forEach(function (q) {
        if (q.seq === r.seq) { q.hold = box; }
        else if (shelf && q.hold && q.seq < r.seq) { q.hold = false; q.location = r.code; released.push(q.seq); }
      });
    });
    released.forEach(function (seq) {
      var row = document.querySelector("#scan-recent li[data-seq='" + seq + "']");
      if (row) { row.className = "v-placed"; row.dataset.verdict = "placed";
        row.querySelector(".text").textContent = order.dataset.placed.replace("%(place)s", r.code); }
    });
    if (released.length || !box) { sendSoon(0); counts(); }
    return box;
  }
  function isHeld(r) { return load().queue.some(function (q) { return q.seq === r.seq && q.hold; }); }
  // `counted`: the look-up's word on the read's stock-take ({state, note}), shown beside the verdict.
  function verdict(v, r, message, row, counted) {
    var panel = $("scan-feedback"), tones = TONES[v] || [], counts = counted ? counted.state || "unknown" : "";
    panel.className = "scan-feedback v-" + v;
    panel.dataset.verdict = v; panel.dataset.seq = r.seq; panel.dataset.stocktake = counts;
    panel.dataset.tone = tones.map(function (t) { return t[0]; }).join(",");
    $("scan-feedback-code").textContent = r.code;
    $("scan-feedback-text").textContent = message + (counted ? " · " + counted.note : "") +
      (r.manual ? " · " + words.manual : "");
    row.className = "v-" + v; row.dataset.verdict = v;
    row.querySelector(".text").textContent = message;
    row.dataset.counts = counts;
    if (counted && counts !== "open") { row.querySelector(".stocktake").textContent = counted.note; }
    showPlace();
    beep(tones);
    if ((v === "misplaced" || v === "unknown") && navigator.vibrate) { navigator.vibrate(200); }
  }
  function addRecent(r) {
    var list = $("scan-recent"), row = document.createElement("li");
    row.dataset.seq = r.seq; row.dataset.verdict = "checking"; row.dataset.stocktake = r.stocktake || "";
    [["seq", "#" + r.seq], ["code", r.code], ["text", words.checking], ["manual", r.manual ? words.manual : ""],
     ["stocktake", r.stocktake ? words.stocktake_read.replace("%(id)s", r.stocktake) : ""]]
      .forEach(function (part) {
        var span = document.createElement("span");
        span.className = part[0]; span.textContent = part[1];
        row.appendChild(span);
      });
    list.insertBefore(row, list.firstChild);
    while (list.children.length > RECENT) { list.removeChild(list.lastChild); }
    return row;
  }
  function showPlace() {
    var p = load().place, box = $("scan-place");
    box.dataset.code = p ? p.code : "";
    box.dataset.state = !p ? "none" : p.locates ? "ok" : "coarse";
    $("scan-place-code").textContent = p ? p.code : "—";
    $("scan-place-note").textContent = !p ? words.no_place
      : p.locates ? p.kind_label + (p.name ? " · " + p.name : "") : p.kind_label + ": " + words.coarse;
  }
  var audio = null, sound = localStorage.getItem(KEY + ".sound") !== "off";
  function beep(tones) {
    if (!sound || !tones.length) { return; }
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var t = audio.currentTime + 0.01;
      tones.forEach(function (tone) {
        if (tone[0]) {
          var osc = audio.createOscillator(), gain = audio.createGain();
          osc.type = "square"; osc.frequency.value = tone[0]; gain.gain.value = 0.08;
          osc.connect(gain); gain.connect(audio.destination);
          osc.start(t); osc.stop(t + tone[1] / 1000);
        }
        t += tone[1] / 1000 + 0.03;
      });
    } catch (e) { sound = sound && !!audio; } // no audio on this device: colours still tell
  }

  // --- sending: batches in seq order; back-off while the server is away; resend until acknowledged ---
  var sending = false, retry = FIRST_RETRY, timer = null;
  function fetchJson(url, options, ms) {
    var ctl = new AbortController(), stop = setTimeout(function () { ctl.abort(); }, ms);
    options.credentials = "same-origin"; options.signal = ctl.signal;
    options.headers = Object.assign({"Accept": "application/json"}, options.headers || {});
    return fetch(url, options).then(function (r) {
      clearTimeout(stop);
      var json = (r.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (r.redirected || r.status === 401) { throw {login: true}; }
      if (!json) { throw {status: r.status}; }
      return r.json().then(function (body) { if (!r.ok) { body.status = r.status; throw body; } return body; });
    }, function (e) { clearTimeout(stop); throw e; });
  }
  function sendSoon(ms) { clearTimeout(timer); timer = setTimeout(send, ms); }
  function send() {
    timer = null;
    var s = load(), batch = [];
    for (var i = 0; i < s.queue.length && batch.length < BATCH && !s.queue[i].hold; i++) { batch.push(s.queue[i]); }
    if (sending || !batch.length) { if (!sending) { net("online"); } return; }
    sending = true; net("sending");
    var events = batch.map(function (r) {
      var e = {device: s.device, seq: r.seq, code: r.code, kind: "barcode", at: r.at};
      if (r.manual || r.stocktake) { e.context = {}; }
      if (r.manual) { e.context.manual = true; }
      if (r.stocktake) { e.context.stocktake = r.stocktake; }
      if (r.location) { e.location = r.location; }
      return e;
    });
    fetchJson(root.dataset.events, {method: "POST", body: JSON.stringify({events: events}),
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf}}, SEND_MS)
      .then(function (res) {
        acknowledged(res); retry = FIRST_RETRY; sending = false; net("online");
        if (load().queue.length) { sendSoon(0); }
      }, function (err) {
        sending = false;
        if (err && err.renew) { // someone else's device: this browser takes a new one
          $("scan-device").textContent = change(function (s2) { s2.device = newDevice(); return s2.device; });
          sendSoon(0); return;
        }
        if (err && err.status === 400 && !err.error) { renewToken(); } // the CSRF token expired
        net(err && err.login ? "login" : "offline");
        sendSoon(retry); retry = Math.min(retry * 2, LAST_RETRY);
      }).then(counts);
  }
  function acknowledged(res) {
    var gone = {};
    res.acked.forEach(function (seq) { gone[seq] = true; });
    res.refused.forEach(function (r) { if (r.seq !== null) { gone[r.seq] = r.error; } });
    change(function (s) {
      s.queue.forEach(function (q) {
        if (typeof gone[q.seq] === "string") { s.refused.push({seq: q.seq, code: q.code, error: gone[q.seq]}); }
      });
      s.refused = s.refused.slice(-50);
      s.queue = s.queue.filter(function (q) { return !gone[q.seq]; });
    });
    showRefused();
  }
  function renewToken() {
    fetchJson(root.dataset.token, {}, LOOKUP_MS).then(function (res) { csrf = res.csrf_token; }, function () {});
  }
  function counts() {
    var n = load().queue.length, box = $("scan-waiting");
    box.dataset.count = n;
    box.textContent = words.waiting.replace("%(n)s", n);
  }
  function net(state) {
    var badge = $("scan-net");
    badge.dataset.state = state;
    badge.className = "badge" + (state === "offline" || state === "login" ? " off" : "");
    badge.textContent = words[state];
  }
  function showRefused() {
    var refused = load().refused, list = $("scan-refused");
    $("scan-refused-box").hidden = !refused.length;
    $("scan-refused-count").textContent = "(" + refused.length + ")";
    list.textContent = "";
    refused.forEach(function (r) {
      var li = document.createElement("li");
      li.textContent = "#" + r.seq + " " + r.code + ": " + r.error;
      list.appendChild(li);
    });
  }

  // --- the input keeps the focus: a click anywhere or a stray key brings it back ---
  var CONTROLS = "a, button, summary, select, textarea, input";
  function refocus() { if (document.activeElement !== input) { input.focus({preventScroll: true}); } }
  input.addEventListener("blur", function () {
    setTimeout(function () {
      var now = document.activeElement;
      if (!now || now === document.body || !now.closest(CONTROLS)) { refocus(); }
    }, 0);
  });
  document.addEventListener("click", function (e) { if (!e.target.closest(CONTROLS)) { refocus(); } });
  document.addEventListener("keydown", function (e) {
    if (e.target !== input && e.target.closest && e.key && e.key.length === 1 && !e.target.closest("input, textarea, select")) { refocus(); }
  }, true);
  $("scan-keyboard").addEventListener("click", function () {
    input.inputMode = input.inputMode === "none" ? "text" : "none";
    input.blur(); refocus();
  });
  var order = $("scan-order"), boxFirst = localStorage.getItem(KEY + ".order") === "box-first";
  function showOrder() {
    order.textContent = boxFirst ? order.dataset.boxFirst : order.dataset.shelfFirst;
    order.setAttribute("aria-pressed", boxFirst ? "true" : "false");
    root.dataset.order = boxFirst ? "box-first" : "shelf-first";
    $("scan-prompt").textContent = boxFirst ? order.dataset.promptBoxFirst : order.dataset.promptShelfFirst;
  }
  order.addEventListener("click", function () {
    boxFirst = !boxFirst;
    localStorage.setItem(KEY + ".order", boxFirst ? "box-first" : "shelf-first");
    if (!boxFirst) { change(function (s) { s.queue.forEach(function (q) { q.hold = false; }); }); sendSoon(0); }
    showOrder(); refocus();
  });
  // --- the stock-take counted for: chosen from the open ones the page lists, shown on top ---
  var counting = $("scan-stocktake"), choice = $("scan-stocktake-choice");
  function option(id) { return id ? choice.querySelector("option[value='" + id + "']") : null; }
  function choose(id) {
    var o = option(id);
    change(function (s) { s.stocktake = o ? {id: +o.value, scope: o.dataset.scope} : null; });
    showCounting();
  }
  function showCounting() {
    var st = load().stocktake, o = st && option(st.id), id = $("scan-stocktake-id"), link = $("scan-stocktake-link");
    counting.dataset.chosen = st ? st.id : "";
    choice.value = st ? String(st.id) : "";
    id.textContent = st ? id.dataset.counting.replace("%(id)s", st.id) : id.dataset.none;
    $("scan-stocktake-scope").textContent = st ? st.scope + (o && o.dataset.note ? " · " + o.dataset.note : "") : "";
    link.hidden = !o; link.href = o ? o.dataset.count : "";
  }
  choice.addEventListener("change", function () { choose(choice.value); refocus(); });
  window.addEventListener("storage", function (e) { if (e.key === KEY) { showCounting(); } }); // another tab chose
  // ?stocktake=N, checked by the server: its id when open, "none" when refused. Otherwise the kept
  // choice stays, unless that stock-take is no longer open (the page lists the open ones).
  (function () {
    var asked = counting.dataset.preselect, kept = load().stocktake;
    if (asked) {
      choose(asked === "none" ? "" : asked);
      history.replaceState(null, "", location.pathname); // a reload keeps a choice changed since
    } else if (kept && !option(kept.id)) {
      choose("");
      var notice = document.createElement("p");
      notice.className = "flash error"; notice.id = "scan-stocktake-notice";
      notice.textContent = words.stocktake_gone.replace("%(id)s", kept.id);
      counting.parentNode.insertBefore(notice, counting);
    }
  }());

  function showSound() { $("scan-sound").textContent = sound ? words.sound_on : words.sound_off; }
  $("scan-sound").addEventListener("click", function () {
    sound = !sound;
    localStorage.setItem(KEY + ".sound", sound ? "on" : "off");
    showSound(); refocus();
  });

  window.addEventListener("online", function () { retry = FIRST_RETRY; sendSoon(0); });
  window.addEventListener("offline", function () { net("offline"); });
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { sendSoon(0); } });
  setInterval(function () { if (!timer && !sending && load().queue.length) { sendSoon(0); } }, 5000);

  var start = change(function (s) { return s; }); // a new device id is kept from the first visit
  $("scan-device").textContent = start.device;
  start.queue.slice(-RECENT).forEach(function (r) { var row = addRecent(r); row.className = "v-queued";
    row.dataset.verdict = "queued"; row.querySelector(".text").textContent = words.queued; });
  showPlace(); showSound(); showOrder(); showCounting(); counts(); showRefused(); sendSoon(0); refocus();
}());
