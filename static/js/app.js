// bilgiislem — small keyboard helpers, no dependencies.
//   "/"      focuses the page's search box (an input with data-search, else the first search input)
//   j / k    move through the rows of a table marked data-rows; Enter opens the row's first link
(function () {
  "use strict";

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  function rows() {
    var table = document.querySelector("table[data-rows]");
    return table ? Array.prototype.slice.call(table.tBodies[0].rows) : [];
  }

  function select(list, index) {
    list.forEach(function (row) { row.classList.remove("is-current"); row.removeAttribute("tabindex"); });
    var row = list[index];
    if (!row) { return; }
    row.classList.add("is-current");
    row.setAttribute("tabindex", "-1");
    row.focus();
    row.scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    if (event.key === "/") {
      var box = document.querySelector("[data-search]") || document.querySelector('input[type="search"]');
      if (box) { event.preventDefault(); box.focus(); box.select(); }
      return;
    }
    if (event.key === "j" || event.key === "k" || event.key === "Enter") {
      var list = rows();
      if (!list.length) { return; }
      var current = list.findIndex(function (row) { return row.classList.contains("is-current"); });
      if (event.key === "Enter") {
        if (current >= 0 && event.target === list[current]) {
          var link = list[current].querySelector("a[href]");
          if (link) { event.preventDefault(); link.click(); }
        }
        return;
      }
      var next = event.key === "j" ? Math.min(current + 1, list.length - 1) : Math.max(current - 1, 0);
      select(list, next);
    }
  });
})();
