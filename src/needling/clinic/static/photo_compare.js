// The comparison slider: the later photo lies over the earlier one and the range input sets how much of it
// shows from the left. It is a labelled range input, so arrow keys, Page Up/Down, Home and End move it.
(function () {
  "use strict";
  const box = document.querySelector("[data-compare-slider]");
  if (!box) return;
  const over = box.querySelector("[data-over]");
  const range = box.querySelector("input[type=range]");
  function update() {
    const shown = Number(range.value);
    over.style.clipPath = "inset(0 " + (100 - shown) + "% 0 0)";
    range.setAttribute("aria-valuetext", shown + " % " + range.dataset.second + ", " + (100 - shown) + " % " + range.dataset.first);
  }
  range.addEventListener("input", update);
  update();
  box.hidden = false;
})();
