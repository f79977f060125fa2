// One assessment: its levels, invites, live sessions and similar fixes.
import { h, fill, clock, timeOfDay, dateTime, num, allItems } from "../common.js";
import { sessionAssessment, poll, adminApi, describe, isAbort, errorBox, loading, empty, go, setTitle, frame, reload } from "./shell.js";
import { noteServerTime, secondsLeft, percent, duration, newestFirst, secondsBetween, candidateName, shortId, slug, statusBadge, download, currentLevelText } from "./format.js";
import { similarityPanel } from "./similarity.js";
import { invitePanel } from "./invites.js";
import { extraTimeButton } from "./extra-time.js";

const SESSIONS_EVERY_MS = 5000;

export async function renderAssessment(s, id) {
  const { body, setCrumbs } = frame([{ label: "Assessments", href: "#/" }, { label: "Assessment" }]);
  setTitle("Assessment");
  fill(body, loading("Loading assessment…"));
  let assessment;
  try {
    assessment = await adminApi(`/api/admin/assessments/${id}`);
  } catch (e) {
    if (s.alive && !isAbort(e)) fill(body, errorBox(e, reload));
    return;
  }
  if (!s.alive) return;
  setCrumbs([{ label: "Assessments", href: "#/" }, { label: assessment.name }]);
  setTitle(assessment.name);

  const compareSlot = h("div", { class: "compare-slot" });
  fill(body,
    assessmentHead(assessment),
    h("div", { class: "row-2" }, invitePanel(s, assessment), levelsPanel(assessment)),
    sessionsPanel(s, assessment),
    similarityPanel(s, assessment, compareSlot),
    compareSlot);
}

function assessmentHead(a) {
  const problem = h("div", { class: "head-problem" });
  const exportButton = (ext, testid) => {
    const button = h("button", {
      type: "button", class: "secondary", "data-testid": testid,
      onclick: async () => {
        button.disabled = true;
        problem.replaceChildren();
        try {
          await download(`/api/admin/assessments/${a.id}/results.${ext}`, `bughunt-${slug(a.name)}-results.${ext}`);
        } catch (e) {
          if (!isAbort(e)) fill(problem, errorBox(`Export failed. ${describe(e)}`));
        } finally {
          button.disabled = false;
        }
      },
    }, `Export ${ext.toUpperCase()}`);
    return button;
  };
  const proctoring = [a.proctoring?.webcam ? "webcam" : null, a.proctoring?.screen ? "screen" : null].filter(Boolean);
  return h("div", { class: "page-head" },
    h("div", {},
      h("h1", { "data-testid": "assessment-name" }, a.name),
      h("div", { class: "meta" },
        h("span", {}, `${a.time_limit_minutes} min`),
        h("span", {}, `${a.levels.length} level${a.levels.length === 1 ? "" : "s"}`),
        h("span", {}, `${a.max_points} points, pass at ${a.pass_points}`),
        h("span", {}, a.hints_allowed ? "Hints allowed" : "No hints"),
        h("span", {}, proctoring.length ? `Proctored: ${proctoring.join(" + ")} snapshots` : "No snapshots"),
        h("span", { class: "muted" }, `Created ${dateTime(a.created_at)}`)),
      a.ai_policy ? h("p", { class: "muted small policy" }, `AI policy: ${a.ai_policy}`) : null),
    h("div", { class: "head-actions" }, h("div", { class: "buttons" }, exportButton("csv", "export-csv"), exportButton("json", "export-json")), problem));
}

function levelsPanel(a) {
  const scale = a.point_scale;
  return h("section", { class: "panel", "data-testid": "levels" },
    h("h2", {}, "Levels"),
    h("ol", { class: "levels" }, a.levels.map((l) =>
      h("li", { "data-testid": "level", "data-level": l.position },
        h("span", { class: "level-pos" }, l.position),
        h("div", { class: "level-main" },
          h("div", { class: "strong" }, l.title),
          h("div", { class: "muted small mono" }, `${l.pack_id}/${l.challenge_id}`)),
        h("div", { class: "level-side" },
          h("div", {}, `${num(l.points * scale)} pts`),
          h("div", { class: "muted small" }, l.pass_threshold >= 1 ? "pass: all tests" : `pass: score ≥ ${percent(l.pass_threshold, 0)}`))))));
}

function sessionsPanel(s, a) {
  const updated = h("span", { class: "muted small", "data-testid": "sessions-updated" }, "");
  const problem = h("div");
  const counts = h("div", { class: "counts" });
  const body = h("div", { class: "table-wrap" }, loading("Loading sessions…"));
  const filter = h("input", { type: "search", class: "filter", placeholder: "Filter by name or e-mail", "aria-label": "Filter sessions by candidate name or e-mail", oninput: () => draw() });
  let sessions = null;

  const draw = () => {
    if (!sessions) return;
    fill(counts, sessionCounts(sessions));
    if (sessions.length === 0) {
      fill(body, empty("No sessions yet — invite candidates above. A session appears when the candidate opens the link.", "sessions-empty"));
      return;
    }
    const q = filter.value.trim().toLowerCase();
    const shown = q ? sessions.filter((x) => [x.candidate, x.email].some((t) => (t ?? "").toLowerCase().includes(q)) || x.id.startsWith(q)) : sessions;
    fill(body, sessionsTable(s, a, shown, refresh), shown.length === 0 ? empty(`No session matches “${filter.value}”.`) : null);
  };

  const refresh = async () => {
    try {
      const list = await allItems(adminApi, `/api/admin/assessments/${a.id}/sessions`);
      if (!s.alive) return;
      for (const x of list) sessionAssessment.set(x.id, { id: a.id, name: a.name });
      noteServerTime(list[0]?.server_time);
      sessions = newestFirst(list);
      problem.replaceChildren();
      draw();
      fill(updated, `Updated ${timeOfDay(new Date().toISOString())} · refreshes every ${SESSIONS_EVERY_MS / 1000} s`);
    } catch (e) {
      if (!s.alive || isAbort(e)) return;
      fill(problem, errorBox(sessions ? `Refresh failed, showing the last data. ${describe(e)}` : e, refresh));
      if (!sessions) body.replaceChildren();
    }
  };
  refresh();
  poll(s, SESSIONS_EVERY_MS, refresh);

  return h("section", { class: "panel", "data-testid": "sessions" },
    h("div", { class: "panel-head" },
      h("h2", {}, "Sessions"), counts,
      h("div", { class: "spacer" }),
      filter, updated,
      h("button", { type: "button", class: "secondary small", onclick: refresh, title: "Refresh now" }, "Refresh")),
    problem, body);
}

function sessionCounts(list) {
  const by = (status) => list.filter((x) => x.status === status).length;
  const flagged = list.filter((x) => x.flags > 0).length;
  const parts = [
    `${list.length} session${list.length === 1 ? "" : "s"}`,
    by("in_progress") ? `${by("in_progress")} in progress` : null,
    by("finished") + by("time_over") ? `${by("finished") + by("time_over")} done` : null,
    list.some((x) => x.passed) ? `${list.filter((x) => x.passed).length} passed` : null,
  ].filter(Boolean);
  return [h("span", { class: "muted small" }, parts.join(" · ")), flagged ? h("span", { class: "badge warn" }, `${flagged} flagged`) : null];
}

function sessionsTable(s, a, list, refresh) {
  const levels = a.levels.length;
  return h("table", { class: "grid clickable sessions", "data-testid": "sessions-table" },
    h("thead", {}, h("tr", {},
      h("th", {}, "Candidate"), h("th", {}, "Status"), h("th", {}, "Level"), h("th", { class: "num" }, "Passed"),
      h("th", { class: "num" }, "Score"), h("th", { class: "num" }, "Submissions"), h("th", { class: "num" }, "Flags"),
      h("th", {}, "Started"), h("th", {}, "Time"), h("th", {}, h("span", { class: "offscreen" }, "Actions")))),
    h("tbody", {}, list.map((x) => {
      const open = () => go(`#/sessions/${x.id}`);
      return h("tr", {
        "data-testid": "session-row", "data-session-id": x.id, "data-status": x.status, tabindex: 0,
        class: x.flags > 0 ? "has-flags" : null,
        onclick: (ev) => { if (!ev.target.closest("a")) open(); },
        onkeydown: (ev) => { if (ev.key === "Enter") open(); },
      },
      h("td", {}, h("a", { href: `#/sessions/${x.id}`, class: "strong", "data-testid": "candidate" }, candidateName(x.candidate)),
        x.email ? h("div", { class: "muted small", "data-testid": "email" }, x.email) : null,
        h("div", { class: "muted small mono" }, shortId(x.id))),
      h("td", {}, statusBadge(x.status)),
      h("td", { "data-testid": "current-level" }, currentLevelText(x, levels)),
      h("td", { class: "num", "data-testid": "levels-passed" }, `${x.levels_passed} / ${levels}`),
      h("td", { class: "num", "data-testid": "score" },
        h("span", { class: "strong" }, num(x.score)), h("span", { class: "muted" }, ` / ${a.max_points}`),
        x.passed ? h("span", { class: "badge ok pass-badge" }, "pass") : null),
      h("td", { class: "num", "data-testid": "submissions" }, x.submissions),
      h("td", { class: "num" }, h("span", { class: `badge ${x.flags > 0 ? "warn filled" : "muted"}`, "data-testid": "flag-count" }, x.flags)),
      h("td", { class: "muted small" }, x.started_at ? dateTime(x.started_at) : "—"),
      h("td", { class: "small", "data-testid": "time" }, timeText(x),
        x.extra_minutes ? h("div", { class: "muted small", "data-testid": "extra-minutes" }, `+${x.extra_minutes} min extra`) : null),
      h("td", { class: "actions-cell" }, x.status === "in_progress" ? extraTimeButton(s, x, refresh) : null));
    })));
}

function timeText(x) {
  if (x.status === "in_progress" && x.deadline) return h("span", { class: "live" }, `${clock(secondsLeft(x.deadline))} left`);
  if (x.status === "finished" && x.started_at && x.finished_at) return `took ${duration(secondsBetween(x.started_at, x.finished_at))}`;
  if (x.status === "time_over") return h("span", { class: "warn" }, "time over");
  return h("span", { class: "muted" }, "—");
}
