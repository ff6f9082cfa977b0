// The region chart's choosing mode: each region of the SVG (role checkbox or radio) toggles the form's own
// region input, so the form is the single source of truth and works without this script. Space or Enter
// toggles the focused region; Tab and the arrow keys move between regions. A form may have several charts,
// each bound to one row's select (data-select), such as the intake's goal rows.
"use strict";
(function () {
  var STEP = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
  function bind(box) {
    var svg = box.querySelector("[data-form]");
    var form = svg && document.getElementById(svg.getAttribute("data-form"));
    if (!form || box.hasAttribute("data-bound")) return;
    box.setAttribute("data-bound", "");
    var regions = Array.prototype.slice.call(svg.querySelectorAll("[data-site]"));
    // a chart of one row chooses in that row's own select (data-select); else the form's region select
    var select = svg.getAttribute("data-select")
      ? document.getElementById(svg.getAttribute("data-select"))
      : form.querySelector("select[data-region-select]");
    var include = select && select.getAttribute("data-include")
      ? document.getElementById(select.getAttribute("data-include")) : null;

    function checkbox(site) {
      return form.querySelector('input[type="checkbox"][data-site="' + site + '"]');
    }
    function hasOption(site) {
      return !!select && Array.prototype.some.call(select.options, function (o) { return o.value === site; });
    }
    function pressed(site) {
      var cb = checkbox(site);
      if (cb) return cb.checked;
      return !!select && select.value === site && (!include || include.checked);
    }
    function sync() {
      regions.forEach(function (r) {
        var site = r.getAttribute("data-site");
        r.setAttribute("aria-checked", pressed(site) ? "true" : "false");
        if (!checkbox(site) && !hasOption(site)) r.setAttribute("aria-disabled", "true");
      });
    }
    function toggle(site) {
      var cb = checkbox(site);
      if (cb) {
        cb.checked = !cb.checked;
        cb.dispatchEvent(new Event("change", { bubbles: true }));
      } else if (hasOption(site)) {
        if (pressed(site)) {
          if (include) include.checked = false;  // one choice only (no include box): stays chosen
        } else {
          select.value = site;
          if (include) include.checked = true;
        }
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
      sync();
    }
    regions.forEach(function (r) {
      r.addEventListener("click", function () { toggle(r.getAttribute("data-site")); });
      r.addEventListener("keydown", function (e) {
        if (e.key === " " || e.key === "Enter") {
          e.preventDefault();
          toggle(r.getAttribute("data-site"));
        } else if (STEP[e.key]) {  // arrows move to the next or previous region, wrapping around
          e.preventDefault();
          var i = regions.indexOf(r) + STEP[e.key];
          regions[(i + regions.length) % regions.length].focus();
        }
      });
    });
    form.addEventListener("change", sync);
    sync();
    box.hidden = false;
  }
  document.querySelectorAll("[data-region-chart]").forEach(bind);
})();
