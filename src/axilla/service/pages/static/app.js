// axilla pages: tabs, extra lymph-node rows, inline validation messages, print buttons.
// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  function setupTabs(root) {
    var list = root.querySelector(".tablist");
    if (!list) { return; }
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    var panels = links.map(function (a) { return document.getElementById(a.getAttribute("href").slice(1)); });
    list.setAttribute("role", "tablist");
    Array.prototype.forEach.call(list.children, function (li) { li.setAttribute("role", "presentation"); });
    function select(index, focus) {
      links.forEach(function (a, i) {
        var on = i === index;
        a.setAttribute("aria-selected", on ? "true" : "false");
        a.setAttribute("tabindex", on ? "0" : "-1");
        panels[i].hidden = !on;
      });
      if (focus) { links[index].focus(); }
    }
    links.forEach(function (a, i) {
      a.setAttribute("role", "tab");
      a.setAttribute("aria-controls", panels[i].id);
      panels[i].setAttribute("role", "tabpanel");
      panels[i].setAttribute("tabindex", "0");
      a.addEventListener("click", function (ev) { ev.preventDefault(); select(i, false); });
      a.addEventListener("keydown", function (ev) {
        var next = null;
        if (ev.key === "ArrowRight") { next = (i + 1) % links.length; }
        else if (ev.key === "ArrowLeft") { next = (i - 1 + links.length) % links.length; }
        else if (ev.key === "Home") { next = 0; }
        else if (ev.key === "End") { next = links.length - 1; }
        else if (ev.key === " " || ev.key === "Enter") { ev.preventDefault(); select(i, false); return; }
        if (next !== null) { ev.preventDefault(); select(next, true); }
      });
    });
    // The view last chosen is remembered (this browser only) and opens next time.
    var key = "axilla-view-" + (list.getAttribute("aria-label") || "tabs");
    var remembered = null;
    try { remembered = window.localStorage.getItem(key); } catch (e) { remembered = null; }
    links.forEach(function (a) {
      a.addEventListener("click", function () {
        try { window.localStorage.setItem(key, a.getAttribute("href")); } catch (e) { /* private mode */ }
      });
    });
    var want = location.hash || remembered;
    var start = links.findIndex(function (a) { return a.getAttribute("href") === want; });
    select(start >= 0 ? start : 0, false);
  }

  function setupNodeRows() {
    var button = document.getElementById("add-node");
    if (!button) { return; }
    var spare = Array.prototype.slice.call(document.querySelectorAll(".node-row[data-spare]"));
    spare.forEach(function (row) { row.hidden = true; });
    function refresh() { button.hidden = false; }
    function cloneRow() {
      // Past the rows the page came with: a copy of the last row, renumbered (no limit).
      var rows = document.querySelectorAll(".node-row");
      var last = rows[rows.length - 1];
      var from = rows.length - 1;
      var to = rows.length;
      var row = last.cloneNode(true);
      row.id = "node-row-" + to;
      row.querySelector("legend").textContent = "Lymph node " + (to + 1);
      Array.prototype.forEach.call(row.querySelectorAll("[id],[for],[name],[aria-describedby]"), function (el) {
        ["id", "for", "name", "aria-describedby"].forEach(function (attr) {
          var v = el.getAttribute(attr);
          if (v) {
            el.setAttribute(attr, v.split("nodes[" + from + "]").join("nodes[" + to + "]")
              .split("f-nodes-" + from + "-").join("f-nodes-" + to + "-"));
          }
        });
        if (el.tagName === "INPUT") {
          if (el.type === "checkbox") { el.checked = false; } else { el.value = ""; }
          el.removeAttribute("aria-invalid");
        } else if (el.tagName === "SELECT") { el.selectedIndex = 0; }
        if (el.classList.contains("error")) { el.textContent = ""; }
      });
      last.parentNode.appendChild(row);
      return row;
    }
    button.addEventListener("click", function () {
      var row = spare.shift() || cloneRow();
      row.hidden = false;
      var first = row.querySelector("select, input");
      if (first) { first.focus(); }
      refresh();
    });
    refresh();
  }

  function messageFor(input) {
    var v = input.validity;
    if (v.valid) { return ""; }
    if (v.valueMissing) { return "required"; }
    if (v.badInput) { return "must be a number"; }
    if (v.rangeUnderflow || v.rangeOverflow) { return "must be " + input.min + " to " + input.max; }
    if (v.stepMismatch) { return "must be a whole number"; }
    if (v.patternMismatch) { return "sizes in mm, separated by ;"; }
    return input.validationMessage;
  }

  function setupValidation() {
    var form = document.getElementById("case-form");
    if (!form) { return; }
    function check(input) {
      var out = document.getElementById("err-" + input.id);
      if (!out) { return true; }
      var msg = messageFor(input);
      out.textContent = msg;
      if (msg) { input.setAttribute("aria-invalid", "true"); }
      else { input.removeAttribute("aria-invalid"); }
      input.closest(".field").classList.toggle("invalid", Boolean(msg));
      return !msg;
    }
    var inputs = form.querySelectorAll("input:not([type=hidden]), select");
    Array.prototype.forEach.call(inputs, function (input) {
      input.addEventListener("blur", function () { check(input); });
      input.addEventListener("change", function () { check(input); });
    });
    form.addEventListener("submit", function (ev) {
      var firstBad = null;
      Array.prototype.forEach.call(inputs, function (input) {
        if (!check(input) && !firstBad) { firstBad = input; }
      });
      if (firstBad) { ev.preventDefault(); firstBad.focus(); }
    });
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  }

  function setupPrint() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (b) {
      b.addEventListener("click", function () { window.print(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-tabs]"), setupTabs);
    setupNodeRows();
    setupValidation();
    setupPrint();
  });
}());
