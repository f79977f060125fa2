// A notebook run as both pages draw it: each cell's status, console, value, exception, compiler
// messages and timing, and what the cell's display helpers showed. The candidate IDE draws its
// own runs under its cells; the proctor's report draws the same runs on the timeline.
import { h, num } from "./common.js";
import { lineChart, histogramChart, heatmapChart, value, fmt } from "./notebook-charts.js";

/** The API's enums are snake_case ("compile_error"); a PascalCase spelling reads the same. */
export function enumName(name) {
  return String(name ?? "").replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
}

const CELL_STATUS = {
  queued: ["queued", "muted"],
  running: ["running", "live"],
  ok: ["ok", "ok"],
  exception: ["exception", "bad"],
  compile_error: ["compile error", "bad"],
  policy_violation: ["policy violation", "bad"],
  output_limit: ["output limit", "bad"],
  interrupted: ["interrupted", "warn"],
  skipped: ["skipped", "muted"],
};

export function cellBadge(status) {
  const name = enumName(status);
  const [label, cls] = CELL_STATUS[name] ?? [name, "muted"];
  return h("span", { class: `badge nb-status ${cls}`, "data-testid": "cell-status", "data-status": name }, label);
}

/** "compiled in 62 ms · ran in 3.5 ms" */
export function cellTiming(result) {
  if (!result || !["ok", "exception", "output_limit", "compile_error", "policy_violation"].includes(enumName(result.status))) return "";
  const ms = (x) => (x >= 1000 ? `${num(x / 1000, 2)} s` : `${num(x, x < 10 ? 1 : 0)} ms`);
  const ran = enumName(result.status) === "ok" || enumName(result.status) === "exception" ? ` · ran in ${ms(result.elapsed_ms ?? 0)}` : "";
  return `compiled in ${ms(result.compile_ms ?? 0)}${ran}`;
}

/**
 * Series and tables continue from cell to cell (each cell reports the points it added): a
 * cell's chart shows the points of the cells before it too. One history per drawing of a run.
 */
export class DisplayHistory {
  constructor() {
    this.named = new Map();
  }

  /** What the cells before added to d's series or table; records d's own points after them. */
  take(d) {
    const key = `${d.kind}\u0000${d.label}`;
    const before = this.named.get(key) ?? { x: [], values: [] };
    this.named.set(key, { x: [...before.x, ...(d.x ?? []).map(value)], values: [...before.values, ...(d.values ?? []).map(value)] });
    return before;
  }
}

/**
 * Everything a cell's result shows, under the cell. onLocate(line, column), when given, makes a
 * compiler message a link to its place in the cell; onLocateFile(file, line) does the same for a
 * stack frame in one of the files.
 */
export function cellOutput(result, history, { onLocate, onLocateFile } = {}) {
  const status = enumName(result.status);
  const failure = result.failure;
  return h("div", { class: `nb-output status-${status}`, "data-testid": "cell-output", "data-status": status },
    status === "skipped" ? h("p", { class: "muted small" }, "Not run: an earlier cell failed, or the run ended before this cell.") : null,
    status === "interrupted" ? h("p", { class: "warn small" }, "The run ended while this cell was running (time or memory limit, or a crash).") : null,
    status === "output_limit" ? h("p", { class: "bad small" }, "This cell printed past the output limit, which ended the run.") : null,
    result.console ? h("pre", { class: "nb-console", "data-testid": "cell-console" }, result.console,
      result.console_truncated ? h("span", { class: "muted" }, "\n… (truncated)") : null) : null,
    failure ? h("div", { class: "nb-failure", "data-testid": "cell-exception", role: "alert" },
      h("strong", {}, failure.type), ": ", failure.message,
      failure.stack ? stackView(failure.stack, onLocateFile) : null) : null,
    diagnosticList(result.diagnostics, (d) => `${d.file}, line ${d.line}, column ${d.column}`, onLocate ? (d) => onLocate(d.line, d.column) : null),
    result.value !== null && result.value !== undefined
      ? h("div", { class: "nb-value", "data-testid": "cell-value" }, h("span", { class: "muted" }, "= "), h("code", {}, result.value)) : null,
    (result.displays ?? []).map((d) => display(d, history)),
    result.displays_truncated ? h("p", { class: "muted small" }, "Some displays were left out: a run shows at most 50 displays, 20 series and tables, and 5,000 points.") : null,
    h("div", { class: "nb-timing muted small", "data-testid": "cell-timing" }, cellTiming(result)));
}

/** An exception's stack (the candidate's frames only), with "(Numerics.cs:29)" a link into the file when it can be opened. */
function stackView(stack, onLocateFile) {
  return h("pre", { class: "nb-stack", "data-testid": "cell-stack" }, stack.split("\n").map((line, i) => {
    const frame = onLocateFile ? /^(.*\()([^():]+\.cs):(\d+)(\).*)$/.exec(line) : null;
    const text = frame
      ? [frame[1], h("button", { type: "button", class: "link", onclick: () => onLocateFile(frame[2], Number(frame[3])) }, `${frame[2]}:${frame[3]}`), frame[4]]
      : [line];
    return [i ? "\n" : "", ...text];
  }));
}

/** Compiler or policy messages; where(d) names the place, onLocate(d) jumps to it. */
export function diagnosticList(diagnostics, where, onLocate) {
  if (!diagnostics?.length) return null;
  return h("ul", { class: "nb-diagnostics", "data-testid": "cell-diagnostics" }, diagnostics.map((d) =>
    h("li", {},
      onLocate ? h("button", { type: "button", class: "link", "data-testid": "cell-diagnostic", onclick: () => onLocate(d) }, where(d)) : h("span", { class: "mono" }, where(d)),
      " ", h("code", {}, d.id), " ", d.message)));
}

/** One display helper's output: Plot, Show, Hist, Heatmap or Table. */
export function display(d, history) {
  const kind = enumName(d.kind);
  const body = kind === "line" ? seriesView(d, history.take(d))
    : kind === "table" ? tableView(d, history.take(d))
    : kind === "tensor" ? tensorView(d)
    : kind === "histogram" ? histogramView(d)
    : kind === "heatmap" ? heatmapView(d)
    : h("p", { class: "muted small" }, `A display of kind "${d.kind}" this page does not draw.`);
  return h("figure", { class: `nb-display ${kind}`, "data-testid": "display", "data-kind": kind, "data-label": d.label ?? "" },
    h("figcaption", {}, h("strong", {}, d.label || kindName(kind)), " ", h("span", { class: "muted small" }, describe(d, kind))),
    body,
    d.truncated && kind !== "tensor" ? h("p", { class: "muted small" }, "Only part of it is shown (the run's limits).") : null);
}

function kindName(kind) {
  return { line: "series", tensor: "tensor", histogram: "histogram", heatmap: "heat map", table: "table" }[kind] ?? kind;
}

function describe(d, kind) {
  const shape = (s) => `(${(s ?? []).join(", ")})`;
  if (kind === "tensor") return `${d.shape?.length ? shape(d.shape) : "scalar"}${d.dtype ? ` ${d.dtype}` : ""}`;
  if (kind === "histogram") return `${d.values.length} bins of ${shape(d.shape)}${d.dtype ? ` ${d.dtype}` : ""}`;
  if (kind === "heatmap") return `${shape(d.shape)}${d.dtype ? ` ${d.dtype}` : ""}`;
  return kindName(kind);
}

function seriesView(d, before) {
  const mine = { x: (d.x ?? []).map(value), values: d.values.map(value) };
  const chart = lineChart(d.label, before, mine);
  const last = mine.values.length ? mine.values[mine.values.length - 1] : null;
  const bad = [...before.values, ...mine.values].filter((v) => !Number.isFinite(v)).length;
  return h("div", { class: "nb-series", "data-testid": "line-chart", "data-points": before.values.length + mine.values.length },
    chart,
    h("p", { class: "muted small" },
      `${mine.values.length} point${mine.values.length === 1 ? "" : "s"} from this cell`,
      before.values.length ? `, ${before.values.length} from the cells before (grey)` : "",
      last === null ? "" : `; last ${fmt(last)}`,
      bad ? h("span", { class: "bad" }, `; ${bad} NaN or infinite (× at the top)`) : null));
}

function statsLine(stats) {
  if (!stats) return null;
  const bad = (n) => (n > 0 ? "bad strong" : "muted");
  return h("p", { class: "nb-stats small", "data-testid": "tensor-stats" },
    `min ${fmt(stats.min)} · max ${fmt(stats.max)} · mean ${fmt(stats.mean)} · std ${fmt(stats.std)} · `,
    h("span", { class: bad(stats.nan_count) }, `${stats.nan_count} NaN`), " · ",
    h("span", { class: bad(stats.inf_count) }, `${stats.inf_count} infinite`));
}

function numberCell(v, tag = "td") {
  const x = value(v);
  return h(tag, { class: Number.isFinite(x) ? "num" : "num nonfinite" }, fmt(x));
}

/** Show(tensor): shape, dtype, statistics over the whole tensor and a bounded preview of its last two axes. */
function tensorView(d) {
  const layout = d.values_shape ?? [d.values.length];
  const cols = layout.length >= 1 ? layout[layout.length - 1] : 1;
  const rows = [];
  for (let i = 0; i < d.values.length; i += Math.max(cols, 1)) rows.push(d.values.slice(i, i + Math.max(cols, 1)));
  const shape = d.shape ?? [];
  const partial = d.truncated || shape.length > 2;
  return h("div", { class: "nb-tensor", "data-testid": "tensor" },
    statsLine(d.stats),
    h("div", { class: "nb-preview" }, h("table", { class: "nb-matrix", "data-testid": "tensor-preview" },
      h("tbody", {}, rows.map((r) => h("tr", {}, r.map((v) => numberCell(v))))))),
    partial ? h("p", { class: "muted small" },
      `Preview: the first ${layout.join(" × ")} of the last ${Math.min(shape.length, 2)} ax${shape.length > 1 ? "es" : "is"}`,
      shape.length > 2 ? ", at index 0 of the others." : ".") : null);
}

function histogramView(d) {
  return h("div", { class: "nb-histogram" }, histogramChart(d.label, d.values.map(value), (d.edges ?? []).map(value)), statsLine(d.stats));
}

function heatmapView(d) {
  const [rows, cols] = d.values_shape?.length === 2 ? d.values_shape : [1, d.values.length];
  return h("div", { class: "nb-heatmap" }, heatmapChart(d.label, d.values.map(value), rows, cols));
}

/** Table(name, …): the rows this cell added, after the rows the cells before added (muted). */
function tableView(d, before) {
  const columns = d.columns ?? [];
  const width = Math.max(columns.length, 1);
  const chunk = (values, earlier) => {
    const out = [];
    for (let i = 0; i < values.length; i += width) out.push({ earlier, values: values.slice(i, i + width) });
    return out;
  };
  const all = [...chunk(before.values, true), ...chunk(d.values.map(value), false)];
  const shown = all.slice(-50);
  return h("div", { class: "nb-table-wrap" },
    all.length > shown.length ? h("p", { class: "muted small" }, `The last 50 of ${all.length} rows.`) : null,
    h("table", { class: "nb-table", "data-testid": "table" },
      h("thead", {}, h("tr", {}, columns.map((c) => h("th", { class: "num" }, c)))),
      h("tbody", {}, shown.map((r) => h("tr", { class: r.earlier ? "earlier" : null }, r.values.map((v) => numberCell(v)))))));
}

const OUTCOMES = {
  completed: "completed",
  timed_out: "stopped at the time limit",
  output_limit: "stopped at the output limit",
  out_of_memory: "stopped at the memory limit",
  crashed: "crashed",
  protocol_violation: "could not be read",
  infrastructure_failure: "could not run (not because of your code); run it again",
  infrastructure_error: "could not run (not because of your code); run it again",
};

/** Each cell of a run with its result, or null while it has none: the outcome's cells once done, the streamed ones before. */
export function runCellResults(run) {
  const byCell = new Map((run.results ?? []).map((r) => [r.cell, r.result]));
  const final = Array.isArray(run.outcome?.cells) ? run.outcome.cells : [];
  return run.cells.map((_, i) => final[i] ?? byCell.get(i) ?? null);
}

/** "completed", or what stopped the run; null while it has not ended. */
export function outcomeText(run) {
  const o = run.outcome;
  if (!o) return null;
  const compile = enumName(o.compile);
  if (compile === "compile_error") return "the files do not compile";
  if (compile === "policy_violation") return "the files break a rule";
  return OUTCOMES[enumName(o.outcome)] ?? enumName(o.outcome);
}

/** The run's line: its outcome and reason, and the files' compiler messages (onLocate(file, line, column) leads to them). */
export function runSummary(run, { onLocate } = {}) {
  const o = run.outcome;
  if (!o) return null;
  const compile = enumName(o.compile);
  const cells = runCellResults(run);
  const ran = cells.filter((c) => c && !["skipped", "interrupted"].includes(enumName(c.status))).length;
  const failed = cells.findIndex((c) => c && ["exception", "compile_error", "policy_violation", "output_limit", "interrupted"].includes(enumName(c.status)));
  const ok = enumName(o.outcome) === "completed" && compile === "ok" && failed < 0;
  return h("div", { class: `nb-summary ${ok ? "ok" : "bad"}`, "data-testid": "run-summary", "data-outcome": enumName(o.outcome), "data-compile": compile },
    h("strong", {}, `Run ${outcomeText(run)}`),
    h("span", {}, ` — ${ran} of ${cells.length} cell${cells.length === 1 ? "" : "s"} ran`),
    failed >= 0 ? h("span", {}, `, cell ${failed + 1}: ${CELL_STATUS[enumName(cells[failed].status)]?.[0] ?? enumName(cells[failed].status)}`) : null,
    o.wall_ms ? h("span", { class: "muted" }, ` · ${num(o.wall_ms / 1000, 1)} s`) : null,
    o.reason || o.message ? h("p", { class: "small" }, o.reason ?? o.message) : null,
    compile === "compile_error" || compile === "policy_violation"
      ? diagnosticList(o.diagnostics, (d) => `${d.file}:${d.line}:${d.column}`, onLocate ? (d) => onLocate(d.file, d.line, d.column) : null) : null);
}

/** A whole run, read-only: each cell's code with its output under it (the proctor's report). */
export function runView(run) {
  const history = new DisplayHistory();
  const results = runCellResults(run);
  return h("div", { class: "nb-run", "data-testid": "notebook-run-cells" },
    runSummary(run),
    run.cells.map((code, i) => h("section", { class: "nb-cell read-only", "data-testid": "run-cell", "data-cell": i + 1 },
      h("div", { class: "nb-cell-head" }, h("span", { class: "nb-index mono" }, `[${i + 1}]`), results[i] ? cellBadge(results[i].status) : cellBadge("queued")),
      h("pre", { class: "nb-code" }, code),
      results[i] ? cellOutput(results[i], history) : null)));
}
