// Add a source: the text pasted (or a .txt/.html file), its metadata, then
// extraction; the progress shows and the desk opens on the drafts when done.
import {api, problem, tokenBox} from "./api.js";
import {say} from "./dom.js";

const form = document.getElementById("add-form");
const status = document.getElementById("desk-status");
const general = form.querySelector(".form-error");
const box = tokenBox(() => {});
let file = null;  // {name, text, html}

document.getElementById("add-file").addEventListener("change", async (event) => {
  const chosen = event.target.files[0];
  file = null;
  if (!chosen) { return; }
  const content = await chosen.text();
  const html = /\.html?$/i.test(chosen.name) || chosen.type === "text/html";
  file = {name: chosen.name, text: html ? null : content, html: html ? content : null};
});

function value(name) { const input = document.getElementById("add-" + name); return input ? input.value.trim() : ""; }

function clear() {
  form.querySelectorAll(".error").forEach((p) => { p.textContent = ""; });
  form.querySelectorAll("[aria-invalid]").forEach((i) => i.removeAttribute("aria-invalid"));
}

function showErrors(errors) {
  let first = null;
  const rest = [];
  for (const [path, messages] of Object.entries(errors || {})) {
    const name = path.split(/[.[]/)[0];
    const wrap = form.querySelector('.field[data-path="' + name + '"]');
    const text = path + ": " + [].concat(messages).join(" ");
    if (!wrap) { rest.push(text); continue; }
    wrap.querySelector(".error").textContent += (wrap.querySelector(".error").textContent ? " " : "") + text;
    const input = wrap.querySelector("input, textarea");
    input.setAttribute("aria-invalid", "true");
    first = first || input;
  }
  general.textContent = rest.join(" ");
  (first || form.querySelector("button[type=submit]")).focus();
}

function body() {
  const out = {
    title: value("title"),
    published: value("published") || null,
    publisher: value("publisher"),
    authors: value("authors").split(",").map((n) => n.trim()).filter(Boolean).map((name) => ({name, person: null})),
    url: value("url") || null,
    rights: value("rights"),
    language: value("language"),
  };
  const pasted = document.getElementById("add-text").value;
  if (pasted.trim()) { out.text = pasted; }
  else if (file && file.html) { out.html = file.html; }
  else if (file) { out.text = file.text; }
  return out;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function follow(documentId, location) {
  for (;;) {
    const result = await api("GET", location);
    if (!result.ok) { say(status, "The job could not be read. " + problem(result)); return; }
    const job = result.data;
    if (job.state === "done") {
      say(status, "Extraction done: " + job.drafts + " draft(s). Opening the desk…");
      window.location.assign("/desk/documents/" + encodeURIComponent(documentId));
      return;
    }
    if (job.state === "failed") {
      say(status, "Extraction failed. " + problem({data: job.problem}), "/desk/documents/" + encodeURIComponent(documentId), "The document's desk");
      return;
    }
    say(status, "Extraction " + job.state + "…");
    await sleep(700);
  }
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clear();
  const sent = body();
  if (!sent.text && !sent.html) {
    document.getElementById("add-text-error").textContent = "Paste the text, or choose a file.";
    document.getElementById("add-text").focus();
    return;
  }
  say(status, "Storing the document…");
  const created = await api("POST", "/v1/documents", sent);
  if (created.status === 409 && created.data && created.data.existing) {
    const id = created.data.existing;
    say(status, "This text is already stored.", "/desk/documents/" + encodeURIComponent(id), "Open its desk");
    status.focus();
    return;
  }
  if (created.status !== 201) {
    say(status, "Not stored. " + problem(created));
    if (created.status === 401) { box.refused(); }
    showErrors((created.data || {}).errors);
    if (!general.textContent && !(created.data || {}).errors) { general.textContent = problem(created); }
    return;
  }
  const documentId = created.data.id;
  const queued = await api("POST", "/v1/documents/" + encodeURIComponent(documentId) + "/extract");
  if (queued.status !== 202) {
    say(status, "Stored, but extraction was not queued. " + problem(queued),
      "/desk/documents/" + encodeURIComponent(documentId), "The document's desk");
    return;
  }
  await follow(documentId, queued.location);
});
