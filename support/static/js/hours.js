// Refreshes every opening badge ([data-hours-market]) once a minute from /api/hours.
// Progressive enhancement: the server already rendered the text; without this script it just stays put.
(function () {
  "use strict";
  if (window.supportHoursBadge) { return; }          // the badge macro may include this file more than once
  window.supportHoursBadge = true;
  var STATES = ["open", "lunch", "closed"];

  function refresh(badge) {
    var url = badge.getAttribute("data-hours-url") +
      "?market=" + encodeURIComponent(badge.getAttribute("data-hours-market")) +
      "&lang=" + encodeURIComponent(badge.getAttribute("data-hours-lang"));
    return fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || !data.label || STATES.indexOf(data.state) < 0) { return; }
        var label = badge.querySelector(".hours-badge__label");
        if (label && label.textContent !== data.label) { label.textContent = data.label; }
        STATES.forEach(function (s) { badge.classList.toggle("hours-badge--" + s, s === data.state); });
      })
      .catch(function () { /* offline: keep the last known text */ });
  }

  function refreshAll() {
    if (document.hidden) { return; }
    document.querySelectorAll("[data-hours-market]").forEach(refresh);
  }

  function start() {
    if (!window.fetch || !document.querySelector("[data-hours-market]")) { return; }
    window.setInterval(refreshAll, 60 * 1000);
    document.addEventListener("visibilitychange", refreshAll);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
