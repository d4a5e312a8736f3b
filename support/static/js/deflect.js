// Deflection: while the customer types the subject or description, show the best FAQ answers;
// "This solved it" is recorded so editors see which entries settle requests.
(function () {
  "use strict";
  var panel = document.getElementById("deflect");
  if (!panel) { return; }
  var list = panel.querySelector(".deflect-list");
  var inputs = document.querySelectorAll(".deflect-input");
  var csrf = document.querySelector('meta[name="csrf-token"]');
  var timer = null;
  var lastQuery = "";
  var MIN_LENGTH = 4;

  function currentQuery() {
    var parts = [];
    inputs.forEach(function (el) { if (el.value.trim()) { parts.push(el.value.trim()); } });
    return parts.join(" ").slice(0, 200);
  }

  function solved(result, button) {
    fetch(panel.dataset.feedbackUrl, {
      method: "POST",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf ? csrf.content : ""},
      body: JSON.stringify({query: lastQuery, lang: panel.dataset.lang, slug: result.slug})
    }).then(function () {
      var thanks = document.createElement("p");
      thanks.setAttribute("role", "status");
      thanks.textContent = panel.dataset.thanks;
      button.replaceWith(thanks);
    });
  }

  function item(result) {
    var li = document.createElement("li");
    var link = document.createElement("a");
    link.href = result.url;
    link.target = "_blank";
    link.rel = "noopener";
    link.textContent = result.title;
    li.appendChild(link);
    if (result.snippet) {
      var p = document.createElement("p");
      p.textContent = result.snippet.replace(/<[^>]*>/g, "");   // text only: never inject the snippet's markup
      li.appendChild(p);
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary";
    button.textContent = panel.dataset.solvedLabel;
    button.addEventListener("click", function () { solved(result, button); });
    li.appendChild(button);
    return li;
  }

  function show(data) {
    var results = (data && data.results) || [];
    if (data && data.answer) {   // the confident answer first
      results = results.slice().sort(function (a, b) { return (b.slug === data.answer) - (a.slug === data.answer); });
    }
    list.replaceChildren.apply(list, results.slice(0, 3).map(item));
    panel.hidden = results.length === 0;
  }

  function search() {
    var q = currentQuery();
    if (q === lastQuery) { return; }
    lastQuery = q;
    if (q.length < MIN_LENGTH) { show(null); return; }
    var url = panel.dataset.searchUrl + "?q=" + encodeURIComponent(q) + "&lang=" + encodeURIComponent(panel.dataset.lang) + "&limit=3";
    fetch(url, {headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (q === lastQuery) { show(data); } })
      .catch(function () { /* suggestions are a help, never a blocker */ });
  }

  inputs.forEach(function (el) {
    el.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 350);
    });
  });
}());
