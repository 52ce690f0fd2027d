// A small program a TypeScript user might write against the API, through a client
// generated from its OpenAPI document: it lists agreements, reads one, fetches a
// brief as JSON and as Markdown, and downloads a collection as CSV. It compiles
// only if each operation is typed as its one media type (a page is a page, not
// `Page | string`), and prints what it received as JSON for the test to check.
import createClient from "openapi-fetch";

import type { components, paths } from "../generated/api.js";

type Page = components["schemas"]["AgreementPage"];
type Agreement = components["schemas"]["Agreement"];
type Brief = components["schemas"]["Brief"];

const baseUrl = process.argv[2];
if (!baseUrl) {
  throw new Error("usage: node dist/src/check.js BASE_URL");
}
const api = createClient<paths>({ baseUrl });

function must<T>(what: string, data: T | undefined, error: unknown): T {
  if (data === undefined) {
    throw new Error(`${what}: ${JSON.stringify(error)}`);
  }
  return data;
}

// A list: the JSON operation's data is the page itself.
const listed = await api.GET("/v1/agreements", {
  params: { query: { country: ["Pakistan", "RU"], sort: "-date", limit: 50 } },
});
const page: Page = must("list", listed.data, listed.error);

// A record, with typed nested fields.
const got = await api.GET("/v1/agreements/{id}", {
  params: { path: { id: "2005-debt-rescheduling" } },
});
const agreement: Agreement = must("record", got.data, got.error);
const amount: number | undefined = agreement.value?.amount;

// The brief as JSON, with the query parameters getBrief documents.
const json = await api.GET("/v1/briefs/{a}/{b}", {
  params: {
    path: { a: "PK", b: "RU" },
    query: { limit: 1, as_of: "2010", predecessors: true, format: "json" },
  },
});
const brief: Brief = must("brief", json.data, json.error);

// The brief as Markdown and the agreements as CSV: operations of their own.
const md = await api.GET("/v1/briefs/{a}/{b}.md", {
  params: { path: { a: "Pakistan", b: "Russia" }, query: { limit: 2 } },
  parseAs: "text",
});
const markdown: string = must("markdown", md.data, md.error);
const csv = await api.GET("/v1/agreements.csv", {
  params: { query: { country: ["PK", "RU"], predecessors: true } },
  parseAs: "text",
});
const table: string = must("csv", csv.data, csv.error);

console.log(
  JSON.stringify({
    list: page.items.map((a) => [a.id, a.date, a.status]),
    next_cursor: page.next_cursor,
    record: { id: agreement.id, amount, currency: agreement.value?.currency ?? null },
    brief: {
      countries: brief.countries.map((c) => c.name),
      as_of: brief.as_of,
      documents: brief.coverage.documents.map((d) => d.id),
    },
    markdown_type: md.response.headers.get("content-type"),
    markdown_first_line: markdown.split("\n", 1)[0],
    csv_type: csv.response.headers.get("content-type"),
    csv_lines: table.trim().split("\r\n"),
  }),
);
