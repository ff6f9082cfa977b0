// Medication names from the coded table as the clinician types (the form works without this: the server
// resolves each typed name when the form is checked or saved and shows what it mapped to).
(function () {
  "use strict";
  var list = document.getElementById("med-names");
  if (!list) { return; }
  var timer = null;
  function fill(items) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    items.forEach(function (m) {
      var o = document.createElement("option");
      o.value = m.name;
      o.label = m.generic + " · " + m.atc;
      list.appendChild(o);
    });
  }
  function ask(text) {
    fetch("/medications/search?q=" + encodeURIComponent(text), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(fill)
      .catch(function () { fill([]); });
  }
  document.querySelectorAll("input[data-med-search]").forEach(function (input) {
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var text = input.value.trim();
      if (text.length < 2) { fill([]); return; }
      timer = setTimeout(function () { ask(text); }, 150);
    });
  });
})();
