// Signature pad: draws with pointer events (mouse, touch, pen) on a canvas and puts the drawing, as a PNG data
// URL, in the form's hidden "signature_png" field. People who do not draw type their name in the field below.
(function () {
  "use strict";
  var pad = document.getElementById("signature-pad");
  var out = document.getElementById("signature-png");
  var clear = document.getElementById("signature-clear");
  if (!pad || !out) { return; }
  var ctx = pad.getContext("2d");
  var drawing = false;
  var inked = false;
  var last = null;

  function reset() {
    var box = pad.getBoundingClientRect();
    var ratio = window.devicePixelRatio || 1;
    pad.width = Math.max(1, Math.round(box.width * ratio));
    pad.height = Math.max(1, Math.round(box.height * ratio));
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, box.width, box.height);
    ctx.strokeStyle = "#000";
    ctx.fillStyle = "#000";
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    inked = false;
    out.value = "";
  }

  function point(e) {
    var box = pad.getBoundingClientRect();
    return { x: e.clientX - box.left, y: e.clientY - box.top };
  }

  function width(e) {
    return e.pointerType === "pen" && e.pressure > 0 ? 1 + 3 * e.pressure : 2.5;
  }

  pad.addEventListener("pointerdown", function (e) {
    e.preventDefault();
    if (pad.setPointerCapture) { pad.setPointerCapture(e.pointerId); }
    drawing = true;
    last = point(e);
    ctx.beginPath();
    ctx.arc(last.x, last.y, width(e) / 2, 0, 2 * Math.PI);
    ctx.fill();
    inked = true;
  });

  pad.addEventListener("pointermove", function (e) {
    if (!drawing) { return; }
    e.preventDefault();
    var events = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
    if (!events.length) { events = [e]; }
    for (var i = 0; i < events.length; i++) {
      var p = point(events[i]);
      ctx.lineWidth = width(events[i]);
      ctx.beginPath();
      ctx.moveTo(last.x, last.y);
      ctx.lineTo(p.x, p.y);
      ctx.stroke();
      last = p;
    }
    inked = true;
  });

  function end() {
    if (!drawing) { return; }
    drawing = false;
    if (inked) { out.value = pad.toDataURL("image/png"); }
  }
  pad.addEventListener("pointerup", end);
  pad.addEventListener("pointercancel", end);
  pad.addEventListener("pointerleave", end);
  if (clear) { clear.addEventListener("click", reset); }
  reset();
})();
