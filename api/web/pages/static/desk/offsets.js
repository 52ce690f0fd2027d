// Citations count characters in code points; the DOM counts UTF-16 units.

export function codeUnits(text) {
  if (!/[\uD800-\uDFFF]/.test(text)) { return (i) => i; }
  const map = [];
  let unit = 0;
  for (const ch of text) { map.push(unit); unit += ch.length; }
  map.push(unit);
  return (i) => map[i];
}

export function codePoints(text) {
  if (!/[\uD800-\uDFFF]/.test(text)) { return (u) => u; }
  return (u) => Array.from(text.slice(0, u)).length;
}

// The text nodes of a document's text box (tags the desk put in left out), with
// their UTF-16 offsets in the document's text.
export function textNodes(box) {
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  const out = [];
  let at = 0;
  let node;
  while ((node = walker.nextNode())) {
    if (node.parentNode.closest(".draft-tag")) { continue; }
    out.push({node, start: at, end: at + node.data.length});
    at += node.data.length;
  }
  return out;
}

// The current selection inside ``box`` as UTF-16 offsets in its text, or null.
export function selectionIn(box) {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || !selection.rangeCount) { return null; }
  const range = selection.getRangeAt(0);
  if (!box.contains(range.startContainer) || !box.contains(range.endContainer)) { return null; }
  const nodes = textNodes(box);
  const at = (container, offset) => {
    if (container.nodeType === Node.TEXT_NODE) {
      const hit = nodes.find((t) => t.node === container);
      if (hit) { return hit.start + offset; }
    }
    // A position between elements: the first text node after it.
    const probe = document.createRange();
    probe.setStart(container, offset);
    const after = nodes.find((t) => probe.comparePoint(t.node, 0) >= 0);
    return after ? after.start : (nodes.length ? nodes[nodes.length - 1].end : 0);
  };
  const start = at(range.startContainer, range.startOffset);
  const end = at(range.endContainer, range.endOffset);
  if (end <= start) { return null; }
  const text = nodes.map((t) => t.node.data).join("");
  return {start, end, quote: text.slice(start, end), text};
}
