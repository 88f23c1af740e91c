// The duty record's print button (the record a deputy takes to the report to voters).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
