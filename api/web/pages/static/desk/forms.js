// Forms built from a resource's input schema in /openapi.json: required fields
// marked, enumerations as choice lists, countries, people, organizations and
// meetings as pickers that resolve names through the API, lists edited as rows,
// citations shown as quotes. A 422's errors are shown beside their fields.
import {el, clip} from "./dom.js";

let spec = null;

export async function openapi() {
  if (!spec) {
    const response = await fetch("/openapi.json", {headers: {Accept: "application/json"}});
    spec = await response.json();
  }
  return spec;
}

function deref(schema) {
  let s = schema || {};
  while (s.$ref) { s = spec.components.schemas[s.$ref.split("/").pop()]; }
  return s;
}

// The input schema of a collection: what POST /v1/{resource} takes.
export async function inputSchema(resource) {
  await openapi();
  const post = spec.paths["/v1/" + resource].post;
  return deref(post.requestBody.content["application/json"].schema);
}

// A property's schema without its null alternative; nullable says it had one.
function plain(prop) {
  let s = deref(prop);
  let nullable = false;
  if (s.anyOf) {
    const others = s.anyOf.filter((a) => a.type !== "null");
    nullable = others.length < s.anyOf.length;
    s = {...deref(others[0]), description: s.description || deref(others[0]).description};
  }
  if (Array.isArray(s.type)) {
    nullable = nullable || s.type.includes("null");
    s = {...s, type: s.type.find((t) => t !== "null")};
  }
  return {schema: s, nullable};
}

const COUNTRY = /A-Z\]\{2\}\|\[A-Z\]\{4\}/;
const DATE = /0\[1-9\]\|1\[0-2\]/;
const PICKED = {person: "people", organization: "organizations", meeting: "meetings",
  in_reply_to: "commentary", agreement: "agreements"};

function pickerOf(name, schema) {
  if (schema.pattern && COUNTRY.test(schema.pattern)) { return "countries"; }
  return PICKED[name] || null;
}

let counter = 0;
const uid = (prefix) => prefix + "-" + (++counter);

// A text input that resolves a name to an id the way the API does ("UK", "Fradkov").
function picker(collection, value, id, describedBy) {
  const list = uid("choices");
  const input = el("input", {id, type: "text", list, autocomplete: "off", spellcheck: "false",
    "aria-describedby": describedBy, "data-picker": collection});
  input.value = value === null || value === undefined ? "" : String(value);
  const options = el("datalist", {id: list});
  const hint = el("span", {class: "picked meta", "aria-live": "polite"});
  let resolved = input.value;  // what the value read from the form is
  let timer = null;
  const suggest = () => {
    const q = input.value.trim();
    if (q.length < 2 || !["countries", "people"].includes(collection)) { return; }
    fetch("/v1/" + collection + "?q=" + encodeURIComponent(q) + "&limit=8", {headers: {Accept: "application/json"}})
      .then((r) => (r.ok ? r.json() : {items: []}))
      .then((page) => {
        options.textContent = "";
        page.items.forEach((item) => options.append(el("option", {value: item.id}, item.name || item.title)));
      }).catch(() => {});
  };
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(suggest, 200); });
  async function resolve() {
    const q = input.value.trim();
    if (!q) { resolved = ""; hint.textContent = ""; return true; }
    if (q === resolved && hint.dataset.ok === "1") { return true; }
    const r = await fetch("/v1/" + collection + "/" + encodeURIComponent(q), {headers: {Accept: "application/json"}});
    const body = await r.json().catch(() => ({}));
    if (r.ok) {
      input.value = resolved = body.id;
      hint.textContent = body.name || body.title || body.text || body.id;
      hint.dataset.ok = "1";
      return true;
    }
    hint.dataset.ok = "";
    const near = body.suggestions || (body.candidates || []).map((c) => c.id || c);
    hint.textContent = (body.detail || "Not found.") + (near && near.length ? " Try: " + near.join(", ") : "");
    resolved = q;
    return false;
  }
  input.addEventListener("change", () => { resolve(); });
  if (input.value) { resolve(); }
  return {nodes: [input, options, hint], input, resolve};
}

// One form control (or group) for a value of ``schema``; returns {node, read, resolve}.
function control(name, prop, value, path, required, ctx) {
  const {schema, nullable} = plain(prop);
  const id = uid("f");
  const errorId = id + "-error";
  const title = name.replace(/_/g, " ") + (required ? " (required)" : "");
  if (name === "sources" && schema.type === "array") { return citations(title, value, path, ctx); }
  if (schema.type === "object" && schema.properties) {
    const box = el("fieldset", {class: "field group", "data-path": path});
    box.append(el("legend", {}, title));
    const inner = object(schema, value || {}, path, ctx);
    box.append(...inner.nodes, el("p", {id: errorId, class: "error"}));
    return {node: box, read: () => {
      const v = inner.read();
      return nullable && Object.values(v).every((x) => x === null || x === "" || (Array.isArray(x) && !x.length)) ? null : v;
    }, resolve: inner.resolve};
  }
  if (schema.type === "array") { return rows(title, schema, value || [], path, ctx); }
  const wrap = el("div", {class: "field", "data-path": path});
  wrap.append(el("label", {for: id}, title));
  let input;
  let resolve = async () => true;
  const choices = schema.enum;
  if (choices) {
    input = el("select", {id, "aria-describedby": errorId});
    if (nullable || !required || value === undefined || value === null) { input.append(el("option", {value: ""}, "—")); }
    choices.forEach((c) => input.append(el("option", {value: c}, c.replace(/_/g, " "))));
    input.value = value === null || value === undefined ? "" : String(value);
    wrap.append(input);
  } else if (pickerOf(name, schema)) {
    const p = picker(pickerOf(name, schema), value, id, errorId);
    input = p.input;
    resolve = p.resolve;
    wrap.append(...p.nodes);
  } else {
    const long = ["summary", "text"].includes(name);
    input = el(long ? "textarea" : "input", {id, "aria-describedby": errorId, rows: long ? "3" : null,
      type: long ? null : "text", inputmode: schema.type === "integer" ? "numeric" : null,
      placeholder: schema.pattern && DATE.test(schema.pattern) ? "YYYY, YYYY-MM or YYYY-MM-DD" : null});
    input.value = value === null || value === undefined ? "" : String(value);
    wrap.append(input);
  }
  if (required) { input.setAttribute("aria-required", "true"); }
  input.setAttribute("data-name", name);
  wrap.append(el("p", {id: errorId, class: "error"}));
  const read = () => {
    const v = input.value.trim();
    if (v === "") { return nullable ? null : undefined; }
    if ((schema.type === "integer" || schema.type === "number") && /^-?\d+(\.\d+)?$/.test(v)) { return Number(v); }
    return v;
  };
  return {node: wrap, read, resolve, input};
}

function citations(title, value, path, ctx) {
  const box = el("div", {class: "field citations", "data-path": path});
  const id = uid("f");
  box.append(el("p", {class: "label", id}, title));
  const list = el("ul", {"aria-labelledby": id, class: "quotes"});
  box.append(list, el("p", {class: "error", id: id + "-error"}));
  let current = value || [];
  const show = () => {
    list.textContent = "";
    current.forEach((s, i) => {
      const li = el("li", {class: "quote"});
      li.append(el("q", {}, clip(s.quote, 200)), el("span", {class: "meta"}, " characters " + s.start + "–" + s.end));
      if (current.length > 1) {
        const drop = el("button", {type: "button", class: "secondary small"}, "Remove citation " + (i + 1));
        drop.addEventListener("click", () => { current = current.filter((_, j) => j !== i); show(); });
        li.append(" ", drop);
      }
      list.append(li);
    });
  };
  show();
  const widget = {node: box, read: () => current, resolve: async () => true,
    set(sources) { current = sources; show(); }, add(source) { current = current.concat([source]); show(); }};
  if (path === "sources") { ctx.sources = widget; }
  return widget;
}

function rows(title, schema, value, path, ctx) {
  const items = deref(schema.items);
  const box = el("fieldset", {class: "field rows", "data-path": path});
  box.append(el("legend", {}, title));
  const list = el("div", {class: "row-list"});
  const made = [];
  const noun = title.replace(/ \(required\)$/, "").replace(/s$/, "").replace(/ie$/, "y");
  const add = (v) => {
    const i = made.length;
    const row = el("div", {class: "row"});
    let c;
    if (items.type === "object" && items.properties) {
      const inner = object(items, v || {}, path + "[" + i + "]", ctx);
      row.append(...inner.nodes);
      c = {read: inner.read, resolve: inner.resolve};
    } else {
      c = control(noun + " " + (i + 1), items, v, path + "[" + i + "]", false, ctx);
      row.append(c.node);
    }
    const drop = el("button", {type: "button", class: "secondary small"}, "Remove " + noun + " " + (i + 1));
    const entry = {row, c, gone: false};
    drop.addEventListener("click", () => { entry.gone = true; row.remove(); });
    row.append(drop);
    made.push(entry);
    list.append(row);
    return c;
  };
  value.forEach((v) => add(v));
  const more = el("button", {type: "button", class: "secondary small"}, "Add " + noun);
  more.addEventListener("click", () => {
    const c = add(undefined);
    const first = (c.node || made[made.length - 1].row).querySelector("input, select, textarea");
    if (first) { first.focus(); }
  });
  box.append(list, more, el("p", {class: "error"}));
  return {node: box,
    read: () => made.filter((m) => !m.gone).map((m) => m.c.read()).filter((v) => v !== undefined && v !== null && v !== ""),
    resolve: async () => (await Promise.all(made.filter((m) => !m.gone).map((m) => m.c.resolve()))).every(Boolean)};
}

function object(schema, value, prefix, ctx) {
  const required = schema.required || [];
  const parts = [];
  for (const [name, prop] of Object.entries(schema.properties)) {
    if (deref(prop).readOnly || prop.readOnly) { continue; }
    const path = prefix ? prefix + "." + name : name;
    parts.push([name, control(name, prop, value[name], path, required.includes(name), ctx)]);
  }
  return {
    nodes: parts.map(([, c]) => c.node),
    read() {
      const out = {};
      parts.forEach(([name, c]) => {
        const v = c.read();
        if (v !== undefined) { out[name] = v; }
      });
      return out;
    },
    resolve: async () => (await Promise.all(parts.map(([, c]) => c.resolve()))).every(Boolean),
  };
}

// A form for a record of ``schema`` holding ``value``: {node, read, resolve, errors, sources}.
export function recordForm(schema, value, options = {}) {
  const ctx = {sources: null};
  const skip = options.skip || [];
  const shown = {...schema, properties: Object.fromEntries(Object.entries(schema.properties).filter(([k]) => !skip.includes(k)))};
  const inner = object(shown, value || {}, "", ctx);
  const box = el("div", {class: "record-fields"});
  box.append(...inner.nodes);
  return {
    node: box,
    read: inner.read,
    resolve: inner.resolve,
    names: Object.keys(shown.properties).filter((k) => !shown.properties[k].readOnly),
    get sources() { return ctx.sources; },
    clearErrors() {
      box.querySelectorAll(".error").forEach((p) => { p.textContent = ""; });
      box.querySelectorAll("[aria-invalid]").forEach((i) => i.removeAttribute("aria-invalid"));
    },
    // Errors by path ("kind", "participants[0].person", "corrections.kind"): each
    // beside the closest field; the rest returned, for the form's own line.
    showErrors(errors) {
      let first = null;
      const rest = [];
      for (const [raw, messages] of Object.entries(errors || {})) {
        let path = raw.replace(/^corrections\./, "");
        let target = null;
        while (path) {
          target = box.querySelector('[data-path="' + CSS.escape(path) + '"]');
          if (target) { break; }
          const shorter = path.replace(/(\.[^.[\]]+|\[\d+\])$/, "");
          if (shorter === path) { break; }
          path = shorter;
        }
        const text = raw + ": " + [].concat(messages).join(" ");
        if (!target) { rest.push(text); continue; }
        const p = target.querySelector(":scope > .error");
        p.textContent = (p.textContent ? p.textContent + " " : "") + text;
        const input = target.querySelector("input, select, textarea");
        if (input) { input.setAttribute("aria-invalid", "true"); first = first || input; }
      }
      return {first, rest};
    },
  };
}

// The merge patch turning ``before`` into ``after`` at the top level (lists replaced);
// a field of ``names`` the form left empty is removed (null).
export function patchOf(before, after, names = []) {
  const patch = {};
  const empty = (v) => v === undefined || v === null || v === "" || (Array.isArray(v) && !v.length);
  for (const [k, v] of Object.entries(after)) {
    const old = before[k];
    if (empty(old) && empty(v)) { continue; }
    if (JSON.stringify(old) !== JSON.stringify(v)) { patch[k] = v === undefined ? null : v; }
  }
  names.filter((k) => !(k in after) && !empty(before[k])).forEach((k) => { patch[k] = null; });
  return patch;
}
