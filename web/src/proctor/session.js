// A candidate report: summary, flags, levels, hints, with the timeline, submissions and snapshots.
import { h, fill, ApiError, clock, timeOfDay, dateTime, num, barChart, allItems } from "../common.js";
import { sessionAssessment, poll, every, adminApi, describe, isAbort, errorBox, loading, setTitle, frame, reload } from "./shell.js";
import { noteServerTime, secondsLeft, percent, duration, secondsBetween, candidateName, statusBadge, capitalise, currentLevelText } from "./format.js";
import { drawTimeline } from "./timeline.js";
import { drawSubmissions } from "./submissions.js";
import { snapshotImages, drawSnapshots } from "./snapshots.js";

const REPORT_EVERY_MS = 10000;

export async function renderSession(s, id) {
  const crumbs = (owner, label) => [{ label: "Assessments", href: "#/" }, owner ? { label: owner.name, href: `#/assessments/${owner.id}` } : null, { label }].filter(Boolean);
  const { body, setCrumbs } = frame(crumbs(sessionAssessment.get(id), "Session"));
  setTitle("Session");
  fill(body, loading("Loading the candidate report…"));

  const view = {
    id,
    report: null,
    expanded: new Set(),
    filter: "all",
    images: snapshotImages(s, id),
    owner: sessionAssessment.get(id) ?? null,
    similarityFlags: null,
    sections: null,
  };

  const firstDraw = () => {
    view.sections = sessionSections(s);
    fill(body, view.sections.root);
    every(s, 1000, () => tickRemaining(view));
    loadSimilarityFlags(s, view);
  };

  // Returns whether to keep refreshing: while the session runs or grading is pending.
  const load = async () => {
    try {
      const report = await adminApi(`/api/admin/sessions/${id}/report`);
      if (!s.alive) return false;
      view.report = report;
      noteServerTime(report.session.server_time);
      view.owner = { id: report.session.assessment_id, name: report.session.assessment };
      sessionAssessment.set(id, view.owner);
      if (!view.sections) firstDraw();
      setCrumbs(crumbs(view.owner, candidateName(report.session.candidate)));
      setTitle(candidateName(report.session.candidate));
      drawSession(view);
      view.sections.problem.replaceChildren();
      return stillRunning(report);
    } catch (e) {
      if (!s.alive || isAbort(e)) return false;
      if (!view.sections) {
        fill(body, errorBox(e, reload));
        return !(e instanceof ApiError && e.status === 404); // a transient failure retries by itself
      }
      fill(view.sections.problem, errorBox(`Refresh failed, showing the last data. ${describe(e)}`, load));
      return true;
    }
  };

  if (await load()) poll(s, REPORT_EVERY_MS, load);
}

function stillRunning(report) {
  const st = report.session.status;
  return st === "in_progress" || st === "not_started" || report.submissions.some((x) => x.status !== "done");
}

/** Flagged similar pairs involving this session, with links to the other candidate (the report's flags say the same in words). */
async function loadSimilarityFlags(s, view) {
  const found = [];
  for (const level of view.report.score.levels) {
    try {
      const pairs = await allItems(adminApi, `/api/admin/assessments/${view.owner.id}/levels/${level.position}/similarity`);
      for (const p of pairs.filter((x) => x.flagged && (x.session_a === view.id || x.session_b === view.id))) {
        const other = p.session_a === view.id ? { id: p.session_b, name: p.candidate_b } : { id: p.session_a, name: p.candidate_a };
        found.push({ level: level.position, other, score: p.score });
      }
    } catch {
      if (!s.alive) return;
    }
  }
  if (!s.alive) return;
  view.similarityFlags = found;
  drawFlags(view);
  drawSummary(view);
}

function sessionSections(s) {
  const el = (cls, testid) => h("div", { class: cls, "data-testid": testid });
  const sec = {
    problem: h("div", { class: "refresh-problem" }),
    summary: el("panel summary", "summary"),
    flags: el("panel", "flags-panel"),
    levels: el("panel", "levels-report"),
    hints: el("panel", "hints"),
    notes: el("panel", "notes-panel"),
    bugs: el("panel", "bugs-panel"),
    timeline: el("panel timeline-panel", "timeline-panel"),
    submissions: el("panel flush-table", "submissions"),
    snapshots: el("panel", "snapshots"),
  };
  sec.root = h("div", { class: "session-page" },
    sec.problem,
    sec.summary,
    h("div", { class: "row-report" },
      h("div", { class: "col" }, sec.flags, sec.levels, sec.bugs, sec.notes, sec.hints),
      h("div", { class: "col" }, sec.timeline)),
    sec.submissions,
    sec.snapshots);
  s.defer(() => {
    for (const d of document.querySelectorAll("dialog.viewer")) d.remove();
  });
  return sec;
}

function drawSession(view) {
  // Redrawing replaces content in place; keep the reader where they were.
  const y = window.scrollY;
  const list = view.sections.timeline.querySelector(".timeline");
  const listScroll = list?.scrollTop ?? 0;
  drawSummary(view);
  drawFlags(view);
  drawLevels(view);
  drawBugs(view);
  drawNotes(view);
  drawHints(view);
  drawTimeline(view);
  drawSubmissions(view);
  drawSnapshots(view);
  const newList = view.sections.timeline.querySelector(".timeline");
  if (newList) newList.scrollTop = listScroll;
  if (window.scrollY !== y) window.scrollTo(0, y);
}

function stat(label, value, extra, testid) {
  return h("div", { class: "stat-tile", "data-testid": testid }, h("div", { class: "stat-label" }, label), h("div", { class: "stat-value" }, value), extra ? h("div", { class: "stat-extra" }, extra) : null);
}

function drawSummary(view) {
  const { session, score } = view.report;
  const levels = score.levels.length;
  const running = session.status === "in_progress";
  const finalResult = session.status === "finished" || session.status === "time_over";
  const passBadge = session.passed
    ? h("span", { class: "badge ok filled", "data-testid": "passed" }, "Passed")
    : h("span", { class: `badge ${finalResult ? "bad filled" : "muted"}`, "data-testid": "passed" }, finalResult ? "Not passed" : "Below the bar so far");
  const runs = view.report.submissions.filter((x) => x.kind === "run").length;
  const end = session.finished_at
    ? stat("Finished", dateTime(session.finished_at), session.started_at ? `took ${duration(secondsBetween(session.started_at, session.finished_at))}` : null, "finished")
    : stat("Deadline", session.deadline ? dateTime(session.deadline) : "—",
      running ? h("span", { class: "live", "data-testid": "time-left" }, "") : session.status === "time_over" ? h("span", { class: "warn" }, "time is over") : null, "deadline");
  fill(view.sections.summary,
    h("div", { class: "summary-head" },
      h("div", {},
        h("h1", { "data-testid": "candidate-name" }, candidateName(session.candidate)),
        h("div", { class: "meta" }, statusBadge(session.status),
          session.email ? h("span", { class: "small", "data-testid": "candidate-email" }, session.email) : null,
          h("span", { class: "muted small mono" }, `session ${session.id}`),
          view.owner ? h("a", { href: `#/assessments/${view.owner.id}`, class: "small" }, view.owner.name) : null)),
      h("div", { class: "score-big", "data-testid": "session-score" },
        h("span", { class: "score-value" }, num(score.total)), h("span", { class: "muted" }, ` / ${score.max_points}`),
        h("div", { class: "small muted" }, `pass bar ${score.pass_points} `, passBadge))),
    h("div", { class: "stat-tiles" },
      stat("Started", session.started_at ? dateTime(session.started_at) : "Not started", `invited ${dateTime(session.created_at)}`, "started"),
      end,
      stat("Current level", session.current_level ? `Level ${session.current_level} of ${levels}` : currentLevelText(session, levels), null, "session-level"),
      stat("Levels passed", `${session.levels_passed} / ${levels}`, null, "session-levels-passed"),
      stat("Submissions", String(session.submissions), runs ? `${runs} run${runs === 1 ? "" : "s"} included` : null, "session-submissions"),
      stat("Flags", h("span", { class: `badge ${session.flags > 0 ? "warn filled" : "ok"}` }, session.flags),
        null, "session-flags"),
      session.extra_minutes ? extraTimeTile(session, view.report.time_grants) : null));
  tickRemaining(view);
}

/** Extra time in all, and each grant staff gave with its reason (the rest came with the invite). */
function extraTimeTile(session, grants) {
  const granted = grants.reduce((sum, g) => sum + g.minutes, 0);
  const fromInvite = session.extra_minutes - granted;
  return stat("Extra time", `+${session.extra_minutes} min`,
    h("ul", { class: "grants" },
      fromInvite > 0 ? h("li", {}, `${fromInvite} min with the invite`) : null,
      grants.map((g) => h("li", { "data-testid": "time-grant" }, `${g.minutes} min at ${timeOfDay(g.granted_at)}: ${g.reason}`))),
    "extra-time");
}

function tickRemaining(view) {
  const el = view.sections?.summary.querySelector("[data-testid=time-left]");
  const deadline = view.report?.session.deadline;
  if (el && deadline) el.textContent = `${clock(secondsLeft(deadline))} left`;
}

function drawFlags(view) {
  // Similar fixes are drawn with links once their pairs are loaded; until then, as the report words them.
  const similar = view.similarityFlags ?? [];
  const flags = view.similarityFlags ? view.report.flags.filter((f) => !f.startsWith("high similarity:")) : view.report.flags;
  const total = flags.length + similar.length;
  fill(view.sections.flags,
    h("h2", {}, "Flags ", h("span", { class: `badge ${total ? "warn filled" : "ok"}` }, total)),
    total === 0
      ? h("p", { class: "ok small", "data-testid": "no-flags" }, "Nothing flagged: no large pastes, long absences or highly similar fixes.")
      : h("ul", { class: "flag-list" },
        flags.map((f) => h("li", { "data-testid": "flag", class: "flag" }, h("span", { class: "flag-icon", "aria-hidden": "true" }, "⚑"), capitalise(f))),
        similar.map((f) => h("li", { "data-testid": "similarity-flag", class: "flag" }, h("span", { class: "flag-icon", "aria-hidden": "true" }, "⚑"),
          `High similarity on level ${f.level}: ${percent(f.score)} alike with `, h("a", { href: `#/sessions/${f.other.id}` }, candidateName(f.other.name))))),
    view.similarityFlags === null && view.owner ? h("p", { class: "muted small" }, "Checking similar fixes…") : null);
}

function drawLevels(view) {
  const { score } = view.report;
  const scale = score.point_scale;
  const maxMinutes = Math.max(1, ...score.levels.map((l) => l.minutes ?? 0));
  const stateClass = (l) => (l.state === "passed" ? "ok" : l.state === "unlocked" ? "" : "muted");
  const label = (l) => `${l.position}. ${l.title}`;
  fill(view.sections.levels,
    h("h2", {}, "Levels"),
    h("div", { class: "charts", "data-testid": "level-charts" },
      barChart(score.levels.map((l) => ({
        label: label(l), value: l.minutes ?? 0, max: maxMinutes, className: stateClass(l),
        text: l.minutes === null || l.minutes === undefined ? "—" : `${num(l.minutes, 1)} min`,
      })), { width: 380, title: "Time per level (minutes)" }),
      barChart(score.levels.map((l) => ({
        label: label(l), value: l.earned, max: l.points * scale, className: stateClass(l),
        text: `${num(l.earned, 1)}/${num(l.points * scale, 1)}`,
      })), { width: 380, title: "Score per level (earned of possible)" })),
    h("div", { class: "table-wrap" }, h("table", { class: "grid compact" },
      h("thead", {}, h("tr", {}, h("th", {}, "Level"), h("th", {}, "State"), h("th", { class: "num" }, "Attempts"),
        h("th", { class: "num" }, "Best"), h("th", { class: "num" }, "Hints"), h("th", { class: "num" }, "Earned"), h("th", { class: "num" }, "Time"))),
      h("tbody", {}, score.levels.map((l) => h("tr", { "data-testid": "level-row", "data-level": l.position },
        h("td", {}, label(l)),
        h("td", {}, h("span", { class: `badge ${l.state === "passed" ? "ok" : l.state === "locked" ? "muted" : "accent"}` }, l.state)),
        h("td", { class: "num" }, l.attempts),
        h("td", { class: "num" }, l.state === "locked" && !l.attempts ? "—" : percent(l.best_score, 0)),
        h("td", { class: "num" }, l.hint_cost ? h("span", { class: "warn" }, `−${num(l.hint_cost, 1)}`) : "—"),
        h("td", { class: "num strong" }, num(l.earned, 1)),
        h("td", { class: "num" }, l.minutes === null || l.minutes === undefined ? "—" : `${num(l.minutes, 1)} min`)))))));
}

/**
 * Planted bugs found by fault class (the taxonomy of real deep-learning faults), then every bug
 * with its level and whether the counted submission fixed it. Staff read this; candidates never do.
 */
function drawBugs(view) {
  const classes = view.report.bugs_by_class ?? [];
  const bugs = view.report.bugs ?? [];
  const found = bugs.filter((b) => b.found).length;
  fill(view.sections.bugs,
    h("h2", {}, "Bugs found by class ", h("span", { class: "badge muted" }, `${found} of ${bugs.length}`)),
    bugs.length === 0 ? h("p", { class: "muted small" }, "No planted bugs in these levels.")
      : [h("div", { class: "table-wrap" }, h("table", { class: "grid compact" },
        h("thead", {}, h("tr", {}, h("th", {}, "Fault class"), h("th", { class: "num" }, "Found"), h("th", { class: "num" }, "Planted"))),
        h("tbody", {}, classes.map((c) => h("tr", { "data-testid": "bug-class", "data-class": c.fault_class },
          h("td", {}, c.name), h("td", { class: "num strong" }, c.found), h("td", { class: "num" }, c.planted)))))),
      h("details", { class: "bug-list" },
        h("summary", {}, "Every planted bug"),
        h("div", { class: "table-wrap" }, h("table", { class: "grid compact" },
          h("thead", {}, h("tr", {}, h("th", {}, "Level"), h("th", {}, "Bug"), h("th", {}, "Class"), h("th", {}, "Found"))),
          h("tbody", {}, bugs.map((b) => h("tr", { "data-testid": "bug-finding", "data-found": b.found },
            h("td", {}, b.level), h("td", {}, b.title ?? b.summary, b.mirrors ? h("div", { class: "muted small" }, `mirrors: ${b.mirrors}`) : null),
            h("td", { class: "mono small" }, b.fault_class ?? "—"),
            h("td", {}, h("span", { class: `badge ${b.found ? "ok" : "muted"}` }, b.found ? "found" : "not found"))))))))]);
}

/** The candidate's notes for the reviewer, per level, as they wrote them. */
function drawNotes(view) {
  const notes = view.report.notes ?? {};
  const levels = view.report.score.levels.filter((l) => notes[l.position]?.trim());
  const runs = (view.report.notebook_runs ?? []).length;
  fill(view.sections.notes,
    h("h2", {}, "Notes for the reviewer ", h("span", { class: "badge muted" }, levels.length)),
    levels.length === 0 ? h("p", { class: "muted small" }, "The candidate left no notes.")
      : levels.map((l) => h("section", { class: "level-notes", "data-testid": "level-notes", "data-level": l.position },
        h("h3", {}, `${l.position}. ${l.title}`), h("p", { class: "notes-text" }, notes[l.position]))),
    h("p", { class: "muted small" }, runs ? `${runs} notebook run${runs === 1 ? "" : "s"} on the timeline: open one for its cells and outputs.` : "No notebook runs."));
}

function drawHints(view) {
  const { hints, score } = view.report;
  // Reveals carry the level's own points; everything else shows points scaled to the assessment's maximum.
  const scale = score.point_scale;
  fill(view.sections.hints,
    h("h2", {}, "Hints revealed ", h("span", { class: "badge muted" }, hints.length)),
    hints.length === 0 ? h("p", { class: "muted small" }, "No hints revealed.")
      : h("div", { class: "table-wrap" }, h("table", { class: "grid compact" },
        h("thead", {}, h("tr", {}, h("th", {}, "Time"), h("th", {}, "Level"), h("th", {}, "Hint"), h("th", { class: "num" }, "Cost"))),
        h("tbody", {}, hints.map((x) => h("tr", { "data-testid": "hint" },
          h("td", {}, timeOfDay(x.revealed_at)), h("td", {}, `Level ${x.position}`), h("td", { class: "mono" }, x.hint_id),
          h("td", { class: "num warn" }, `−${num(x.cost_points * scale, 1)} pts`)))))));
}
