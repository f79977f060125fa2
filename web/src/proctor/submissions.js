// The report's submissions with their verdicts.
import { h, fill, timeOfDay, num } from "../common.js";
import { empty } from "./shell.js";
import { percent, duration, newestFirst, secondsBetween, verdictText, verdictClass } from "./format.js";

export function drawSubmissions(view) {
  const subs = newestFirst(view.report.submissions);
  const rows = subs.flatMap((sub) => {
    const open = view.expanded.has(sub.id);
    const toggle = () => {
      if (view.expanded.has(sub.id)) view.expanded.delete(sub.id);
      else view.expanded.add(sub.id);
      drawSubmissions(view);
      view.sections.submissions.querySelector(`[data-toggle-for="${sub.id}"]`)?.focus();
    };
    const detailsId = `submission-details-${sub.id}`;
    const passed = sub.tests.filter((t) => t.passed).length;
    const took = sub.finished_at ? duration(secondsBetween(sub.created_at, sub.finished_at)) : "—";
    return [
      h("tr", {
        "data-testid": "submission-row", "data-submission-id": sub.id, "data-kind": sub.kind, "data-status": sub.status, "data-verdict": sub.verdict ?? "",
        class: open ? "open" : null, onclick: toggle,
      },
      h("td", { class: "mono small" }, timeOfDay(sub.created_at)),
      h("td", {}, h("span", { class: `badge ${sub.kind === "run" ? "muted" : "accent"}` }, sub.kind === "run" ? "run" : "submission")),
      h("td", {}, sub.level ? `Level ${sub.level}` : "—"),
      h("td", {}, sub.status),
      h("td", {}, h("span", { class: verdictClass(sub) }, sub.status === "done" ? verdictText(sub) : "—")),
      h("td", { class: "num strong" }, sub.score === null || sub.score === undefined ? "—" : percent(sub.score, 0)),
      h("td", { class: "num" }, sub.tests.length ? `${passed} / ${sub.tests.length}` : "—"),
      h("td", { class: "num muted" }, took),
      // The row's click (it bubbles from here) toggles; the button is what the keyboard and a screen reader use.
      h("td", {}, h("button", {
        type: "button", class: "link-button small", "aria-expanded": String(open), "aria-controls": open ? detailsId : null,
        "data-toggle-for": sub.id, "data-testid": "toggle-submission",
      }, open ? "▾ Hide" : "▸ Details"))),
      open ? h("tr", { class: "details-row", id: detailsId }, h("td", { colspan: 9 }, submissionDetails(sub))) : null,
    ];
  });
  fill(view.sections.submissions,
    h("div", { class: "panel-head" }, h("h2", {}, "Runs and submissions ", h("span", { class: "badge muted" }, subs.length)), h("span", { class: "muted small" }, "Click a row for tests and messages.")),
    subs.length === 0 ? empty("No runs or submissions yet.", "submissions-empty")
      : h("div", { class: "table-wrap" }, h("table", { class: "grid clickable" },
        h("thead", {}, h("tr", {}, h("th", {}, "Time"), h("th", {}, "Kind"), h("th", {}, "Level"), h("th", {}, "Status"), h("th", {}, "Verdict"),
          h("th", { class: "num" }, "Score"), h("th", { class: "num" }, "Tests"), h("th", { class: "num" }, "Took"), h("th", {}, h("span", { class: "offscreen" }, "Details")))),
        h("tbody", {}, rows))));
}

function submissionDetails(sub) {
  return h("div", { class: "sub-details" },
    sub.message ? h("p", {}, sub.message) : null,
    sub.detail ? h("details", {}, h("summary", { class: "small" }, "Detail (staff only: hidden tests, crash output)"), h("pre", { class: "console", "data-testid": "submission-detail" }, sub.detail)) : null,
    sub.seeds ? h("p", { class: "muted small mono" }, `seeds: public ${sub.seeds.public}, hidden ${sub.seeds.hidden} (bughunt grade --seed ${sub.seeds.hidden})`) : null,
    sub.diagnostics?.length ? h("ul", { class: "diagnostics mono small" }, sub.diagnostics.map((d) =>
      h("li", {}, `${d.file}:${d.line}:${d.column} ${d.id} ${d.message}`))) : null,
    sub.tests.length ? h("ul", { class: "tests" }, sub.tests.map((t) =>
      h("li", { class: t.passed ? "ok" : "bad" }, t.passed ? "✓ " : "✗ ",
        h("span", {}, t.title ?? t.id), h("span", { class: "muted" }, ` · ${t.visibility} · ${t.category}`),
        t.message && !t.passed ? h("div", { class: "small muted" }, t.message) : null))) : null,
    sub.console ? h("details", {}, h("summary", { class: "small" }, `Console output${sub.console_truncated ? " (truncated)" : ""}`), h("pre", { class: "console" }, sub.console)) : null,
    sub.timings ? h("p", { class: "muted small" }, `compile ${num(sub.timings.compile_ms, 0)} ms · run ${num(sub.timings.runner_ms, 0)} ms · wall ${num(sub.timings.wall_ms, 0)} ms`) : null,
    h("p", { class: "muted small mono" }, `id ${sub.id}`));
}
