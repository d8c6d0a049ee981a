/* Kho · stores pages: filter the tree by code or name, ask before deleting. Plain JS, no build step. */
(function () {
  "use strict";
  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }
  var filter = document.getElementById("place-filter");
  if (filter) {
    var rows = document.querySelectorAll(filter.getAttribute("data-rows"));
    filter.addEventListener("input", function () {
      var words = fold(filter.value).split(/\s+/).filter(Boolean);
      rows.forEach(function (row) {
        var text = fold(row.getAttribute("data-search"));
        row.hidden = !words.every(function (w) { return text.indexOf(w) >= 0; });
      });
    });
  }
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
})();
