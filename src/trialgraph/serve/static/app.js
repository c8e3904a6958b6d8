// The query page: named queries from /api/queries, ad-hoc SPARQL to /sparql, answers as a table.
// Every value is written with textContent, never as HTML: the graph's text cannot inject markup.
"use strict";

const $ = (id) => document.getElementById(id);
let library = [];

function showError(message) {
  $("error").textContent = message;
  $("error").hidden = false;
  $("status").textContent = "";
}

function clearOutput(status) {
  $("error").hidden = true;
  $("error").textContent = "";
  $("results").replaceChildren();
  $("status").textContent = status;
}

function renderTable(columns, rows, truncated) {
  const table = document.createElement("table");
  table.id = "results-table";
  const head = table.createTHead().insertRow();
  for (const column of columns) {
    const th = document.createElement("th");
    th.textContent = column;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const cell of row) {
      tr.insertCell().textContent = cell === null || cell === undefined ? "" : String(cell);
    }
  }
  $("results").replaceChildren(table);
  let status = `${rows.length} row${rows.length === 1 ? "" : "s"}`;
  if (truncated) status += ` (truncated by the server: ${truncated})`;
  $("status").textContent = status;
}

async function errorText(response) {
  const text = await response.text();
  try {
    return JSON.parse(text).error || text;
  } catch (e) {
    return text.trim() || `${response.status} ${response.statusText}`;
  }
}

function selectedQuery() {
  return library.find((q) => q.name === $("named-select").value);
}

function showParameters() {
  const query = selectedQuery();
  const box = $("named-params");
  box.replaceChildren();
  $("named-description").textContent = query ? `${query.title}. ${query.description}` : "";
  if (!query) return;
  for (const p of query.parameters) {
    const label = document.createElement("label");
    label.htmlFor = `param-${p.name}`;
    label.textContent = `${p.name} (${p.kind}${p.optional ? ", optional" : ""}): ${p.description}`;
    const input = document.createElement("input");
    input.id = `param-${p.name}`;
    input.name = p.name;
    input.dataset.optional = p.optional ? "1" : "";
    box.append(label, input);
  }
}

async function loadLibrary() {
  const response = await fetch("/api/queries", { headers: { Accept: "application/json" } });
  if (!response.ok) {
    showError(`cannot list the named queries: ${await errorText(response)}`);
    return;
  }
  library = (await response.json()).queries;
  const select = $("named-select");
  for (const q of library) {
    const option = document.createElement("option");
    option.value = q.name;
    option.textContent = `${q.name} — ${q.title}`;
    select.appendChild(option);
  }
  showParameters();
  document.body.dataset.ready = "1";
}

async function runNamed(event) {
  event.preventDefault();
  const query = selectedQuery();
  if (!query) return;
  const params = new URLSearchParams();
  for (const input of $("named-params").querySelectorAll("input")) {
    if (input.value !== "" || !input.dataset.optional) params.append(input.name, input.value);
  }
  clearOutput(`running ${query.name}…`);
  try {
    const response = await fetch(`/api/queries/${encodeURIComponent(query.name)}?${params}`, {
      headers: { Accept: "application/json" },
    });
    if (!response.ok) {
      showError(await errorText(response));
      return;
    }
    const answer = await response.json();
    const rows = answer.rows.map((row) => answer.columns.map((c) => row[c]));
    renderTable(answer.columns, rows, answer.truncated);
  } catch (e) {
    showError(`request failed: ${e}`);
  }
}

function termText(term) {
  if (!term) return "";
  if (term.type === "bnode") return `_:${term.value}`;
  if (term.type === "triple") {
    const v = term.value;
    return `<< ${termText(v.subject)} ${termText(v.predicate)} ${termText(v.object)} >>`;
  }
  if (term.type === "literal" && term["xml:lang"]) return `${term.value} @${term["xml:lang"]}`;
  return term.value;
}

async function runSparql(event) {
  event.preventDefault();
  clearOutput("running…");
  try {
    const response = await fetch("/sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Accept: "application/sparql-results+json, text/turtle;q=0.9",
      },
      body: new URLSearchParams({ query: $("sparql-text").value }),
    });
    if (!response.ok) {
      showError(await errorText(response));
      return;
    }
    const truncated = response.headers.get("X-Trialgraph-Truncated");
    const type = response.headers.get("Content-Type") || "";
    if (type.startsWith("text/turtle")) {
      const pre = document.createElement("pre");
      pre.id = "results-graph";
      pre.textContent = await response.text();
      $("results").replaceChildren(pre);
      $("status").textContent = truncated ? `graph (truncated by the server: ${truncated})` : "graph";
      return;
    }
    const answer = await response.json();
    if ("boolean" in answer) {
      renderTable(["boolean"], [[String(answer.boolean)]], null);
      return;
    }
    const columns = answer.head.vars;
    const rows = answer.results.bindings.map((b) => columns.map((c) => termText(b[c])));
    renderTable(columns, rows, truncated);
  } catch (e) {
    showError(`request failed: ${e}`);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("named-select").addEventListener("change", showParameters);
  $("named-form").addEventListener("submit", runNamed);
  $("named-edit").addEventListener("click", () => {
    const query = selectedQuery();
    if (query) $("sparql-text").value = query.text;
  });
  $("sparql-form").addEventListener("submit", runSparql);
  loadLibrary().catch((e) => showError(`cannot list the named queries: ${e}`));
});
