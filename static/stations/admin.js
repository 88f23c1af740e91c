// The deputy finder: one box checks or clears every row.
document.querySelectorAll("[data-toggle-all]").forEach(function (box) {
  box.addEventListener("change", function () {
    box.closest("table").querySelectorAll("tbody input[name=person]").forEach(function (row) {
      row.checked = box.checked;
    });
  });
});
