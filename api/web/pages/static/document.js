// The document page. Marks the passage named by the address's #c=START-END
// (every piece of text it covers) and scrolls it into view; without this script
// the browser still scrolls to the passage's numbered marker, which the
// stylesheet outlines. Switches highlights by resource as their boxes change
// (without the script, the form reloads the page with ?show=), keeping the
// choice in the address.
(function () {
  "use strict";
  function mark() {
    var found = /^#c=(\d+-\d+)$/.exec(window.location.hash);
    document.querySelectorAll("mark.current").forEach(function (el) {
      el.classList.remove("current");
    });
    if (!found) { return; }
    var pieces = document.querySelectorAll('mark[data-c~="' + found[1] + '"]');
    pieces.forEach(function (el) { el.classList.add("current"); });
    var anchor = document.getElementById("c=" + found[1]);
    var first = pieces.length ? pieces[0] : anchor;
    if (first) { first.scrollIntoView({block: "center"}); }
  }

  function highlight(form) {
    var boxes = form.querySelectorAll('input[type="checkbox"][name="show"]');
    var shown = [];
    boxes.forEach(function (box) { if (box.checked) { shown.push(box.value); } });
    document.querySelectorAll(".doc-text [data-k]").forEach(function (el) {
      var kinds = el.getAttribute("data-k").split(" ");
      var off = !kinds.some(function (k) { return shown.indexOf(k) !== -1; });
      el.classList.toggle("off", off);
      if (el.tagName === "A") {
        if (off) { el.setAttribute("tabindex", "-1"); } else { el.removeAttribute("tabindex"); }
      }
    });
    var all = shown.length === boxes.length;
    var query = all ? "" : "?" + ["show="].concat(shown.map(function (k) {
      return "show=" + encodeURIComponent(k);
    })).join("&");
    window.history.replaceState(null, "", window.location.pathname + query + window.location.hash);
  }

  function setUp() {
    var form = document.getElementById("highlights");
    if (form) {
      form.querySelector('button[type="submit"]').hidden = true;
      form.addEventListener("change", function () { highlight(form); });
      form.querySelectorAll("a[data-show]").forEach(function (link) {
        link.addEventListener("click", function (event) {
          event.preventDefault();
          var on = link.getAttribute("data-show") === "all";
          form.querySelectorAll('input[type="checkbox"]').forEach(function (box) {
            box.checked = on;
          });
          highlight(form);
        });
      });
    }
    mark();
  }
  window.addEventListener("hashchange", mark);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
}());
