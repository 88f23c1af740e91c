/* Polls an export's status until its workbook is ready, then shows the download link. */
(function () {
  var box = document.getElementById("export-progress");
  if (!box) return;
  var url = box.getAttribute("data-status-url");
  var bar = box.querySelector(".progress > span");
  var label = box.querySelector("[data-label]");
  var rows = box.querySelector("[data-rows]");
  var link = document.getElementById("export-download");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        bar.style.width = s.progress + "%";
        label.textContent = s.status_label + " · " + s.progress + "%";
        rows.textContent = s.rows;
        if (s.download) {
          link.href = s.download;
          link.hidden = false;
        } else if (s.status !== "failed") {
          setTimeout(poll, 2000);
        }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  poll();
})();
