// A run's or submission's result as the candidate sees it: progress while it is graded, then the
// verdict, each test with its diagnostics, compiler messages that lead into the editor, and the console.
import { h, lineChart, num, verdictNames } from "../common.js";

/** A one-line status while a run or submission waits or runs. */
export function progress(view, what) {
  if (view.status === "queued") {
    const place = view.queue_position > 1 ? ` (position ${view.queue_position} in the queue)` : "";
    return h("div", { class: "progress", "data-testid": "progress", role: "status" }, h("span", { class: "spinner" }), `${what} queued${place}…`);
  }
  return h("div", { class: "progress", "data-testid": "progress", role: "status" }, h("span", { class: "spinner" }), `${what}: compiling and running the tests…`);
}

/** The finished result; onLocate(file, line, column) jumps to a compiler message. */
export function result(view, onLocate) {
  const accepted = view.verdict === "accepted";
  const label = view.kind === "run" ? "Run (public tests)" : "Submission";
  const passed = view.tests.filter((t) => t.passed).length;
  return h("div", { class: "result", "data-testid": "result", "data-verdict": view.verdict ?? "", "data-kind": view.kind },
    h("div", { class: `verdict ${accepted ? "ok" : "bad"}`, "data-testid": "verdict" },
      h("strong", {}, `${label}: ${verdictNames[view.verdict] ?? view.verdict ?? "no verdict"}`),
      view.tests.length ? h("span", {}, ` — ${passed}/${view.tests.length} tests passed`) : null,
      view.kind !== "run" && view.score !== null ? h("span", {}, ` — score ${num(view.score * 100, 1)}%`) : null,
      view.timings ? h("span", { class: "muted" }, ` · ${num(view.timings.wall_ms / 1000, 1)} s`) : null),
    view.message && !accepted ? h("p", { class: "message" }, view.message) : null,
    view.bugs_fixed ? h("p", { class: "bugs-fixed", "data-testid": "bugs-fixed" },
      `Bugs fixed: ${view.bugs_fixed.titles.length} of ${view.bugs_fixed.total}`,
      view.bugs_fixed.titles.length ? ` (${view.bugs_fixed.titles.join(", ")})` : "") : null,
    compileErrors(view.diagnostics, onLocate),
    view.tests.length ? h("ul", { class: "tests" }, view.tests.map(test)) : null,
    view.console ? h("details", { class: "console" },
      h("summary", {}, "Console output", view.console_truncated ? " (truncated)" : ""),
      h("pre", {}, view.console)) : null);
}

function compileErrors(diagnostics, onLocate) {
  if (!diagnostics?.length) return null;
  return h("ul", { class: "compile-errors" }, diagnostics.map((d) =>
    h("li", {},
      h("button", { type: "button", class: "link", "data-testid": "compile-error", onclick: () => onLocate(d.file, d.line, d.column) },
        `${d.file}:${d.line}:${d.column}`),
      " ", h("code", {}, d.id), " ", d.message)));
}

function test(t) {
  const mark = h("span", { class: `mark ${t.passed ? "ok" : "bad"}`, "aria-label": t.passed ? "passed" : "failed" }, t.passed ? "✔" : "✘");
  const attrs = { class: `test ${t.visibility}`, "data-testid": "test-result", "data-test-id": t.id, "data-passed": String(t.passed) };
  if (t.visibility === "hidden") {
    return h("li", attrs, mark, " ", h("span", {}, t.id), " ", h("span", { class: "badge muted" }, `hidden · ${t.category}`));
  }
  return h("li", attrs,
    mark, " ", h("strong", {}, t.title ?? t.id), " ", h("span", { class: "badge muted" }, t.category),
    t.message ? h("div", { class: "test-message" }, t.message) : null,
    diagnostics(t.diagnostics));
}

function diagnostics(d) {
  if (!d) return null;
  const facts = [
    ["max abs error", d.max_abs_error],
    ["max rel error", d.max_rel_error],
    ["first mismatch at", d.first_mismatch_index ? `(${d.first_mismatch_index.join(", ")})` : null],
    ["got", d.actual],
    ["expected", d.expected],
    ["shape", d.actual_shape ? `(${d.actual_shape.join(", ")})` : null],
    ["expected shape", d.expected_shape ? `(${d.expected_shape.join(", ")})` : null],
  ].filter(([, v]) => v !== null && v !== undefined);
  const curve = d.actual_series && d.expected_series
    ? lineChart([
      { name: "yours", values: d.actual_series.map(Number) },
      { name: "expected", values: d.expected_series.map(Number), className: "expected" },
    ], { width: 300, height: 120, label: "Your values against the expected ones, by index" })
    : null;
  if (!facts.length && !curve) return null;
  return h("div", { class: "diagnostics" },
    facts.length ? h("dl", {}, facts.flatMap(([k, v]) => [h("dt", {}, k), h("dd", { class: "mono" }, num(v, 6))])) : null,
    curve);
}
