// Small improvements on pages that work without it (no page needs this file to function).
// - <input type="checkbox" data-select-all="name"> ticks every checkbox of that name (bulk actions).
// - Escape closes an open confirm panel (<details class="confirm">).
(function () {
  "use strict";
  document.addEventListener("change", function (e) {
    var box = e.target;
    if (!(box instanceof HTMLInputElement) || !box.dataset.selectAll) return;
    var form = box.form || document;
    form.querySelectorAll('input[type="checkbox"][name="' + box.dataset.selectAll + '"]').forEach(function (b) { b.checked = box.checked; });
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    document.querySelectorAll("details.confirm[open]").forEach(function (d) { d.open = false; });
  });
})();
