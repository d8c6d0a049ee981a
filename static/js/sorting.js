// Sorting page: a "select all" box for the file checkboxes (the page works without it).
(function () {
  var all = document.getElementById("all-files");
  if (!all) return;
  all.addEventListener("change", function () {
    document.querySelectorAll('#files-form input[name="file"]').forEach(function (c) { c.checked = all.checked; });
  });
})();
