// Sortable and filterable tables of the dashboard and the area pages (no inline script: the CSP forbids it).
(function () {
  "use strict";
  function cellValue(td) {
    var v = td.getAttribute("data-v");
    var t = v !== null ? v : td.textContent.trim();
    var n = parseFloat(t.replace(/[,%]/g, ""));
    return isNaN(n) || !/^-?[\d.,]+%?$/.test(t.split(" ")[0]) ? t : n;
  }
  function sortBy(table, col, th) {
    var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
    var asc = !th.classList.contains("sorted-asc");
    rows.sort(function (a, b) {
      var x = cellValue(a.cells[col]), y = cellValue(b.cells[col]);
      if (typeof x === "number" && typeof y === "number") return asc ? x - y : y - x;
      return asc ? String(x).localeCompare(String(y), "zh") : String(y).localeCompare(String(x), "zh");
    });
    rows.forEach(function (r) { body.appendChild(r); });
    table.querySelectorAll("thead th").forEach(function (h) { h.classList.remove("sorted-asc", "sorted-desc"); });
    th.classList.add(asc ? "sorted-asc" : "sorted-desc");
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("thead th").forEach(function (th, i) {
      th.addEventListener("click", function () { sortBy(table, i, th); });
    });
  });
  document.querySelectorAll(".filters").forEach(function (box) {
    var table = document.getElementById(box.getAttribute("data-for"));
    var count = box.querySelector(".count");
    function apply() {
      var wants = Array.prototype.map.call(box.querySelectorAll("select"), function (s) {
        return [parseInt(s.getAttribute("data-col"), 10), s.value];
      });
      var shown = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
        var ok = wants.every(function (w) { return !w[1] || r.cells[w[0]].textContent.trim() === w[1]; });
        r.hidden = !ok;
        if (ok) shown++;
      });
      if (count) count.textContent = "显示 " + shown + " / " + table.tBodies[0].rows.length + " 条 (shown)";
    }
    box.querySelectorAll("select").forEach(function (s) { s.addEventListener("change", apply); });
    apply();
  });
})();
