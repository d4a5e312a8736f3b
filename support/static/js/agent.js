/* Agent keyboard shortcuts: j/k move in a queue, Enter opens, r reply, n note, a assign to self, / search,
   ? help. No inline scripts anywhere (strict CSP): everything hangs off data attributes and ids. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var rows = Array.prototype.slice.call(document.querySelectorAll(".queue-row"));
  var current = -1;

  function select(index) {
    if (!rows.length) { return; }
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach(function (row, i) { row.setAttribute("aria-selected", i === current ? "true" : "false"); });
    var link = rows[current].querySelector("a[href]");
    if (link) { link.focus({ preventScroll: true }); }
    rows[current].scrollIntoView({ block: "nearest" });
  }

  function focusField(id) {
    var field = document.getElementById(id);
    if (field) { field.scrollIntoView({ block: "center" }); field.focus(); }
  }

  function toggleHelp() {
    var help = document.getElementById("shortcut-help");
    if (!help) { return; }
    help.hidden = !help.hidden;
    if (!help.hidden) { help.focus(); }
  }

  function typing(target) {
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      var help = document.getElementById("shortcut-help");
      if (help && !help.hidden) { help.hidden = true; }
      if (typing(event.target)) { event.target.blur(); }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    var actions = {
      "j": function () { select(current + 1); },
      "k": function () { select(current - 1); },
      "Enter": function () { if (current >= 0) { window.location.href = rows[current].dataset.href; } else { return false; } },
      "r": function () { focusField("reply-body"); },
      "n": function () { focusField("note-body"); },
      "a": function () { var b = document.getElementById("assign-self"); if (b) { b.click(); } },
      "/": function () { focusField("ticket-q"); },
      "?": toggleHelp
    };
    var action = actions[event.key];
    if (action && action() !== false) { event.preventDefault(); }
  });

  rows.forEach(function (row, i) {
    row.addEventListener("click", function (event) {
      if (event.target.closest("a, input, label, button")) { return; }
      select(i);
      window.location.href = row.dataset.href;
    });
  });

  // canned replies: picking one fills the reply box (without JS the GET form does the same server-side)
  var canned = document.getElementById("canned");
  if (canned) {
    canned.addEventListener("change", function () {
      var option = canned.options[canned.selectedIndex];
      var body = document.getElementById("reply-body");
      if (option && option.dataset.text && body) { body.value = option.dataset.text; body.focus(); }
    });
  }
})();
