// The desk for one document: its text beside its open drafts. Each draft is
// highlighted where it cites the text and reviewed with a form built from its
// resource's input schema; words selected in the text become a citation (the
// server cuts it from the stored text) for a new record, an existing record or
// the current draft.
import {all, api, problem, token, tokenBox} from "./api.js";
import {clip, el, say, SINGULAR} from "./dom.js";
import {citationsOf, highlight, label, singular, unhighlight, unhighlightAll} from "./highlight.js";
import {inputSchema, patchOf, recordForm} from "./forms.js";
import {bindKeys} from "./keys.js";
import {codePoints, selectionIn} from "./offsets.js";

const root = document.getElementById("desk");
const documentId = root.getAttribute("data-document");
const textBox = document.getElementById("desk-text");
const list = document.getElementById("draft-list");
const status = document.getElementById("desk-status");
const panel = document.getElementById("selection-panel");
const RESOURCES = ["agreements", "meetings", "events", "indicators", "commentary", "people", "organizations"];
const CITABLE = ["agreements", "meetings", "events", "indicators", "commentary"];
let drafts = [];
let current = -1;
let selected = null;  // {start, end, quote} in code points, while words are selected
const box = tokenBox((given) => load(given));

function node(draft) { return document.getElementById("draft-" + draft.id); }
const tell = (...args) => say(status, ...args);

// --- the list of drafts ----------------------------------------------------------------

function quotes(draft) {
  const out = el("div", {class: "draft-quotes"});
  citationsOf(draft.record).forEach((s) => {
    const q = el("p", {class: "quote"});
    q.append(el("q", {}, clip(s.quote, 300)), el("span", {class: "meta"}, " characters " + s.start + "–" + s.end));
    out.append(q);
  });
  return out;
}

function item(draft, number) {
  const li = el("li", {id: "draft-" + draft.id, class: "draft-item", tabindex: "-1",
    "data-draft": draft.id, "data-resource": draft.resource, "aria-labelledby": "draft-" + draft.id + "-h"});
  const h = el("h3", {id: "draft-" + draft.id + "-h"});
  h.append(el("span", {class: "kind-badge draft-" + draft.resource}, number + " " + singular(draft)), " " + label(draft));
  li.append(h);
  li.append(el("p", {class: "meta"}, (draft.action === "add_source" ? "corroboration" : "new record") +
    " · confidence " + Number(draft.confidence).toFixed(2) + (draft.reasons.length ? " · " + draft.reasons.join("; ") : "")));
  if (draft.action === "add_source") {
    const p = el("p", {class: "corroborates"}, "Would add its citations to the " + singular(draft) + " ");
    const link = el("a", {href: "/" + draft.resource + "/" + draft.target}, draft.target);
    p.append(link);
    li.append(p);
    fetch("/v1/" + draft.resource + "/" + encodeURIComponent(draft.target), {headers: {Accept: "application/json"}})
      .then((r) => (r.ok ? r.json() : null))
      .then((record) => { const t = record && (record.title || record.name); if (t) { link.textContent = t; } })
      .catch(() => {});
  }
  li.append(quotes(draft));
  const actions = el("div", {class: "actions"});
  const accept = el("button", {type: "button", "data-act": "accept"}, "Accept…");
  const reject = el("button", {type: "button", "data-act": "reject", class: "secondary"}, "Reject…");
  const more = el("button", {type: "button", "data-act": "change", class: "secondary"}, "Change or merge…");
  accept.addEventListener("click", () => { select(drafts.indexOf(draft)); openAccept(draft); });
  reject.addEventListener("click", () => { select(drafts.indexOf(draft)); openReject(draft); });
  more.addEventListener("click", () => { select(drafts.indexOf(draft)); openChange(draft); });
  actions.append(accept, reject, more);
  li.append(actions, el("div", {class: "draft-form"}));
  return li;
}

function closeForms(draft, keepFocus) {
  const li = draft && node(draft);
  if (!li) { return; }
  li.querySelector(".draft-form").textContent = "";
  if (!keepFocus) { li.focus(); }
}

function formShell(draft, name, labelText) {
  closeForms(draft, true);
  const form = el("form", {class: name, "aria-label": labelText + " " + label(draft), novalidate: true});
  node(draft).querySelector(".draft-form").append(form);
  return form;
}

function buttons(form, draft, submitText, extra) {
  form.append(el("p", {class: "error form-error", role: "alert"}));
  const actions = el("div", {class: "actions"});
  actions.append(el("button", {type: "submit"}, submitText));
  (extra || []).forEach((b) => actions.append(b));
  const cancel = el("button", {type: "button", class: "secondary"}, "Cancel");
  cancel.addEventListener("click", () => closeForms(draft));
  actions.append(cancel);
  form.append(actions);
}

function select(index, keepFocus) {
  if (!drafts.length) { return; }
  current = Math.max(0, Math.min(drafts.length - 1, index));
  const draft = drafts[current];
  textBox.querySelectorAll("mark.current").forEach((m) => m.classList.remove("current"));
  list.querySelectorAll(".draft-item.current").forEach((m) => m.classList.remove("current"));
  const marks = textBox.querySelectorAll('mark[data-draft="' + draft.id + '"]');
  marks.forEach((m) => m.classList.add("current"));
  const li = node(draft);
  li.classList.add("current");
  if (marks.length) { marks[0].scrollIntoView({block: "center"}); }
  if (!keepFocus) { li.focus({preventScroll: window.matchMedia("(min-width: 60rem)").matches}); }
}

function render() {
  unhighlightAll(textBox);
  list.textContent = "";
  drafts.forEach((draft, i) => { highlight(textBox, documentId, draft, i + 1); list.append(item(draft, i + 1)); });
  if (!drafts.length) { list.append(el("li", {class: "meta"}, "No open drafts left.")); }
}

function replaced(draft, now) {
  const index = drafts.indexOf(draft);
  drafts[index] = now;
  render();
  select(index);
}

function decided(draft, ...message) {
  unhighlight(textBox, draft.id);
  const index = drafts.indexOf(draft);
  drafts.splice(index, 1);
  render();
  tell(...message);
  if (drafts.length) { select(Math.min(index, drafts.length - 1)); } else { current = -1; }
}

// --- accept, reject, change, merge ----------------------------------------------------------

async function openAccept(draft) {
  const form = formShell(draft, "accept-form", "Accept draft");
  const schema = await inputSchema(draft.resource);
  const corroborates = draft.action === "add_source";
  const fields = corroborates
    ? recordForm({...schema, properties: {sources: schema.properties.sources || {type: "array", items: {}}}}, draft.record)
    : recordForm(schema, draft.record);
  form.append(el("p", {class: "meta"}, corroborates
    ? "Accepting adds this draft's citations to the record; its other fields stay as they are."
    : "Correct any field, then accept. The record is checked like a new one."));
  form.append(fields.node);
  const use = el("button", {type: "button", class: "secondary", "data-act": "use-selection"}, "Use the selected words as its citation");
  use.addEventListener("click", () => useSelection(draft));
  buttons(form, draft, "Accept", [use]);
  form.fields = fields;
  form.addEventListener("submit", (event) => { event.preventDefault(); accept(draft, form); });
  // The first text field: Enter there accepts the draft as it stands.
  const first = form.querySelector('input[type="text"], button[type=submit]');
  first.focus();
}

async function accept(draft, form) {
  const fields = form.fields;
  fields.clearErrors();
  form.querySelector(".form-error").textContent = "";
  if (!(await fields.resolve())) {
    form.querySelector(".form-error").textContent = "A name could not be found: see the fields marked.";
    return;
  }
  const patch = patchOf(draft.record, fields.read(), fields.names);
  tell("Accepting…");
  const result = await api("POST", "/v1/drafts/" + encodeURIComponent(draft.id) + "/accept", {corrections: patch});
  if (result.status === 201) {
    const record = result.data;
    decided(draft, "Accepted: " + singular(draft) + " written as", "/" + draft.resource + "/" + record.id,
      record.title || record.name || record.id);
  } else {
    tell("Not accepted. " + problem(result));
    const shown = fields.showErrors((result.data || {}).errors);
    const general = form.querySelector(".form-error");
    general.textContent = shown.rest.join(" ") || (shown.first ? "" : problem(result));
    (shown.first || form.querySelector("button[type=submit]")).focus();
  }
}

function openReject(draft) {
  const form = formShell(draft, "reject-form", "Reject draft");
  const id = "reason-" + draft.id;
  form.append(el("label", {for: id}, "Why is it wrong?"),
    el("textarea", {id, name: "reason", rows: "2", maxlength: "2000", "aria-describedby": id + "-error"}),
    el("p", {id: id + "-error", class: "error"}));
  buttons(form, draft, "Reject");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = form.querySelector("textarea");
    const error = form.querySelector(".error");
    const reason = input.value.trim();
    if (!reason) { error.textContent = "Say why it is rejected."; input.focus(); return; }
    tell("Rejecting…");
    const result = await api("POST", "/v1/drafts/" + encodeURIComponent(draft.id) + "/reject", {reason});
    if (result.ok) { decided(draft, "Rejected: " + singular(draft) + " " + label(draft) + "."); }
    else { tell("Not rejected. " + problem(result)); error.textContent = problem(result); input.focus(); }
  });
  form.querySelector("textarea").focus();
}

function openChange(draft) {
  const form = formShell(draft, "change-form", "Change or merge draft");
  const rid = "resource-" + draft.id;
  const resource = el("select", {id: rid});
  RESOURCES.filter((r) => r !== draft.resource).forEach((r) => resource.append(el("option", {value: r}, SINGULAR[r])));
  const change = el("button", {type: "button", "data-act": "change-resource"}, "Change its resource");
  form.append(el("label", {for: rid}, "Make it a new"), resource, change);
  const others = drafts.filter((d) => d !== draft && d.resource === draft.resource);
  const mid = "merge-" + draft.id;
  const other = el("select", {id: mid});
  others.forEach((d) => other.append(el("option", {value: d.id}, (drafts.indexOf(d) + 1) + " " + label(d))));
  const merge = el("button", {type: "button", "data-act": "merge", disabled: !others.length}, "Merge into this draft");
  form.append(el("label", {for: mid}, others.length
    ? "Another " + singular(draft) + " stating the same fact" : "No other open " + singular(draft) + " draft to merge"), other, merge);
  buttons(form, draft, "Close");
  form.addEventListener("submit", (event) => { event.preventDefault(); closeForms(draft); });
  const error = form.querySelector(".form-error");
  change.addEventListener("click", async () => {
    const result = await api("POST", "/v1/drafts/" + encodeURIComponent(draft.id) + "/resource", {resource: resource.value});
    if (result.ok) { replaced(draft, result.data); tell("Draft " + draft.id + " now proposes a " + SINGULAR[resource.value] + "."); }
    else { error.textContent = problem(result); }
  });
  merge.addEventListener("click", async () => {
    const gone = drafts.find((d) => d.id === other.value);
    const result = await api("POST", "/v1/drafts/" + encodeURIComponent(draft.id) + "/merge", {draft: other.value});
    if (!result.ok) { error.textContent = problem(result); return; }
    drafts.splice(drafts.indexOf(gone), 1);
    replaced(draft, result.data);
    tell("Merged: " + label(gone) + " now cites through draft " + draft.id + ".");
  });
  resource.focus();
}

// --- words selected in the text ----------------------------------------------------------

async function citeSelection() {
  if (!selected) { return null; }
  const result = await api("POST", "/v1/documents/" + encodeURIComponent(documentId) + "/citations", selected);
  if (!result.ok) { tell("That selection cannot be cited. " + problem(result)); return null; }
  return result.data;
}

function noteSelection() {
  const found = selectionIn(textBox);
  if (!found) { return; }
  const points = codePoints(found.text);
  selected = {start: points(found.start), end: points(found.end), quote: found.quote};
  panel.hidden = false;
  document.getElementById("selected-quote").textContent = clip(found.quote.trim(), 240);
  document.getElementById("selected-at").textContent = " characters " + selected.start + "–" + selected.end;
}

async function useSelection(draft) {
  const cited = await citeSelection();
  if (!cited) { return; }
  const form = node(draft).querySelector("form.accept-form");
  if (!form) { await openAccept(draft); }
  const fields = node(draft).querySelector("form.accept-form").fields;
  fields.sources.set([cited.citation]);
  tell("The draft's citation is now the selected words; accept to keep it.");
}

function prefill(schema, cited) {
  const s = cited.suggestions;
  const has = (k) => k in schema.properties;
  const value = {sources: [cited.citation]};
  if (has("countries") && s.countries.length) { value.countries = s.countries; }
  if (has("date") && s.date) { value.date = s.date; }
  if (has("period") && s.date) { value.period = s.date; }
  if (has("document")) { value.document = documentId; }
  if (has("text")) { value.text = cited.citation.quote; }
  if (has("participants") && s.people.length) { value.participants = s.people.map((p) => ({person: p})); }
  return value;
}

async function newRecord() {
  const resource = document.getElementById("new-resource").value;
  const cited = await citeSelection();
  if (!cited) { return; }
  const schema = await inputSchema(resource);
  const area = document.getElementById("selection-form");
  area.textContent = "";
  const form = el("form", {class: "new-form", "aria-label": "New " + SINGULAR[resource] + " from the selection", novalidate: true});
  const s = cited.suggestions;
  form.append(el("h3", {}, "New " + SINGULAR[resource]),
    el("p", {class: "meta suggestion"}, "Filled in from the sentence (check before saving): countries " +
      (s.countries.join(", ") || "none") + "; date " + (s.date || "none") + "; people " + (s.people.join(", ") || "none") + "."));
  const fields = recordForm(schema, prefill(schema, cited));
  form.append(fields.node, el("p", {class: "error form-error", role: "alert"}));
  const actions = el("div", {class: "actions"});
  const cancel = el("button", {type: "button", class: "secondary"}, "Cancel");
  cancel.addEventListener("click", () => { area.textContent = ""; });
  actions.append(el("button", {type: "submit"}, "Create the " + SINGULAR[resource]), cancel);
  form.append(actions);
  area.append(form);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    fields.clearErrors();
    const general = form.querySelector(".form-error");
    general.textContent = "";
    if (!(await fields.resolve())) { general.textContent = "A name could not be found: see the fields marked."; return; }
    const result = await api("POST", "/v1/" + resource, fields.read());
    if (result.status === 201) {
      area.textContent = "";
      tell("Created: " + SINGULAR[resource], "/" + resource + "/" + result.data.id, result.data.title || result.data.name || result.data.id);
    } else {
      const shown = fields.showErrors((result.data || {}).errors);
      general.textContent = shown.rest.join(" ") || (shown.first ? "" : problem(result));
      (shown.first || form.querySelector("button[type=submit]")).focus();
    }
  });
  form.querySelector("input, select, textarea").focus();
}

async function citeExisting() {
  const resource = document.getElementById("cite-resource").value;
  const input = document.getElementById("cite-record");
  const error = document.getElementById("cite-error");
  error.textContent = "";
  const name = input.value.trim();
  if (!name) { error.textContent = "Name the record (its title or id)."; input.focus(); return; }
  const read = await api("GET", "/v1/" + resource + "/" + encodeURIComponent(name));
  if (!read.ok) { error.textContent = problem(read); input.focus(); return; }
  const cited = await citeSelection();
  if (!cited) { return; }
  const record = read.data;
  const result = await api("PATCH", "/v1/" + resource + "/" + encodeURIComponent(record.id),
    {sources: record.sources.concat([cited.citation])}, {"If-Match": read.etag});
  if (result.ok) {
    input.value = "";
    tell("Cited for the " + SINGULAR[resource], "/" + resource + "/" + record.id, record.title || record.id);
  } else {
    error.textContent = problem(result);
    tell("Not cited. " + problem(result));
  }
}

function searchRecords() {
  const input = document.getElementById("cite-record");
  const options = document.getElementById("cite-choices");
  const q = input.value.trim();
  if (q.length < 2) { return; }
  const type = SINGULAR[document.getElementById("cite-resource").value];
  fetch("/v1/search?q=" + encodeURIComponent(q) + "&type=" + type + "&limit=8", {headers: {Accept: "application/json"}})
    .then((r) => (r.ok ? r.json() : {items: []}))
    .then((page) => {
      options.textContent = "";
      page.items.forEach((hit) => options.append(el("option", {value: hit.id}, hit.title)));
    }).catch(() => {});
}

// --- loading ----------------------------------------------------------------------------

async function load(focus) {
  drafts = [];
  current = -1;
  list.textContent = "";
  unhighlightAll(textBox);
  if (!token()) { tell("Give your token to see the drafts."); return; }
  tell("Loading the drafts…");
  try {
    drafts = await all("/v1/drafts?document=" + encodeURIComponent(documentId) + "&state=open&limit=100");
  } catch (result) {
    if (result && result.status) {
      tell("The drafts could not be read. " + problem(result));
      if (result.status === 401) { box.refused(); }
    } else { tell("The server could not be reached."); }
    return;
  }
  render();
  tell(drafts.length ? drafts.length + " open drafts. Press j for the first." : "No open drafts for this document.");
  if (focus) { status.focus(); }
}

CITABLE.forEach((r) => document.getElementById("cite-resource").append(el("option", {value: r}, SINGULAR[r])));
RESOURCES.forEach((r) => document.getElementById("new-resource").append(el("option", {value: r}, SINGULAR[r])));
document.getElementById("new-record").addEventListener("click", newRecord);
document.getElementById("cite-form").addEventListener("submit", (e) => { e.preventDefault(); citeExisting(); });
document.getElementById("use-selection").addEventListener("click", () => { if (current >= 0) { useSelection(drafts[current]); } });
document.getElementById("selection-close").addEventListener("click", () => {
  panel.hidden = true;
  selected = null;
  document.getElementById("selection-form").textContent = "";
  window.getSelection().removeAllRanges();
});
let timer = null;
document.getElementById("cite-record").addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(searchRecords, 200); });
document.addEventListener("selectionchange", () => { if (selectionIn(textBox)) { noteSelection(); } });
textBox.addEventListener("click", (event) => {
  const mark = event.target.closest("mark[data-draft]");
  if (!mark || !window.getSelection().isCollapsed) { return; }
  const id = mark.getAttribute("data-draft");
  select(drafts.findIndex((d) => d.id === id));
});
document.getElementById("draft-next").addEventListener("click", () => select(current + 1));
document.getElementById("draft-previous").addEventListener("click", () => select(current - 1));
bindKeys({
  j: () => { if (!drafts.length) { return false; } select(current + 1); },
  k: () => { if (!drafts.length) { return false; } select(current < 0 ? 0 : current - 1); },
  a: () => { if (current < 0) { return false; } openAccept(drafts[current]); },
  r: () => { if (current < 0) { return false; } openReject(drafts[current]); },
  m: () => { if (current < 0) { return false; } openChange(drafts[current]); },
  n: () => { if (!selected) { return false; } newRecord(); },
  c: () => { if (!selected) { return false; } document.getElementById("cite-record").focus(); },
  u: () => { if (!selected || current < 0) { return false; } useSelection(drafts[current]); },
  Escape: () => { if (current >= 0) { closeForms(drafts[current]); } },
});
load();
