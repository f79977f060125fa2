// The report's integrity timeline. What is large or long is the server's rule, served with the report.
// Notebook runs sit among the submissions and open to show each cell's code and output.
import { h, fill, clock, timeOfDay } from "../common.js";
import { runView, runCellResults, outcomeText, enumName } from "../notebook-view.js";
import { empty } from "./shell.js";
import { integer, percent, duration, secondsBetween, verdictText, verdictClass, kindLabel, capitalise } from "./format.js";
import { openViewer } from "./snapshots.js";

const EVENT_LABELS = {
  tab_hidden: "Tab hidden",
  tab_visible: "Tab visible again",
  window_blur: "Window lost focus",
  window_focus: "Window focused again",
  fullscreen_exit: "Left full screen",
};

/** Integrity events, snapshots and submissions in time order, with absence lengths paired up. */
function timelineEntries(report) {
  const thresholds = report.flag_thresholds;
  const entries = [];
  const open = { tab_hidden: null, window_blur: null };
  const closes = { tab_visible: "tab_hidden", window_focus: "window_blur" };
  for (const e of report.integrity_events) {
    const entry = { at: e.at, kind: e.kind, group: "integrity", level: e.level, label: eventLabel(e), severity: eventSeverity(e, thresholds) };
    if (e.kind in open) {
      open[e.kind] ??= entry;
    } else if (closes[e.kind] && open[closes[e.kind]]) {
      const start = open[closes[e.kind]];
      const away = secondsBetween(start.at, e.at);
      start.detail = `away ${duration(away)}`;
      entry.detail = `after ${duration(away)}`;
      if (away >= thresholds.long_absence_seconds) start.severity = entry.severity = "bad";
      open[closes[e.kind]] = null;
    }
    entries.push(entry);
  }
  for (const entry of Object.values(open)) if (entry) entry.detail = "no return recorded";
  for (const snap of report.snapshots) {
    entries.push({ at: snap.at, kind: "snapshot", group: "snapshots", label: `${snap.kind === "screen" ? "Screen" : "Webcam"} snapshot`, severity: "muted", snapshot: snap });
  }
  for (const sub of report.submissions) {
    const score = sub.status === "done" && sub.score !== null && sub.score !== undefined ? ` ${percent(sub.score, 0)}` : "";
    entries.push({
      at: sub.created_at, kind: "submission", group: "submissions", level: sub.level, submission: sub,
      label: `${kindLabel(sub)} — level ${sub.level ?? "?"} — ${verdictText(sub)}${score}`,
      severity: verdictClass(sub),
    });
  }
  for (const run of report.notebook_runs ?? []) {
    entries.push({ at: run.created_at, kind: "notebook_run", group: "notebooks", level: run.level, run, label: notebookLabel(run), severity: run.status === "done" ? "info" : "muted" });
  }
  const order = { integrity: 0, snapshots: 1, submissions: 2, notebooks: 3 };
  return entries
    .map((entry, i) => ({ entry, i, t: new Date(entry.at).getTime() }))
    .sort((x, y) => x.t - y.t || order[x.entry.group] - order[y.entry.group] || x.i - y.i)
    .map((x) => x.entry);
}

const FAILED_CELL = { exception: "threw", compile_error: "does not compile", policy_violation: "breaks a rule", output_limit: "printed too much", interrupted: "was interrupted" };

/** "Notebook run — level 1 — 5 cells — completed, cell 5 threw" */
function notebookLabel(run) {
  const n = run.cells.length;
  const head = `Notebook run — level ${run.level} — ${n} cell${n === 1 ? "" : "s"}`;
  if (run.status !== "done") return `${head} — ${run.status}`;
  const results = runCellResults(run);
  const failed = results.findIndex((r) => r && FAILED_CELL[enumName(r.status)]);
  return `${head} — ${outcomeText(run)}${failed >= 0 ? `, cell ${failed + 1} ${FAILED_CELL[enumName(results[failed].status)]}` : ""}`;
}

function eventLabel(e) {
  if (e.kind === "paste") return e.size === null || e.size === undefined ? "Pasted text" : `Pasted ${integer.format(e.size)} characters`;
  if (e.kind === "copy") return e.size === null || e.size === undefined ? "Copied text" : `Copied ${integer.format(e.size)} characters`;
  return EVENT_LABELS[e.kind] ?? capitalise(e.kind.replaceAll("_", " "));
}

/** How loud an event is drawn; what is large or long is the server's rule, served with the report. */
function eventSeverity(e, thresholds) {
  switch (e.kind) {
    case "paste":
      return (e.size ?? 0) >= thresholds.large_paste_chars ? "bad" : "warn";
    case "tab_hidden":
    case "window_blur":
    case "fullscreen_exit":
      return "warn";
    case "copy":
      return "info";
    default:
      return "muted";
  }
}

const TIMELINE_FILTERS = [
  { id: "all", label: "All" },
  { id: "integrity", label: "Integrity" },
  { id: "submissions", label: "Submissions" },
  { id: "snapshots", label: "Snapshots" },
  { id: "notebooks", label: "Notebook" },
];

export function drawTimeline(view) {
  const report = view.report;
  const entries = timelineEntries(report);
  const started = report.session.started_at;
  const count = (group) => (group === "all" ? entries.length : entries.filter((x) => x.group === group).length);
  const list = h("ol", { class: "timeline", "data-testid": "timeline" }, entries.map((x) => timelineItem(view, x, started)));
  const applyFilter = () => {
    for (const li of list.children) li.hidden = view.filter !== "all" && li.dataset.group !== view.filter;
  };
  const chips = h("div", { class: "chips", role: "group", "aria-label": "Show" }, TIMELINE_FILTERS.map((f) =>
    h("button", {
      type: "button", class: `chip${view.filter === f.id ? " active" : ""}`, "aria-pressed": String(view.filter === f.id), "data-filter": f.id,
      onclick: (ev) => {
        view.filter = f.id;
        for (const b of chips.children) {
          b.classList.toggle("active", b === ev.currentTarget);
          b.setAttribute("aria-pressed", String(b === ev.currentTarget));
        }
        applyFilter();
      },
    }, `${f.label} ${count(f.id)}`)));
  applyFilter();
  fill(view.sections.timeline,
    h("div", { class: "panel-head" }, h("h2", {}, "Timeline"), h("div", { class: "spacer" }), chips),
    entries.length === 0 ? empty("Nothing recorded yet: no integrity events, snapshots, submissions or notebook runs.", "timeline-empty") : null,
    list);
}

function timelineItem(view, x, started) {
  const elapsed = started ? secondsBetween(started, x.at) : null;
  const attrs = {
    class: `tl-entry sev-${x.severity}${x.submission?.kind === "run" ? " run" : ""}`,
    "data-testid": "timeline-entry", "data-kind": x.kind, "data-group": x.group, "data-severity": x.severity,
  };
  if (x.snapshot) attrs["data-snapshot-kind"] = x.snapshot.kind;
  if (x.submission) attrs["data-submission-kind"] = x.submission.kind;
  const open = x.run ? view.expanded.has(x.run.id) : false;
  if (x.run) {
    attrs["data-run-id"] = x.run.id;
    attrs["data-outcome"] = x.run.outcome ? enumName(x.run.outcome.outcome) : "";
  }
  const label = x.run
    ? h("button", { type: "button", class: "link-button tl-open", "aria-expanded": String(open), "data-testid": "open-notebook-run", onclick: () => {
      if (view.expanded.has(x.run.id)) view.expanded.delete(x.run.id);
      else view.expanded.add(x.run.id);
      drawTimeline(view);
    } }, open ? "▾ " : "▸ ", x.label)
    : x.label;
  return h("li", attrs,
    h("time", { datetime: x.at, class: "tl-time mono" }, timeOfDay(x.at)),
    h("span", { class: "tl-elapsed mono muted" }, elapsed === null ? "" : elapsed >= 0 ? `+${clock(elapsed)}` : `−${clock(-elapsed)}`),
    h("span", { class: "tl-dot", "aria-hidden": "true" }),
    h("span", { class: "tl-label" }, label, x.detail ? h("span", { class: "tl-detail" }, ` — ${x.detail}`) : null),
    x.snapshot ? view.images.thumb(x.snapshot, () => openViewer(view, x.snapshot.id)) : null,
    h("span", { class: "tl-level muted small" }, x.level ? `L${x.level}` : ""),
    open ? h("div", { class: "tl-details" }, runView(x.run)) : null);
}
