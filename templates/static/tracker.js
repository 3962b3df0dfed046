/* The portfolio tracker's table: sort by a column (click its header; aria-sort says
   how), filter by stage, jurisdiction and words. Inlined in index.html and allowed by
   its hash alone; without it the table is complete, every row shown, in id order. */
(function () {
  "use strict";
  var table = document.getElementById("tracker-table");
  var form = document.getElementById("tracker-filters");
  if (!table || !form) {
    return;
  }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var shown = document.getElementById("tracker-shown");
  var lang = document.documentElement.lang;

  function key(row, column) {
    var cell = row.cells[column];
    var value = cell.getAttribute("data-sort");
    return value === null ? cell.textContent.trim() : value;
  }

  function compare(a, b) {
    var x = Number(a);
    var y = Number(b);
    if (a !== "" && b !== "" && !isNaN(x) && !isNaN(y)) {
      return x - y;
    }
    return a.localeCompare(b, lang);
  }

  function sortBy(th, column) {
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    headers.forEach(function (h) {
      h.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var order = rows.map(function (row, i) {
      return [key(row, column), i, row];
    });
    order.sort(function (p, q) {
      // Rows without a value (no investment given) go last either way.
      if ((p[0] === "") !== (q[0] === "")) {
        return p[0] === "" ? 1 : -1;
      }
      var c = compare(p[0], q[0]);
      return (ascending ? c : -c) || p[1] - q[1];
    });
    order.forEach(function (item) {
      body.appendChild(item[2]);
    });
  }

  headers.forEach(function (th, column) {
    if (!th.hasAttribute("data-sortable")) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    while (th.firstChild) {
      button.appendChild(th.firstChild);
    }
    th.appendChild(button);
    button.addEventListener("click", function () {
      sortBy(th, column);
    });
  });

  function filter() {
    var stage = form.elements.stage.value;
    var place = form.elements.jurisdiction.value;
    var words = form.elements.q.value.trim().toLocaleLowerCase(lang);
    var count = 0;
    rows.forEach(function (row) {
      var match =
        (!stage || row.getAttribute("data-stage") === stage) &&
        (!place || row.getAttribute("data-jurisdiction") === place) &&
        (!words || row.getAttribute("data-search").indexOf(words) !== -1);
      row.hidden = !match;
      count += match ? 1 : 0;
    });
    var total = Number(shown.getAttribute("data-total"));
    shown.textContent = shown
      .getAttribute("data-words")
      .replace("{shown}", count.toLocaleString(lang))
      .replace("{total}", total.toLocaleString(lang));
  }

  form.addEventListener("input", filter);
  form.addEventListener("change", filter);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  form.hidden = false;
  filter();
})();
