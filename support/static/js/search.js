// Search-as-you-type under the header search box (progressive enhancement: the form works without this).
// A combobox: the input keeps focus, ArrowDown/ArrowUp move through the suggested FAQ entries,
// Enter opens the highlighted one (or submits the search), Escape closes the list.
(function () {
  "use strict";
  var input = document.querySelector("input[data-suggest-url]");
  if (!input || !window.fetch) { return; }
  var form = input.form, list = document.createElement("ul"), status = document.createElement("p");
  var items = [], active = -1, timer = null, latest = 0;
  list.id = "q-suggestions";
  list.className = "suggestions";            // styled by site.css
  list.setAttribute("role", "listbox");
  list.hidden = true;
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  form.appendChild(list);
  form.appendChild(status);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function show(results) {
    list.textContent = "";
    items = results.map(function (r, i) {
      // an option holds text only, no link: a link inside role=option is a nested interactive control
      // (axe: nested-interactive); pointer users choose with mousedown, keyboard users with Enter
      var li = document.createElement("li");
      li.id = "q-suggestion-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.dataset.href = r.url;
      li.textContent = r.title;         // text only: never inject the server's HTML here
      li.addEventListener("mousedown", function (e) { e.preventDefault(); window.location.href = r.url; });
      list.appendChild(li);
      return li;
    });
    status.textContent = items.length ? items.length + " \u2193" : "";
    if (!items.length) { close(); return; }
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function highlight(index) {
    items.forEach(function (li, i) { li.setAttribute("aria-selected", i === index ? "true" : "false"); });
    active = index;
    if (index >= 0) { input.setAttribute("aria-activedescendant", items[index].id); }
    else { input.removeAttribute("aria-activedescendant"); }
  }

  function fetchSuggestions() {
    var q = input.value.trim(), ticket = ++latest;
    if (q.length < 2) { close(); return; }
    var url = input.dataset.suggestUrl + "?limit=5&lang=" + encodeURIComponent(input.dataset.lang) +
              "&q=" + encodeURIComponent(q);
    fetch(url, {headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : {results: []}; })
      .then(function (body) { if (ticket === latest) { show(body.results || []); } })
      .catch(close);
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 150);
  });
  input.addEventListener("keydown", function (e) {
    if (list.hidden) { return; }
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      var next = active + (e.key === "ArrowDown" ? 1 : -1);   // -1 is the input itself
      if (next >= items.length) { next = -1; } else if (next < -1) { next = items.length - 1; }
      highlight(next);
    } else if (e.key === "Escape") {
      close();
    } else if (e.key === "Enter" && active >= 0) {
      e.preventDefault();
      window.location.href = items[active].dataset.href;
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 200); });
})();
