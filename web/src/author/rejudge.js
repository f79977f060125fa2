// A rejudge: the submissions of one version graded again against another, followed until all are
// graded, then the diff (whose verdict or score would change) that a recruiter applies or discards.
import { h, fill, ApiError, confirmDialog, dateTime } from "../common.js";
import { adminApi, poll, describe, isAbort, errorBox, loading, empty, go, setTitle, frame, reload } from "../proctor/shell.js";
import { percent, candidateName } from "../proctor/format.js";
import { verdictLabel, isAccepted, whoAmI, authorHref, idTail } from "./format.js";

const REJUDGE_EVERY_MS = 1500;

/** Who decides a rejudge: the server refuses anyone else (apply and discard need the recruiter role; admins pass everywhere). */
const DECIDERS = ["recruiter", "admin"];

function stateBadge(r) {
  const cls = r.state === "applied" ? "ok filled" : r.state === "discarded" ? "muted" : r.complete ? "accent" : "status-live";
  const label = r.state === "pending" && !r.complete ? "grading" : r.state;
  return h("span", { class: `badge status ${cls}`, "data-testid": "rejudge-state", "data-state": r.state }, label);
}

export function rejudgesTable(list) {
  return h("div", { class: "table-wrap" }, h("table", { class: "grid clickable compact", "data-testid": "rejudges" },
    h("thead", {}, h("tr", {}, h("th", {}, "Challenge"), h("th", {}, "Requested"), h("th", {}, "State"), h("th", { class: "num" }, "Graded"), h("th", { class: "num" }, "Changes"))),
    h("tbody", {}, list.map((r) => {
      const href = authorHref("rejudges", r.id);
      return h("tr", {
        "data-testid": "rejudge-row", "data-rejudge-id": r.id, tabindex: 0,
        onclick: (ev) => { if (!ev.target.closest("a")) go(href); },
        onkeydown: (ev) => { if (ev.key === "Enter") go(href); },
      },
      h("td", {}, h("a", { href, class: "mono strong" }, `${r.pack}/${r.challenge}`)),
      h("td", { class: "muted" }, dateTime(r.requested_at), ` by ${r.requested_by}`),
      h("td", {}, stateBadge(r)),
      h("td", { class: "num" }, `${r.graded} / ${r.total}`),
      h("td", { class: "num" }, r.complete ? r.changes.length : "—"));
    }))));
}

export async function renderRejudge(s, id) {
  const crumbs = (r) => [{ label: "Packs", href: "#/" }, r ? { label: r.pack, href: authorHref("packs", r.pack) } : null, { label: `Rejudge ${idTail(id)}` }].filter(Boolean);
  const { body, setCrumbs } = frame(crumbs(null));
  setTitle("Rejudge");
  fill(body, loading("Loading the rejudge…"));
  const view = { rejudge: null, me: null, versions: new Map(), head: h("div", { class: "page-head" }), progress: h("section", { class: "panel" }), changes: h("section", { class: "panel flush" }), decision: h("section", { class: "panel", "data-testid": "decision" }), problem: h("div", { "aria-live": "polite" }) };
  try {
    view.me = await whoAmI();
  } catch {
    view.me = { role: "" };
  }
  const draw = () => {
    setCrumbs(crumbs(view.rejudge));
    drawRejudge(s, view, draw);
  };
  const load = async () => {
    try {
      const r = await adminApi(`/api/admin/rejudges/${id}`);
      if (!s.alive) return false;
      const first = !view.rejudge;
      view.rejudge = r;
      if (first) {
        fill(body, view.head, view.problem, view.progress, view.changes, view.decision);
        loadVersions(s, view, r.pack, draw);
      }
      view.problem.replaceChildren();
      draw();
      return !r.complete;
    } catch (e) {
      if (!s.alive || isAbort(e)) return false;
      if (!view.rejudge) {
        fill(body, errorBox(e, reload));
        return !(e instanceof ApiError && e.status >= 400 && e.status < 500);
      }
      fill(view.problem, errorBox(`Refresh failed, showing the last data. ${describe(e)}`, load));
      return true;
    }
  };
  if (await load()) poll(s, REJUDGE_EVERY_MS, load);
}

/** The versions' content hashes and dates, from the pack (authors may read it; for anyone else the ids' tails name them). */
async function loadVersions(s, view, pack, draw) {
  try {
    const detail = await adminApi(`/api/admin/packs/${encodeURIComponent(pack)}`);
    if (!s.alive) return;
    for (const c of detail.challenges) for (const v of c.versions) view.versions.set(v.id, v);
    draw();
  } catch {
    /* the ids' tails stay */
  }
}

function drawRejudge(s, view, draw) {
  const r = view.rejudge;
  setTitle(`Rejudge of ${r.challenge}`);
  const hashes = { [r.from_version_id]: r.from_content_hash, [r.to_version_id]: r.to_content_hash };
  const version = (versionId) => {
    const known = view.versions.get(versionId);
    const hash = known?.content_hash ?? hashes[versionId];
    return h("a", { href: authorHref("packs", r.pack, r.challenge, versionId), class: "mono", "data-testid": "rejudge-version", title: versionId },
      hash ? hash.slice(0, 12) : idTail(versionId),
      known ? h("span", { class: "muted" }, ` (${dateTime(known.imported_at)}${known.latest ? ", latest" : ""})`) : null);
  };
  fill(view.head,
    h("div", {},
      h("h1", {}, "Rejudge of ", h("span", { class: "mono" }, `${r.pack}/${r.challenge}`), " ", stateBadge(r)),
      h("p", {}, "Submissions of version ", version(r.from_version_id), " graded again against version ", version(r.to_version_id), "."),
      h("div", { class: "meta" },
        h("span", {}, `requested ${dateTime(r.requested_at)} by ${r.requested_by}`),
        r.decided_at ? h("span", {}, `${r.state} ${dateTime(r.decided_at)} by ${r.decided_by}`) : null)));

  const tile = (label, value, testid, cls = "") => h("div", { class: "stat-tile" }, h("div", { class: "stat-label" }, label), h("div", { class: `stat-value ${cls}`, "data-testid": testid }, value));
  fill(view.progress,
    h("h2", {}, r.complete ? "Graded" : "Grading…"),
    h("label", { class: "progress-label", for: "rejudge-progress" }, `${r.graded} of ${r.total} submissions graded again`),
    h("progress", { id: "rejudge-progress", max: Math.max(1, r.total), value: r.graded, "data-testid": "rejudge-progress" }),
    h("div", { class: "stat-tiles" },
      tile("Would change", r.complete ? r.changes.length : `${r.changes.length} so far`, "changed-count", r.changes.length ? "warn" : ""),
      tile("Unchanged", r.unchanged, "unchanged-count"),
      tile("Could not grade", r.could_not_grade, "could-not-grade-count", r.could_not_grade ? "bad" : ""),
      tile("Submissions", r.total, "total-count")),
    r.could_not_grade ? h("p", { class: "muted small" }, "A submission the sandbox could not grade again keeps its verdict either way.") : null);

  fill(view.changes,
    h("div", { class: "panel-head inset" }, h("h2", {}, "Diff ", h("span", { class: "badge muted" }, r.changes.length))),
    r.changes.length === 0
      ? empty(r.complete ? "No verdict or score would change: every submission graded again as before." : "No changes among the submissions graded so far.", "no-changes")
      : h("div", { class: "table-wrap" }, h("table", { class: "grid compact", "data-testid": "rejudge-changes" },
        h("thead", {}, h("tr", {}, h("th", {}, "Candidate"), h("th", {}, "Level"), h("th", {}, "Verdict"), h("th", { class: "num" }, "Score"))),
        h("tbody", {}, r.changes.map((c) => h("tr", { "data-testid": "rejudge-change", "data-submission-id": c.submission_id },
          h("td", {}, h("a", { href: `/proctor#/sessions/${c.session_id}`, title: "The candidate's report, in the proctor console" }, candidateName(c.candidate))),
          h("td", {}, c.level ? `Level ${c.level}` : "—"),
          h("td", {}, h("span", { class: isAccepted(c.old_verdict) ? "ok" : "bad" }, verdictLabel(c.old_verdict)), h("span", { class: "muted" }, " → "),
            h("span", { class: `strong ${isAccepted(c.new_verdict) ? "ok" : "bad"}` }, verdictLabel(c.new_verdict))),
          h("td", { class: "num" }, percent(c.old_score, 0), h("span", { class: "muted" }, " → "), h("span", { class: "strong" }, percent(c.new_score, 0)))))))));

  drawDecision(s, view, draw);
}

function drawDecision(s, view, draw) {
  const r = view.rejudge;
  if (r.state !== "pending") {
    fill(view.decision, h("h2", {}, "Decision"),
      h("p", { "data-testid": "decided" }, r.state === "applied"
        ? `Applied ${dateTime(r.decided_at)} by ${r.decided_by}: the changed submissions took their new verdicts, and their levels were scored again.`
        : `Discarded ${dateTime(r.decided_at)} by ${r.decided_by}: nothing changed.`));
    return;
  }
  if (!DECIDERS.includes(view.me?.role)) {
    fill(view.decision, h("h2", {}, "Decision"),
      h("p", { class: "notice", "data-testid": "recruiter-note" },
        "A recruiter reads this diff and applies or discards it; until then nothing changes for the candidates."));
    return;
  }
  const outcome = h("div", { "aria-live": "polite" });
  const decide = (action, title, text, label) => async () => {
    if (!(await confirmDialog(title, text, label)) || !s.alive) return;
    for (const b of buttons) b.disabled = true;
    fill(outcome);
    try {
      view.rejudge = await adminApi(`/api/admin/rejudges/${r.id}/${action}`, { method: "POST" });
      if (s.alive) draw();
    } catch (e) {
      if (!s.alive || isAbort(e)) return;
      for (const b of buttons) b.disabled = false;
      fill(outcome, h("div", { class: "error-box", role: "alert", "data-testid": "decision-error" }, describe(e)));
    }
  };
  const changed = r.changes.length;
  const buttons = [
    h("button", {
      type: "button", class: "primary", "data-testid": "apply-rejudge", disabled: !r.complete,
      "aria-describedby": r.complete ? null : "apply-wait",
      onclick: decide("apply", "Apply this rejudge?",
        `${changed} submission${changed === 1 ? "" : "s"} take${changed === 1 ? "s" : ""} the new verdict and score; the old ones stay in each candidate's history.`, "Apply"),
    }, "Apply"),
    h("button", {
      type: "button", class: "secondary", "data-testid": "discard-rejudge",
      onclick: decide("discard", "Discard this rejudge?", "Nothing changes for the candidates.", "Discard"),
    }, "Discard"),
  ];
  fill(view.decision, h("h2", {}, "Decision"),
    h("p", {}, "Applying gives each changed submission its new verdict and score, and scores its level again; discarding changes nothing."),
    r.complete ? null : h("p", { id: "apply-wait", class: "muted small" }, "Apply opens once every submission is graded."),
    h("div", { class: "actions" }, buttons), outcome);
}
