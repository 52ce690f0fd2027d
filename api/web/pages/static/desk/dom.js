// Small DOM helpers shared by the desk's pages. Every text goes in with textContent.

export function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== undefined && v !== null && v !== false) { node.setAttribute(k, v === true ? "" : v); }
  }
  if (text !== undefined && text !== null) { node.textContent = String(text); }
  return node;
}

export function say(status, text, href, linkText) {
  status.textContent = text;
  if (href) {
    status.append(" ", el("a", {href}, linkText || href));
  }
}

export const SINGULAR = {agreements: "agreement", meetings: "meeting", events: "event",
  indicators: "indicator", commentary: "commentary", people: "person",
  organizations: "organization", countries: "country"};

export function clip(text, n = 90) {
  text = String(text);
  return text.length > n ? text.slice(0, n - 1) + "…" : text;
}
