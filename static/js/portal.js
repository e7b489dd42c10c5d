/* 府院联动平台: the little behaviour the pages need (the CSP forbids inline scripts and handlers). */
(function () {
  "use strict";

  function lang() {
    return (document.documentElement.lang || "zh-CN").toLowerCase().indexOf("zh") === 0 ? "zh" : "en";
  }

  // Print buttons.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-action='print']");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });

  // Forms that need a second thought (unshare, waive).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  // A type-to-filter box above long institution lists.
  function addFilter(select) {
    var input = document.createElement("input");
    input.type = "search";
    input.className = "form-control form-control-sm select-filter";
    input.placeholder = lang() === "zh" ? "输入名称筛选…" : "Type to filter…";
    input.setAttribute("aria-label", (lang() === "zh" ? "筛选：" : "Filter: ") + (select.labels && select.labels[0] ? select.labels[0].textContent : ""));
    input.setAttribute("aria-controls", select.id);
    select.parentNode.insertBefore(input, select);
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLowerCase();
      Array.prototype.forEach.call(select.options, function (option) {
        option.hidden = needle !== "" && !option.selected && option.text.toLowerCase().indexOf(needle) === -1;
      });
    });
  }

  // Move focus to the error summary so keyboard and screen-reader users hear what is wrong.
  function focusErrors() {
    var summary = document.getElementById("form-errors");
    if (summary) {
      summary.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("select[data-filterable]"), addFilter);
    focusErrors();
  });
})();
