// Moves the issuing progress bar by asking the page's status endpoint; without scripts the page
// reloads itself instead (see job.html).
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) return;
  var labels = JSON.parse(document.getElementById("state").getAttribute("data-labels"));
  function show(job) {
    var percent = job.total > 0 ? Math.floor((job.done * 100) / job.total) : (job.state === "done" ? 100 : 0);
    document.getElementById("progress").value = percent;
    document.getElementById("progress").textContent = percent + " %";
    document.getElementById("percent").textContent = percent;
    document.getElementById("done").textContent = job.done;
    document.getElementById("total").textContent = job.total;
    document.getElementById("state").textContent = labels[job.state] || job.state;
    box.setAttribute("data-state", job.state);
    if (job.state === "done") document.getElementById("when-done").hidden = false;
    return job.state === "done" || job.state === "failed";
  }
  function poll() {
    fetch(box.getAttribute("data-status-url"), { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (job) { if (!show(job)) setTimeout(poll, 300); })
      .catch(function () { setTimeout(poll, 2000); });
  }
  var state = box.getAttribute("data-state");
  if (state !== "done" && state !== "failed") poll();
})();
