// The curator's desk. The page holds the document's text; this script asks
// /v1/drafts for the document's open drafts with the curator's token (kept in
// this tab's session storage only), highlights each draft's cited spans,
// lists the drafts, and accepts (with corrections as a merge patch) or rejects
// them through the same API. Every text is put in with textContent.
(function () {
  "use strict";
  var KEY = "briefs-desk-token";
  var root = document.getElementById("desk");
  if (!root) { return; }
  var documentId = root.getAttribute("data-document");
  var textBox = document.getElementById("desk-text");
  var list = document.getElementById("draft-list");
  var status = document.getElementById("desk-status");
  var tokenForm = document.getElementById("token-form");
  var tokenInput = document.getElementById("desk-token");
  var tokenState = document.getElementById("token-state");
  var forget = document.getElementById("token-forget");
  var drafts = [];
  var current = -1;
  var position = offsets(textBox.textContent);

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  // Citations count characters (code points); the DOM counts UTF-16 units.
  function offsets(text) {
    if (!/[\uD800-\uDFFF]/.test(text)) { return function (i) { return i; }; }
    var map = [], unit = 0;
    Array.from(text).forEach(function (ch) { map.push(unit); unit += ch.length; });
    map.push(unit);
    return function (i) { return map[i]; };
  }

  function token() { return window.sessionStorage.getItem(KEY); }

  function say(text, href, linkText) {
    status.textContent = text;
    if (href) {
      status.appendChild(document.createTextNode(" "));
      status.appendChild(el("a", {href: href}, linkText || href));
    }
  }

  function api(method, path, body) {
    var init = {
      method: method,
      headers: {Authorization: "Bearer " + token(), Accept: "application/json"},
      credentials: "omit",
      cache: "no-store"
    };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(path, init).then(function (response) {
      return response.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        return {status: response.status, ok: response.ok, data: data};
      });
    });
  }

  function problem(result) {
    var d = result.data || {};
    return (d.title || "Error " + result.status) + (d.detail ? ": " + d.detail : "");
  }

  // --- highlights in the text ------------------------------------------------------

  function textNodes() {
    var walker = document.createTreeWalker(textBox, NodeFilter.SHOW_TEXT);
    var out = [], at = 0, node;
    while ((node = walker.nextNode())) {
      if (node.parentNode.closest(".draft-tag")) { continue; }
      out.push({node: node, start: at, end: at + node.data.length});
      at += node.data.length;
    }
    return out;
  }

  function splitAt(pos) {
    textNodes().forEach(function (t) {
      if (t.start < pos && pos < t.end) { t.node.splitText(pos - t.start); }
    });
  }

  function highlight(draft, number) {
    var first = null;
    draft.record.sources.forEach(function (source) {
      if (source.document !== documentId) { return; }
      var start = position(source.start), end = position(source.end);
      splitAt(start);
      splitAt(end);
      textNodes().forEach(function (t) {
        if (t.start < start || t.end > end || !t.node.data) { return; }
        var mark = el("mark", {
          "class": "draft draft-" + draft.resource,
          "data-draft": draft.id,
          title: "Draft " + number + ": " + singular(draft) + " " + label(draft)
        });
        t.node.parentNode.insertBefore(mark, t.node);
        mark.appendChild(t.node);
        first = first || mark;
      });
    });
    if (first) {
      // Before the outermost highlight here, so that a tag never sits inside another's.
      while (first.parentNode.matches("mark.draft")) { first = first.parentNode; }
      var tag = el("span", {"class": "draft-tag draft-" + draft.resource, "data-draft": draft.id,
                             "aria-hidden": "true"}, number + " " + singular(draft));
      first.parentNode.insertBefore(tag, first);
    }
  }

  function unhighlight(id) {
    textBox.querySelectorAll('.draft-tag[data-draft="' + id + '"]').forEach(function (tag) {
      tag.remove();
    });
    textBox.querySelectorAll('mark[data-draft="' + id + '"]').forEach(function (mark) {
      while (mark.firstChild) { mark.parentNode.insertBefore(mark.firstChild, mark); }
      mark.remove();
    });
    textBox.normalize();
  }

  // --- the list -----------------------------------------------------------------------

  var SINGULAR = {agreements: "agreement", meetings: "meeting", events: "event",
                  indicators: "indicator", commentary: "commentary", people: "person",
                  organizations: "organization"};

  function singular(draft) { return SINGULAR[draft.resource] || draft.resource; }

  function label(draft) {
    var r = draft.record;
    var name = r.title || r.name || r.text || (r.author && r.author.name) || draft.target || draft.id;
    name = String(name);
    return name.length > 90 ? name.slice(0, 89) + "…" : name;
  }

  function field(draft, key, value) {
    var id = "f-" + draft.id + "-" + key;
    var wrap = el("div", {"class": "field", "data-field": key});
    wrap.appendChild(el("label", {"for": id}, key.replace(/_/g, " ")));
    var input;
    if (value !== null && typeof value === "object") {
      input = el("textarea", {id: id, name: key, rows: "3", "data-json": "1", spellcheck: "false"});
      input.value = JSON.stringify(value);
    } else {
      input = el("input", {id: id, name: key, type: "text"});
      input.value = value === null || value === undefined ? "" : String(value);
      if (typeof value === "number") { input.setAttribute("data-number", "1"); }
    }
    input.setAttribute("aria-describedby", id + "-error");
    wrap.appendChild(input);
    wrap.appendChild(el("p", {id: id + "-error", "class": "error"}));
    return wrap;
  }

  function acceptForm(draft) {
    var form = el("form", {"class": "accept-form", hidden: "", "aria-label": "Accept draft " + label(draft)});
    var editable = Object.keys(draft.record).filter(function (k) { return k !== "sources"; });
    if (draft.action === "add_source" || !editable.length) {
      form.appendChild(el("p", {}, "Accepting adds this draft's citations to the record; there is nothing to correct."));
    } else {
      form.appendChild(el("p", {"class": "meta"}, "Correct any field, then accept. The record is checked like a new one."));
      editable.forEach(function (k) { form.appendChild(field(draft, k, draft.record[k])); });
    }
    form.appendChild(el("p", {"class": "error form-error", role: "alert"}));
    var actions = el("div", {"class": "actions"});
    actions.appendChild(el("button", {type: "submit"}, "Accept"));
    var cancel = el("button", {type: "button", "class": "secondary"}, "Cancel");
    cancel.addEventListener("click", function () { closeForms(draft); });
    actions.appendChild(cancel);
    form.appendChild(actions);
    form.addEventListener("submit", function (event) { event.preventDefault(); accept(draft, form); });
    return form;
  }

  function rejectForm(draft) {
    var id = "reason-" + draft.id;
    var form = el("form", {"class": "reject-form", hidden: "", "aria-label": "Reject draft " + label(draft)});
    form.appendChild(el("label", {"for": id}, "Why is it wrong?"));
    form.appendChild(el("textarea", {id: id, name: "reason", rows: "2", required: "", maxlength: "2000",
                                     "aria-describedby": id + "-error"}));
    form.appendChild(el("p", {id: id + "-error", "class": "error", role: "alert"}));
    var actions = el("div", {"class": "actions"});
    actions.appendChild(el("button", {type: "submit"}, "Reject"));
    var cancel = el("button", {type: "button", "class": "secondary"}, "Cancel");
    cancel.addEventListener("click", function () { closeForms(draft); });
    actions.appendChild(cancel);
    form.appendChild(actions);
    form.addEventListener("submit", function (event) { event.preventDefault(); reject(draft, form); });
    return form;
  }

  function item(draft, number) {
    var li = el("li", {id: "draft-" + draft.id, "class": "draft-item", tabindex: "-1",
                       "data-draft": draft.id, "aria-labelledby": "draft-" + draft.id + "-h"});
    var h = el("h3", {id: "draft-" + draft.id + "-h"});
    h.appendChild(el("span", {"class": "kind-badge draft-" + draft.resource}, number + " " + singular(draft)));
    h.appendChild(document.createTextNode(" " + label(draft)));
    li.appendChild(h);
    li.appendChild(el("p", {"class": "meta"}, (draft.action === "add_source" ? "corroboration" : "new record") +
      " · confidence " + draft.confidence.toFixed(2) +
      (draft.reasons.length ? " · " + draft.reasons.join("; ") : "")));
    if (draft.action === "add_source") {
      var p = el("p", {"class": "corroborates"}, "Would add its citations to the " + singular(draft) + " ");
      var link = el("a", {href: "/" + draft.resource + "/" + draft.target}, draft.target);
      p.appendChild(link);
      li.appendChild(p);
      fetch("/v1/" + draft.resource + "/" + encodeURIComponent(draft.target), {headers: {Accept: "application/json"}})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (record) {
          var title = record && (record.title || record.name);
          if (title) { link.textContent = title; }
        }).catch(function () { /* the id stays shown */ });
    }
    draft.record.sources.forEach(function (s) {
      var q = el("p", {"class": "quote"});
      q.appendChild(el("q", {}, s.quote));
      q.appendChild(el("span", {"class": "meta"}, " characters " + s.start + "–" + s.end));
      li.appendChild(q);
    });
    var actions = el("div", {"class": "actions"});
    var a = el("button", {type: "button", "data-act": "accept"}, "Accept…");
    var r = el("button", {type: "button", "data-act": "reject", "class": "secondary"}, "Reject…");
    a.addEventListener("click", function () { select(drafts.indexOf(draft)); open(draft, "accept"); });
    r.addEventListener("click", function () { select(drafts.indexOf(draft)); open(draft, "reject"); });
    actions.appendChild(a);
    actions.appendChild(r);
    li.appendChild(actions);
    li.appendChild(acceptForm(draft));
    li.appendChild(rejectForm(draft));
    return li;
  }

  function node(draft) { return document.getElementById("draft-" + draft.id); }

  function closeForms(draft, keepFocus) {
    var li = node(draft);
    if (!li) { return; }
    li.querySelectorAll("form").forEach(function (f) { f.hidden = true; });
    if (!keepFocus) { li.focus(); }
  }

  function open(draft, which) {
    closeForms(draft, true);
    var form = node(draft).querySelector("form." + which + "-form");
    form.hidden = false;
    var first = form.querySelector("input, textarea, button[type=submit]");
    first.focus();
  }

  function select(index) {
    if (!drafts.length) { return; }
    current = Math.max(0, Math.min(drafts.length - 1, index));
    var draft = drafts[current];
    textBox.querySelectorAll("mark.current").forEach(function (m) { m.classList.remove("current"); });
    list.querySelectorAll(".draft-item.current").forEach(function (m) { m.classList.remove("current"); });
    var marks = textBox.querySelectorAll('mark[data-draft="' + draft.id + '"]');
    marks.forEach(function (m) { m.classList.add("current"); });
    var li = node(draft);
    li.classList.add("current");
    if (marks.length) { marks[0].scrollIntoView({block: "center"}); }
    li.focus({preventScroll: window.matchMedia("(min-width: 60rem)").matches});
  }

  function decided(draft, message, href, linkText) {
    unhighlight(draft.id);
    var index = drafts.indexOf(draft);
    drafts.splice(index, 1);
    node(draft).remove();
    say(message, href, linkText);
    if (drafts.length) {
      select(Math.min(index, drafts.length - 1));
    } else {
      current = -1;
      list.appendChild(el("li", {"class": "meta"}, "No open drafts left."));
    }
  }

  // --- decisions ------------------------------------------------------------------------

  function clearErrors(form) {
    form.querySelectorAll(".error").forEach(function (p) { p.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (i) { i.removeAttribute("aria-invalid"); });
  }

  function showErrors(form, errors, fallback) {
    var firstBad = null;
    Object.keys(errors || {}).forEach(function (path) {
      var key = path.replace(/^corrections\./, "").split(/[.[]/)[0];
      var wrap = form.querySelector('.field[data-field="' + key + '"]');
      var text = path + ": " + [].concat(errors[path]).join(" ");
      if (wrap) {
        var input = wrap.querySelector("input, textarea");
        input.setAttribute("aria-invalid", "true");
        var p = wrap.querySelector(".error");
        p.textContent = (p.textContent ? p.textContent + " " : "") + text;
        firstBad = firstBad || input;
      } else {
        var general = form.querySelector(".form-error");
        general.textContent = (general.textContent ? general.textContent + " " : "") + text;
      }
    });
    if (!Object.keys(errors || {}).length) { form.querySelector(".form-error").textContent = fallback; }
    (firstBad || form.querySelector("button[type=submit]")).focus();
  }

  function corrections(draft, form) {
    var patch = {}, errors = {};
    form.querySelectorAll(".field").forEach(function (wrap) {
      var key = wrap.getAttribute("data-field");
      var input = wrap.querySelector("input, textarea");
      var before = draft.record[key];
      var value = input.value.trim();
      var after;
      if (input.hasAttribute("data-json")) {
        try { after = JSON.parse(value || "null"); } catch (e) { errors[key] = ["Not valid JSON."]; return; }
      } else if (value === "") {
        after = null;
      } else if (input.hasAttribute("data-number") && /^-?\d+(\.\d+)?$/.test(value)) {
        after = Number(value);
      } else {
        after = value;
      }
      if (JSON.stringify(after) !== JSON.stringify(before === undefined ? null : before)) {
        patch[key] = after;
      }
    });
    return {patch: patch, errors: errors};
  }

  function accept(draft, form) {
    clearErrors(form);
    var made = corrections(draft, form);
    if (Object.keys(made.errors).length) { showErrors(form, made.errors); return; }
    say("Accepting…");
    api("POST", "/v1/drafts/" + encodeURIComponent(draft.id) + "/accept", {corrections: made.patch})
      .then(function (result) {
        if (result.status === 201) {
          var record = result.data;
          decided(draft, "Accepted: " + singular(draft) + " written as",
                  "/" + draft.resource + "/" + record.id, record.title || record.name || record.id);
        } else {
          say("Not accepted. " + problem(result));
          showErrors(form, (result.data || {}).errors, problem(result));
        }
      }, function (e) { say("The server could not be reached: " + e); });
  }

  function reject(draft, form) {
    clearErrors(form);
    var reason = form.querySelector("textarea").value.trim();
    var error = form.querySelector(".error");
    if (!reason) { error.textContent = "Say why it is rejected."; form.querySelector("textarea").focus(); return; }
    say("Rejecting…");
    api("POST", "/v1/drafts/" + encodeURIComponent(draft.id) + "/reject", {reason: reason})
      .then(function (result) {
        if (result.ok) {
          decided(draft, "Rejected: " + singular(draft) + " " + label(draft) + ".");
        } else {
          say("Not rejected. " + problem(result));
          error.textContent = problem(result);
          form.querySelector("textarea").focus();
        }
      }, function (e) { say("The server could not be reached: " + e); });
  }

  // --- loading ------------------------------------------------------------------------

  function load(focus) {
    drafts = [];
    current = -1;
    list.textContent = "";
    textBox.querySelectorAll("mark[data-draft]").forEach(function (m) { unhighlight(m.getAttribute("data-draft")); });
    if (!token()) {
      say("Give your token to see the drafts.");
      forget.hidden = true;
      return;
    }
    forget.hidden = false;
    tokenState.textContent = "A token is in use in this tab (kept in its session storage only).";
    say("Loading the drafts…");
    var gathered = [];
    function page(url) {
      return api("GET", url).then(function (result) {
        if (!result.ok) { throw result; }
        gathered = gathered.concat(result.data.items);
        return result.data.next ? page(result.data.next) : gathered;
      });
    }
    page("/v1/drafts?document=" + encodeURIComponent(documentId) + "&state=open&limit=100").then(function (all) {
      drafts = all;
      drafts.forEach(function (draft, i) {
        highlight(draft, i + 1);
        list.appendChild(item(draft, i + 1));
      });
      say(drafts.length ? drafts.length + " open drafts. Press j for the first." : "No open drafts for this document.");
      if (focus) { status.focus(); }
    }, function (result) {
      if (result && result.status) {
        say("The drafts could not be read. " + problem(result));
        if (result.status === 401) { tokenState.textContent = "That token was refused; give another."; }
      } else {
        say("The server could not be reached.");
      }
    });
  }

  tokenForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var value = tokenInput.value.trim();
    if (!value) { return; }
    window.sessionStorage.setItem(KEY, value);
    tokenInput.value = "";
    load(true);
  });
  forget.addEventListener("click", function () {
    window.sessionStorage.removeItem(KEY);
    tokenState.textContent = "The token is forgotten.";
    load();
    tokenInput.focus();
  });
  textBox.addEventListener("click", function (event) {
    var mark = event.target.closest("mark[data-draft]");
    if (!mark) { return; }
    var id = mark.getAttribute("data-draft");
    select(drafts.findIndex(function (d) { return d.id === id; }));
  });
  document.getElementById("draft-next").addEventListener("click", function () { select(current + 1); });
  document.getElementById("draft-previous").addEventListener("click", function () { select(current - 1); });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    var typing = target.closest && target.closest("input, textarea, select");
    if (event.key === "Escape" && current >= 0) {
      closeForms(drafts[current]);
      return;
    }
    if (typing || !drafts.length) { return; }
    if (event.key === "j") { select(current + 1); }
    else if (event.key === "k") { select(current < 0 ? 0 : current - 1); }
    else if (event.key === "a" && current >= 0) { open(drafts[current], "accept"); }
    else if (event.key === "r" && current >= 0) { open(drafts[current], "reject"); }
    else { return; }
    event.preventDefault();
  });

  load();
}());
