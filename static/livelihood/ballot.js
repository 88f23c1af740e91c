// The ballot on a phone: count the marks, stop at the allowed number, submit once.
// The server checks everything again; this only helps the hand.
(function () {
  var form = document.querySelector("form.ballot");
  if (!form) return;
  var max = parseInt(form.dataset.max, 10);
  var boxes = form.querySelectorAll("input[type=checkbox][name=candidate]");
  var shown = form.querySelector(".marked");
  function update() {
    var n = 0;
    boxes.forEach(function (b) { if (b.checked) n++; });
    if (shown) shown.textContent = n;
    boxes.forEach(function (b) { b.disabled = !b.checked && n >= max; });
  }
  boxes.forEach(function (b) { b.addEventListener("change", update); });
  update();
  form.addEventListener("submit", function () {
    var button = form.querySelector("button[type=submit]");
    // Disable after the browser has taken the form's values.
    setTimeout(function () { button.disabled = true; }, 0);
  });
})();
