// FAQ suggestions on the ticket page: Insert puts the answer (market facts filled in, link included) into the
// reply box at once and notes its slug in the reply's hidden field, so the reply records which answer was used.
// Without this script the Insert buttons submit a GET form and the server fills the reply instead.
(function () {
  "use strict";
  var form = document.getElementById("suggest-form");
  var body = document.getElementById("reply-body");
  var used = document.getElementById("reply-suggestions");
  if (!form || !body || !used) { return; }
  var status = document.getElementById("suggest-status");

  function slugs() { return used.value.split(/\s+/).filter(Boolean); }

  function insert(button) {
    var text = button.dataset.text;
    var start = body.selectionStart, end = body.selectionEnd;
    if (!body.value.trim()) {
      body.value = text;
    } else if (document.activeElement === body || body.dataset.caret) {   // where the agent was writing
      body.value = body.value.slice(0, start) + text + body.value.slice(end);
    } else {                                                               // else after what is written
      body.value = body.value.replace(/\s*$/, "") + "\n\n" + text;
    }
    var list = slugs();
    if (list.indexOf(button.value) < 0) { list.push(button.value); }
    used.value = list.join(" ");
    body.focus();
    if (status) {
      var title = document.getElementById(button.getAttribute("aria-describedby"));
      status.textContent = status.dataset.inserted + " " + (title ? title.firstChild.textContent.trim() : "");
    }
  }

  // the caret the agent left in the reply box: a click on Insert moves the focus away from it
  body.addEventListener("blur", function () { body.dataset.caret = "1"; });

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button.insert-suggestion");
    if (!button) { return; }
    event.preventDefault();
    insert(button);
  });

  // an answer inserted and then deleted again was not used: keep only the slugs whose link is still in the reply
  var reply = document.getElementById("reply-form");
  if (reply) {
    reply.addEventListener("submit", function () {
      used.value = slugs().filter(function (slug) {
        var button = form.querySelector('button.insert-suggestion[value="' + slug + '"]');
        return button && body.value.indexOf(button.dataset.url) >= 0;
      }).join(" ");
    });
  }
}());
