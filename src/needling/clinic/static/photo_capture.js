// The photo upload form: each region offers only its own views, and the framing guide of the chosen view
// lies over a preview of the photo taken (read as a data: URL; nothing leaves the page before upload).
(function () {
  "use strict";
  const form = document.querySelector("[data-photo-form]");
  if (!form) return;
  const site = form.querySelector("#p-site");
  const view = form.querySelector("#p-view");
  const file = form.querySelector("#p-file");
  const figure = form.querySelector("[data-framing]");
  const preview = form.querySelector("[data-preview]");

  function showGuide() {
    figure.querySelectorAll("[data-guide]").forEach((g) => { g.toggleAttribute("hidden", g.dataset.guide !== view.value); });  // SVG has no .hidden
    figure.querySelectorAll("[data-how]").forEach((p) => { p.hidden = p.dataset.how !== view.value; });
  }

  function limitViews() {
    const option = site.options[site.selectedIndex];
    const valid = (option && option.dataset.views ? option.dataset.views : "").split(" ");
    Array.from(view.options).forEach((o) => { o.hidden = o.disabled = !valid.includes(o.value); });
    if (!valid.includes(view.value)) view.value = valid[0];
    showGuide();
  }

  file.addEventListener("change", () => {
    const chosen = file.files && file.files[0];
    if (!chosen) { preview.hidden = true; figure.classList.remove("with-photo"); return; }
    const reader = new FileReader();
    reader.addEventListener("load", () => {
      preview.src = reader.result;
      preview.hidden = false;
      figure.classList.add("with-photo");
    });
    reader.readAsDataURL(chosen);
  });
  site.addEventListener("change", limitViews);
  view.addEventListener("change", showGuide);
  limitViews();
})();
