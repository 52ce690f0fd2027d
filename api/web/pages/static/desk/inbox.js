// The desk's inbox: documents with open drafts, extraction jobs and the latest
// decisions, read from /v1/inbox with the curator's token.
import {api, problem, token, tokenBox} from "./api.js";
import {el, say, SINGULAR} from "./dom.js";

const status = document.getElementById("desk-status");
const box = tokenBox(() => load());

function table(caption, head, rows) {
  const wrap = el("div", {class: "table-scroll"});
  const t = el("table", {class: "inbox"});
  t.append(el("caption", {class: "visually-hidden"}, caption));
  const tr = el("tr");
  head.forEach((h) => tr.append(el("th", {scope: "col"}, h)));
  const thead = el("thead");
  thead.append(tr);
  t.append(thead);
  const body = el("tbody");
  rows.forEach((cells) => {
    const row = el("tr");
    cells.forEach((c) => { const td = el("td"); td.append(c); row.append(td); });
    body.append(row);
  });
  t.append(body);
  wrap.append(t);
  return wrap;
}

function counts(byResource) {
  return Object.entries(byResource).map(([r, c]) =>
    (SINGULAR[r] || r) + ": " + c.open + " open, " + c.accepted + " accepted, " + c.rejected + " rejected").join("; ");
}

function fill(id, node) { const area = document.getElementById(id); area.textContent = ""; area.append(node); }

async function load() {
  ["inbox-documents", "inbox-jobs", "inbox-decisions"].forEach((id) => { document.getElementById(id).textContent = ""; });
  if (!token()) { say(status, "Give your token to see the inbox."); return; }
  say(status, "Loading the inbox…");
  const result = await api("GET", "/v1/inbox");
  if (!result.ok) {
    say(status, "The inbox could not be read. " + problem(result));
    if (result.status === 401) { box.refused(); }
    return;
  }
  const data = result.data;
  fill("inbox-documents", data.documents.length ? table("Documents with open drafts", ["Document", "Published", "Open", "Drafts by resource"],
    data.documents.map((d) => [el("a", {href: "/desk/documents/" + encodeURIComponent(d.id)}, d.title), d.published || "undated",
      String(d.open), counts(d.counts)])) : el("p", {}, "No open drafts."));
  fill("inbox-jobs", data.jobs.length ? table("Extraction jobs", ["Document", "State", "Since", "Problem"],
    data.jobs.map((j) => [el("a", {href: "/desk/documents/" + encodeURIComponent(j.document)}, j.document), j.state,
      j.started || j.created, j.problem ? (j.problem.title + (j.problem.detail ? ": " + j.problem.detail : "")) : "—"]))
    : el("p", {}, "No job queued, running or failed."));
  fill("inbox-decisions", data.decisions.length ? table("Latest decisions", ["Draft", "Decision", "By", "When"],
    data.decisions.map((d) => {
      const what = d.state === "accepted"
        ? el("a", {href: "/" + d.resource + "/" + encodeURIComponent(d.accepted_as)}, "accepted as " + d.accepted_as)
        : "rejected: " + (d.rejected_because || "");
      return [(SINGULAR[d.resource] || d.resource) + " " + d.id + " of " + d.document, what, d.decided_by || "", d.decided || ""];
    })) : el("p", {}, "Nothing decided yet."));
  say(status, data.documents.length + " document(s) with open drafts; " + data.jobs.length + " job(s) waiting or failed.");
}

load();
