(function () {
  "use strict";
  // planscribe's search: finds turns of this report whose text holds every word typed. It
  // reads the inert <template id="search-data"> that planscribe wrote and writes results
  // with textContent only; the page reads in full without it.
  var box = document.getElementById("search");
  var data = document.getElementById("search-data");
  if (!box || !data || !data.content) return;
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var safeHref = /^phases\/[A-Za-z0-9._-]+\.html(#[A-Za-z0-9_-]+)?$/;
  var entries = [];
  Array.prototype.forEach.call(data.content.children, function (phase) {
    var name = phase.getAttribute("data-phase") || "";
    Array.prototype.forEach.call(phase.children, function (p) {
      var href = p.getAttribute("data-href") || "";
      if (!safeHref.test(href)) return;
      var text = p.textContent || "";
      entries.push({ href: href, where: name + " · turn " + p.getAttribute("data-turn"), text: text, lower: text.toLowerCase() });
    });
  });
  var shown = 50;
  function run() {
    var terms = input.value.toLowerCase().split(/\s+/).filter(function (t) { return t.length > 0; });
    list.textContent = "";
    if (terms.length === 0) { status.textContent = ""; return; }
    var hits = entries.filter(function (e) {
      return terms.every(function (t) { return e.lower.indexOf(t) >= 0; });
    });
    status.textContent = (hits.length === 0 ? "No turn" : hits.length === 1 ? "1 turn" : hits.length + " turns") +
      " of " + entries.length + " match" + (hits.length === 1 ? "es" : "") +
      (hits.length > shown ? "; the first " + shown + " are listed." : ".");
    hits.slice(0, shown).forEach(function (e) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = e.href;
      link.textContent = e.where;
      item.appendChild(link);
      var at = e.lower.indexOf(terms[0]);
      var from = Math.max(0, at - 60);
      var snippet = document.createElement("span");
      snippet.className = "snippet";
      var to = at + terms[0].length + 100;
      snippet.textContent = (from > 0 ? "…" : "") + e.text.slice(from, to) + (to < e.text.length ? "…" : "");
      item.appendChild(snippet);
      list.appendChild(item);
    });
  }
  input.addEventListener("input", run);
  box.hidden = false;
  if (input.value) run();
})();
