// Ticket page: tells the server every few seconds that this agent still has the ticket open (and whether they are
// typing a reply or a note), and shows who else does. Without this script the notice rendered at load stays put.
(function () {
  "use strict";
  var TYPING_MS = 30 * 1000;        // typed within this long: "replying"
  var box = document.getElementById("presence");
  var token = document.querySelector("#reply-form input[name=csrf_token], input[name=csrf_token]");
  if (!box || !token || !window.fetch || !window.FormData) { return; }
  var url = box.getAttribute("data-presence-url");
  var every = Math.max(5, parseInt(box.getAttribute("data-presence-every"), 10) || 15) * 1000;
  var lastTyped = 0, sentState = "viewing";

  function state() { return Date.now() - lastTyped < TYPING_MS ? "replying" : "viewing"; }

  function report() {
    if (document.hidden) { return; }
    var body = new FormData();
    sentState = state();
    body.append("state", sentState);
    body.append("csrf_token", token.value);
    fetch(url, { method: "POST", body: body, credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        var text = data.notice || "";
        if (box.textContent !== text) { box.textContent = text; }
        box.hidden = !text;
      })
      .catch(function () { /* offline: keep the last notice */ });
  }

  ["reply-body", "note-body"].forEach(function (id) {
    var field = document.getElementById(id);
    if (!field) { return; }
    field.addEventListener("input", function () {
      lastTyped = Date.now();
      if (sentState !== "replying") { report(); }     // colleagues learn at once, not at the next round
    });
  });
  window.setInterval(report, every);
  document.addEventListener("visibilitychange", report);
}());
