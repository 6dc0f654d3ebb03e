// The style sheet and the search script of `oex docs`, written into assets/.

#include "site_model.hpp"

namespace oex::docs {

// Light and dark by the system preference; phone width first; nothing loaded from elsewhere.
const std::string_view k_style_css = R"CSS(:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --accent: #0b5cad;
  --code-bg: #f3f5f7; --warn-bg: #fff5d6; --warn: #7a4d00; --bad: #b42318; --good: #1a7f37;
  --badge: #eef1f4;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0f1419; --fg: #e6e8eb; --muted: #9aa4ae; --line: #30363d; --accent: #6cb6ff;
    --code-bg: #161b22; --warn-bg: #2d2410; --warn: #f0c674; --bad: #ff7b72; --good: #56d364;
    --badge: #21262d;
  }
}
* { box-sizing: border-box; }
html { scrollbar-gutter: stable; -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--fg);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
}
main, header.site nav, footer { max-width: 64rem; margin: 0 auto; padding: 0 1rem; }
a { color: var(--accent); }
main p, main li, main dd, main td { overflow-wrap: anywhere; }
a:focus-visible, input:focus-visible, pre:focus-visible, summary:focus-visible,
.scroll:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 1rem; top: .5rem; background: var(--bg); padding: .25rem .5rem; z-index: 10; }
header.site { border-bottom: 1px solid var(--line); }
header.site nav { display: flex; flex-wrap: wrap; gap: .25rem 1.5rem; align-items: baseline;
  padding-top: .75rem; padding-bottom: .75rem; }
header.site .home { font-weight: 600; color: var(--fg); text-decoration: none; }
code, pre, kbd { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono",
  monospace; font-size: .9em; }
code.type { overflow-wrap: anywhere; }
h1 { font-size: 1.5rem; line-height: 1.3; overflow-wrap: anywhere; }
h1 code { font-size: inherit; }
h2 { font-size: 1.2rem; margin-top: 2rem; }
h3 { font-size: 1rem; }
pre { background: var(--code-bg); padding: .75rem; overflow-x: auto; border-radius: 6px;
  border: 1px solid var(--line); max-height: 32rem; }
.counts { color: var(--muted); }
.filter { position: sticky; top: 0; z-index: 5; background: var(--bg);
  padding: .75rem 0 .5rem; border-bottom: 1px solid var(--line); }
.filter label { display: block; font-weight: 600; margin-bottom: .25rem; }
.filter input { width: 100%; font: inherit; padding: .5rem .75rem; border: 1px solid var(--muted);
  border-radius: 6px; background: var(--bg); color: var(--fg); }
.filter .status { margin: .35rem 0 0; height: 1.5em; overflow: hidden; color: var(--muted);
  font-variant-numeric: tabular-nums; }
.filter .help { margin: 0; color: var(--muted); font-size: .85rem; }
/* Keyboard hints mean little on a phone, where the sticky box should stay small. */
@media (max-width: 40rem) { .filter .help { display: none; } }
ul.events { list-style: none; padding: 0; margin: 0; }
ul.events > li { padding: .6rem 0; border-bottom: 1px solid var(--line); }
ul.events .name { color: var(--muted); font-size: .85rem; margin-left: .25rem; overflow-wrap: anywhere; }
ul.events .desc { margin: .2rem 0 0; }
.badge { display: inline-block; font-size: .75rem; line-height: 1.4; padding: 0 .45rem;
  border-radius: 999px; background: var(--badge); color: var(--muted); border: 1px solid var(--line);
  margin-left: .25rem; }
.badge.warn { background: var(--warn-bg); color: var(--warn); }
.badge.compat-bad { color: var(--bad); font-weight: 600; }
.badge.compat-new { color: var(--good); }
h2 .count { color: var(--muted); font-weight: normal; font-size: .9rem; }
.none { color: var(--muted); padding: 1rem 0; }
.warning { background: var(--warn-bg); border-left: 4px solid var(--warn); padding: .5rem .75rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
@media (max-width: 40rem) {
  dl.facts { grid-template-columns: 1fr; gap: 0; }
  dl.facts dd { margin-bottom: .5rem; }
}
ul.tree, ul.tree ul { list-style: none; margin: 0; padding-left: 1.25rem; border-left: 1px solid var(--line); }
ul.tree { padding-left: .75rem; }
ul.tree li { padding: .1rem 0; overflow-wrap: anywhere; }
code.field { font-weight: 600; }
.req, .opt, .note { color: var(--muted); font-size: .85rem; }
.opt { font-style: italic; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid var(--line); }
.verdict { font-weight: 600; }
.verdict.bad { color: var(--bad); }
.verdict.good { color: var(--good); }
summary { cursor: pointer; }
kbd { border: 1px solid var(--line); border-radius: 4px; padding: 0 .3rem; }
footer { color: var(--muted); font-size: .85rem; margin-top: 3rem; border-top: 1px solid var(--line); }
[hidden] { display: none !important; }
)CSS";

// Filters the index as one types: every word must occur in an event's search text (type,
// variable name, data keys, classes, field names). Keyboard: '/' focuses the box, Escape clears
// it, Enter opens the first match, arrows move through the visible links.
const std::string_view k_search_js = R"JS((function () {
  "use strict";
  var input = document.getElementById("q");
  var status = document.getElementById("q-status");
  var none = document.getElementById("no-match");
  if (!input || !status) { return; }
  var items = Array.prototype.slice.call(document.querySelectorAll("#events li[data-search]"));
  var sections = Array.prototype.slice.call(document.querySelectorAll("#events section"));
  var total = Number(status.getAttribute("data-total"));
  var noun = function (n) { return n === 1 ? " event type" : " event types"; };

  function apply() {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (li) {
      var text = li.getAttribute("data-search");
      var match = words.every(function (w) { return text.indexOf(w) !== -1; });
      li.hidden = !match;
      if (match) { shown += 1; }
    });
    sections.forEach(function (section) {
      var visible = section.querySelectorAll("li[data-search]:not([hidden])").length;
      section.hidden = visible === 0;
      var count = section.querySelector("h2 .count");
      if (count) {
        var all = count.getAttribute("data-total");
        count.textContent = words.length ? visible + " of " + all : all;
      }
    });
    status.textContent = words.length
      ? shown + " of " + total + noun(total) + " match"
      : total + noun(total);
    if (none) { none.hidden = shown !== 0; }
  }

  function visibleLinks() {
    return items.filter(function (li) { return !li.hidden; })
      .map(function (li) { return li.querySelector("a"); });
  }

  input.addEventListener("input", apply);
  input.addEventListener("keydown", function (event) {
    var links = visibleLinks();
    if (event.key === "Enter" && links.length) {
      event.preventDefault();
      links[0].click();
    } else if (event.key === "ArrowDown" && links.length) {
      event.preventDefault();
      links[0].focus();
    } else if (event.key === "Escape") {
      input.value = "";
      apply();
    }
  });
  document.getElementById("events").addEventListener("keydown", function (event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") { return; }
    var links = visibleLinks();
    var at = links.indexOf(document.activeElement);
    if (at === -1) { return; }
    event.preventDefault();
    if (event.key === "ArrowDown" && at + 1 < links.length) { links[at + 1].focus(); }
    else if (event.key === "ArrowUp") { (at === 0 ? input : links[at - 1]).focus(); }
  });
  document.addEventListener("keydown", function (event) {
    var typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement;
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      input.focus();
      input.select();
    }
  });
  // A value the browser kept (back navigation) filters at once.
  if (input.value) { apply(); }
}());
)JS";

} // namespace oex::docs
