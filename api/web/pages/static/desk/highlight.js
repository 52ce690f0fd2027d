// Highlights of drafts' citations in the document's text.
import {el, SINGULAR} from "./dom.js";
import {codeUnits, textNodes} from "./offsets.js";

// Every citation anywhere in a record: its sources, and those of its roles, aliases...
export function citationsOf(value, out = []) {
  if (Array.isArray(value)) { value.forEach((v) => citationsOf(v, out)); }
  else if (value && typeof value === "object") {
    if (typeof value.quote === "string" && Number.isInteger(value.start) && Number.isInteger(value.end)) {
      out.push(value);
    } else { Object.values(value).forEach((v) => citationsOf(v, out)); }
  }
  return out;
}

export function label(draft) {
  const r = draft.record || {};
  const name = r.title || r.name || r.text || (r.author && r.author.name) || draft.target || draft.id;
  const text = String(name);
  return text.length > 90 ? text.slice(0, 89) + "…" : text;
}

export function singular(draft) { return SINGULAR[draft.resource] || draft.resource; }

function splitAt(box, pos) {
  textNodes(box).forEach((t) => {
    if (t.start < pos && pos < t.end) { t.node.splitText(pos - t.start); }
  });
}

export function highlight(box, documentId, draft, number) {
  const position = codeUnits(textNodes(box).map((t) => t.node.data).join(""));
  let first = null;
  citationsOf(draft.record).forEach((source) => {
    if (source.document !== documentId) { return; }
    const start = position(source.start);
    const end = position(source.end);
    splitAt(box, start);
    splitAt(box, end);
    textNodes(box).forEach((t) => {
      if (t.start < start || t.end > end || !t.node.data) { return; }
      const mark = el("mark", {
        class: "draft draft-" + draft.resource,
        "data-draft": draft.id,
        title: "Draft " + number + ": " + singular(draft) + " " + label(draft),
      });
      t.node.parentNode.insertBefore(mark, t.node);
      mark.appendChild(t.node);
      first = first || mark;
    });
  });
  if (first) {
    while (first.parentNode.matches("mark.draft")) { first = first.parentNode; }
    const tag = el("span", {class: "draft-tag draft-" + draft.resource, "data-draft": draft.id,
      "aria-hidden": "true"}, number + " " + singular(draft));
    first.parentNode.insertBefore(tag, first);
  }
}

export function unhighlight(box, id) {
  box.querySelectorAll('.draft-tag[data-draft="' + id + '"]').forEach((tag) => tag.remove());
  box.querySelectorAll('mark[data-draft="' + id + '"]').forEach((mark) => {
    while (mark.firstChild) { mark.parentNode.insertBefore(mark.firstChild, mark); }
    mark.remove();
  });
  box.normalize();
}

export function unhighlightAll(box) {
  box.querySelectorAll("mark[data-draft]").forEach((m) => unhighlight(box, m.getAttribute("data-draft")));
}
