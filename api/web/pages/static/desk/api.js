// The desk's API client: the curator's token (this tab's session storage only)
// and JSON calls to /v1 that answer {status, ok, data, etag}.

const KEY = "briefs-desk-token";

export function token() { return window.sessionStorage.getItem(KEY); }
export function setToken(value) { window.sessionStorage.setItem(KEY, value); }
export function forgetToken() { window.sessionStorage.removeItem(KEY); }

export async function api(method, path, body, headers) {
  const init = {
    method,
    headers: {Accept: "application/json", ...(headers || {})},
    credentials: "omit",
    cache: "no-store",
  };
  if (token()) { init.headers.Authorization = "Bearer " + token(); }
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
  return {status: response.status, ok: response.ok, data, etag: response.headers.get("ETag"),
    location: response.headers.get("Location")};
}

// Every page of a collection, following "next".
export async function all(path) {
  let items = [];
  let url = path;
  while (url) {
    const result = await api("GET", url);
    if (!result.ok) { throw result; }
    items = items.concat(result.data.items);
    url = result.data.next;
  }
  return items;
}

export function problem(result) {
  const d = (result && result.data) || {};
  return (d.title || "Error " + (result && result.status)) + (d.detail ? ": " + d.detail : "");
}

// The token box every desk page has: #token-form, #desk-token, #token-state, #token-forget.
export function tokenBox(onChange) {
  const form = document.getElementById("token-form");
  const input = document.getElementById("desk-token");
  const state = document.getElementById("token-state");
  const forget = document.getElementById("token-forget");
  const show = () => {
    forget.hidden = !token();
    if (token()) { state.textContent = "A token is in use in this tab (kept in its session storage only)."; }
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = input.value.trim();
    if (!value) { return; }
    setToken(value);
    input.value = "";
    show();
    onChange(true);
  });
  forget.addEventListener("click", () => {
    forgetToken();
    state.textContent = "The token is forgotten.";
    show();
    onChange(false);
    input.focus();
  });
  show();
  return {refused() { state.textContent = "That token was refused; give another."; }};
}
