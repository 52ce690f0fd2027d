// Marks the passage named by the address's #c=START-END (every piece of text it
// covers) and scrolls it into view. Without this script the browser still
// scrolls to the passage's numbered marker, which the stylesheet outlines.
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
  window.addEventListener("hashchange", mark);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mark);
  } else {
    mark();
  }
}());
