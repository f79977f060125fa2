// The proctor console: assessments, invites, live sessions, similar fixes side by side, and a
// candidate report with its integrity timeline. Hash-routed (#/, #/assessments/{id},
// #/sessions/{id}); the admin key lives only in this tab's sessionStorage and in X-Api-Key headers.
import { diffLines } from "diff";
import { h, fill, api, ApiError, clock, timeOfDay, dateTime, num, barChart, toast, verdictNames } from "./common.js";

const KEY_STORAGE = "bughunt.admin-key";
const GUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
const SESSIONS_EVERY_MS = 5000;
const REPORT_EVERY_MS = 10000;
const DIFF_CONTEXT = 3;

const app = document.getElementById("app");

/** How far the server's clock is ahead of this browser's: countdowns run by the server's clock. */
let serverAheadMs = 0;

function noteServerTime(iso) {
  if (iso) serverAheadMs = Date.parse(iso) - Date.now();
}

function secondsLeft(deadline) {
  return (Date.parse(deadline) - (Date.now() + serverAheadMs)) / 1000;
}

/** Which assessment a session belongs to (the report does not say); filled from session lists. */
const sessionAssessment = new Map();

// ---------------------------------------------------------------------------------------------
// Lifetime of a view: leaving it aborts its requests, stops its timers and frees its blob URLs.

class Scope {
  constructor() {
    this.controller = new AbortController();
    this.cleanups = [];
  }
  get signal() {
    return this.controller.signal;
  }
  get alive() {
    return !this.controller.signal.aborted;
  }
  defer(fn) {
    this.cleanups.push(fn);
  }
  dispose() {
    this.controller.abort();
    for (const fn of this.cleanups.splice(0).reverse()) {
      try {
        fn();
      } catch {
        /* cleanup is best effort */
      }
    }
  }
}

let scope = new Scope();

/**
 * Calls fn every `ms` while the scope lives. Skips while the tab is hidden and refreshes at once
 * when it shows again; fn returning false stops the polling. The first call is the caller's.
 */
function poll(s, ms, fn) {
  let timer = 0;
  let busy = false;
  let stopped = false;
  const run = async () => {
    clearTimeout(timer);
    if (busy || stopped || !s.alive || document.hidden) return;
    busy = true;
    try {
      if ((await fn()) === false) stopped = true;
    } catch {
      /* fn shows its own errors; keep polling */
    }
    busy = false;
    if (!stopped && s.alive) timer = setTimeout(run, ms);
  };
  const onVisibility = () => {
    if (!document.hidden) run();
  };
  document.addEventListener("visibilitychange", onVisibility);
  s.defer(() => {
    stopped = true;
    clearTimeout(timer);
    document.removeEventListener("visibilitychange", onVisibility);
  });
  timer = setTimeout(run, ms);
}

function every(s, ms, fn) {
  const id = setInterval(fn, ms);
  s.defer(() => clearInterval(id));
}

// ---------------------------------------------------------------------------------------------
// Admin API access and errors.

/** An admin API call with the key; a rejected key signs out. Requests die with the current view. */
async function adminApi(path, { method = "GET", json, raw = false } = {}) {
  const key = sessionStorage.getItem(KEY_STORAGE);
  if (!key) {
    signOut("Sign in with the admin key.");
    throw new ApiError(401, "Signed out", "Sign in with the admin key.");
  }
  try {
    return await api(method, path, { headers: { "X-Api-Key": key }, json, raw, signal: scope.signal });
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) signOut("The admin key was not accepted.");
    throw e;
  }
}

function describe(e) {
  if (e instanceof ApiError) {
    if (e.status === 0) return "The server cannot be reached. Check that BugHunt is running, then try again.";
    if (e.status === 429 && e.retryAfter) return `${e.message} Try again in ${e.retryAfter} s.`;
    return e.title && e.message !== e.title ? `${e.title}: ${e.message}` : e.message;
  }
  return e?.message || String(e);
}

function isAbort(e) {
  return e?.name === "AbortError";
}

function errorBox(e, retry) {
  return h("div", { class: "error-box", role: "alert", "data-testid": "error" },
    h("span", {}, typeof e === "string" ? e : describe(e)),
    retry ? h("button", { type: "button", class: "secondary small", onclick: retry }, "Try again") : null);
}

function loading(text) {
  return h("div", { class: "loading", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), text);
}

function empty(text, testid) {
  return h("div", { class: "empty", "data-testid": testid }, text);
}

// ---------------------------------------------------------------------------------------------
// Formatting.

const integer = new Intl.NumberFormat("en-US");

function percent(fraction, digits = 1) {
  return fraction === null || fraction === undefined ? "—" : `${num(fraction * 100, digits)}%`;
}

/** "45 s", "2 min 05 s", "1 h 02 min". */
function duration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
}

function newestFirst(list) {
  return [...list].sort((x, y) => new Date(y.created_at).getTime() - new Date(x.created_at).getTime());
}

function secondsBetween(from, to) {
  return (new Date(to).getTime() - new Date(from).getTime()) / 1000;
}

function candidateName(name) {
  return name && name.trim() ? name : "(unnamed)";
}

function shortId(id) {
  return String(id).slice(0, 8);
}

function slug(text) {
  return String(text).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60) || "assessment";
}

const STATUS = {
  not_started: { label: "Not started", cls: "status-idle" },
  in_progress: { label: "In progress", cls: "status-live" },
  time_over: { label: "Time over", cls: "status-over" },
  finished: { label: "Finished", cls: "status-done" },
};

function statusBadge(status) {
  const s = STATUS[status] ?? { label: status, cls: "" };
  return h("span", { class: `badge status ${s.cls}`, "data-testid": "status", "data-status": status }, s.label);
}

function verdictText(sub) {
  if (sub.status === "queued") return "queued";
  if (sub.status === "running") return "grading";
  return (verdictNames[sub.verdict] ?? String(sub.verdict ?? sub.status)).toLowerCase();
}

/** ok / bad / muted for a submission, by its verdict. */
function verdictClass(sub) {
  if (sub.status !== "done") return "muted";
  if (sub.verdict === "Accepted") return "ok";
  if (sub.verdict === "SandboxError") return "warn";
  return "bad";
}

function kindLabel(sub) {
  return sub.kind === "run" ? "Run" : "Submission";
}

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard API refused (permissions, older browser): the selection route still works.
    const area = h("textarea", { class: "offscreen", readonly: true });
    area.value = text;
    document.body.append(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch {
      ok = false;
    }
    area.remove();
    return ok;
  }
}

function copyButton(text, attrs = {}) {
  const button = h("button", {
    type: "button", class: "secondary small", ...attrs,
    onclick: async () => {
      const ok = await copyText(text);
      button.textContent = ok ? "Copied" : "Copy failed";
      if (!ok) toast("Could not copy: select the link and copy it by hand.", "error");
      setTimeout(() => (button.textContent = "Copy"), 1800);
    },
  }, "Copy");
  return button;
}

/** Fetches an admin file with the key and saves it through a temporary blob link. */
async function download(path, filename) {
  const response = await adminApi(path, { raw: true });
  const url = URL.createObjectURL(await response.blob());
  const link = h("a", { href: url, download: filename, class: "offscreen" });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

// ---------------------------------------------------------------------------------------------
// Routing and the page frame.

function route() {
  scope.dispose();
  scope = new Scope();
  app.setAttribute("aria-busy", "false");
  if (!sessionStorage.getItem(KEY_STORAGE)) {
    renderSignIn();
    return;
  }
  const path = decodeURIComponent(location.hash.replace(/^#/, "")) || "/";
  let m;
  if (path === "/" || path === "") renderAssessments(scope);
  else if ((m = path.match(new RegExp(`^/assessments/(${GUID})/?$`)))) renderAssessment(scope, m[1].toLowerCase());
  else if ((m = path.match(new RegExp(`^/sessions/(${GUID})/?$`)))) renderSession(scope, m[1].toLowerCase());
  else renderNotFound();
}

function go(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function setTitle(text) {
  document.title = text ? `${text} — BugHunt proctor console` : "BugHunt proctor console";
}

/** The header with breadcrumbs and sign-out; returns the body to render into and a crumb setter. */
function frame(crumbs) {
  const nav = h("nav", { class: "crumbs", "aria-label": "Breadcrumb", "data-testid": "breadcrumbs" });
  const body = h("div", { class: "page" });
  fill(app,
    h("header", { class: "topbar" },
      h("a", { class: "brand", href: "#/" }, h("span", { class: "brand-mark", "aria-hidden": "true" }, "◆"), "BugHunt", h("span", { class: "brand-sub" }, "Proctor console")),
      nav,
      h("button", { type: "button", id: "sign-out", class: "secondary small", "data-testid": "sign-out", onclick: () => signOut() }, "Sign out")),
    body);
  const setCrumbs = (list) =>
    fill(nav, list.map((c, i) => {
      const last = i === list.length - 1;
      return [
        i > 0 ? h("span", { class: "sep", "aria-hidden": "true" }, "›") : null,
        last || !c.href ? h("span", { class: "crumb", "aria-current": last ? "page" : null }, c.label) : h("a", { class: "crumb", href: c.href }, c.label),
      ];
    }));
  setCrumbs(crumbs);
  return { body, setCrumbs };
}

function renderNotFound() {
  const { body } = frame([{ label: "Assessments", href: "#/" }, { label: "Not found" }]);
  setTitle("Not found");
  fill(body, h("div", { class: "panel" }, h("h1", {}, "Page not found"), h("p", {}, "This address names no page of the console. "), h("a", { href: "#/" }, "Back to the assessments")));
}

// ---------------------------------------------------------------------------------------------
// Sign-in.

function signOut(message) {
  const alreadyOut = !sessionStorage.getItem(KEY_STORAGE) && document.getElementById("admin-key");
  sessionStorage.removeItem(KEY_STORAGE);
  scope.dispose();
  scope = new Scope();
  if (alreadyOut) return; // several requests failing together must not redraw the form under the user
  renderSignIn(message ?? "You are signed out.", message ? "error" : "notice");
}

function renderSignIn(message, kind = "error") {
  setTitle("Sign in");
  const input = h("input", { id: "admin-key", name: "admin-key", type: "password", autocomplete: "off", spellcheck: "false", required: true, "aria-describedby": "sign-in-help" });
  const button = h("button", { id: "sign-in", type: "submit", class: "primary" }, "Sign in");
  const status = h("div", { class: "sign-in-status", "aria-live": "polite" });
  const show = (text, cls) => fill(status, text ? h("div", { class: cls, role: cls === "error-box" ? "alert" : "status", "data-testid": "sign-in-message" }, text) : null);
  if (message) show(message, kind === "error" ? "error-box" : "notice");

  const submit = async (ev) => {
    ev.preventDefault();
    const key = input.value.trim();
    if (!key) {
      show("Enter the admin key.", "error-box");
      input.focus();
      return;
    }
    button.disabled = true;
    button.textContent = "Checking…";
    try {
      await api("GET", "/api/admin/assessments", { headers: { "X-Api-Key": key } });
      sessionStorage.setItem(KEY_STORAGE, key);
      route();
    } catch (e) {
      const text = !(e instanceof ApiError) ? describe(e)
        : e.status === 401 ? "The admin key was not accepted. Check it and try again."
        : e.status === 403 ? "The admin key was not accepted: that is a candidate's session token, not the admin key."
        : describe(e);
      show(text, "error-box");
      button.disabled = false;
      button.textContent = "Sign in";
      input.select();
    }
  };

  fill(app,
    h("div", { class: "sign-in-wrap" },
      h("form", { class: "panel sign-in", onsubmit: submit, "data-testid": "sign-in-form" },
        h("div", { class: "brand big" }, h("span", { class: "brand-mark", "aria-hidden": "true" }, "◆"), "BugHunt", h("span", { class: "brand-sub" }, "Proctor console")),
        h("label", { for: "admin-key" }, "Admin key"),
        input,
        h("p", { id: "sign-in-help", class: "muted small" },
          "BugHunt prints the key when it starts and keeps it in .bughunt/admin-key. It is kept only in this browser tab until you sign out or close it."),
        status,
        h("div", { class: "actions" }, button))));
  input.focus();
}

// ---------------------------------------------------------------------------------------------
// Assessments list.

async function renderAssessments(s) {
  const { body } = frame([{ label: "Assessments" }]);
  setTitle("Assessments");
  const box = h("section", { class: "panel flush" }, loading("Loading assessments…"));
  fill(body, h("div", { class: "page-head" }, h("div", {}, h("h1", {}, "Assessments"), h("p", { class: "muted" }, "Open an assessment to invite candidates and follow their sessions live."))), box);
  try {
    const list = await adminApi("/api/admin/assessments");
    if (!s.alive) return;
    fill(box, list.length ? assessmentsTable(list) : empty(
      "No assessments yet — create one with POST /api/admin/assessments (see the README, “A recruiter's calls”).", "assessments-empty"));
  } catch (e) {
    if (s.alive && !isAbort(e)) fill(box, errorBox(e, route));
  }
}

function assessmentsTable(list) {
  return h("table", { class: "grid clickable", "data-testid": "assessments" },
    h("thead", {}, h("tr", {},
      h("th", {}, "Name"), h("th", { class: "num" }, "Levels"), h("th", { class: "num" }, "Sessions"),
      h("th", { class: "num" }, "Time limit"), h("th", { class: "num" }, "Pass bar"), h("th", {}, "Created"))),
    h("tbody", {}, list.map((a) => {
      const open = () => go(`#/assessments/${a.id}`);
      return h("tr", {
        "data-testid": "assessment", "data-assessment-id": a.id, tabindex: 0,
        onclick: (ev) => { if (!ev.target.closest("a")) open(); },
        onkeydown: (ev) => { if (ev.key === "Enter") open(); },
      },
      h("td", {}, h("a", { href: `#/assessments/${a.id}`, class: "strong" }, a.name)),
      h("td", { class: "num" }, a.levels),
      h("td", { class: "num" }, a.sessions),
      h("td", { class: "num" }, `${a.time_limit_minutes} min`),
      h("td", { class: "num" }, `${a.pass_points} / ${a.max_points}`),
      h("td", { class: "muted" }, dateTime(a.created_at)));
    })));
}

// ---------------------------------------------------------------------------------------------
// Assessment: invites, live sessions, similar fixes, exports.

async function renderAssessment(s, id) {
  const { body, setCrumbs } = frame([{ label: "Assessments", href: "#/" }, { label: "Assessment" }]);
  setTitle("Assessment");
  fill(body, loading("Loading assessment…"));
  let assessment;
  try {
    assessment = await adminApi(`/api/admin/assessments/${id}`);
  } catch (e) {
    if (s.alive && !isAbort(e)) fill(body, errorBox(e, route));
    return;
  }
  if (!s.alive) return;
  setCrumbs([{ label: "Assessments", href: "#/" }, { label: assessment.name }]);
  setTitle(assessment.name);

  const compareSlot = h("div", { class: "compare-slot" });
  fill(body,
    assessmentHead(assessment),
    h("div", { class: "row-2" }, invitePanel(assessment), levelsPanel(assessment)),
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

function invitePanel(a) {
  const candidate = h("input", { id: "invite-candidate", name: "candidate", maxlength: 200, placeholder: "Ada Lovelace <ada@example.com>", autocomplete: "off" });
  const hours = h("input", { id: "invite-expires", name: "expires_in_hours", type: "number", min: "0.1", max: 2160, step: "any", value: 72, required: true });
  const extra = h("input", { id: "invite-extra", name: "extra_minutes", type: "number", min: 0, max: 600, step: 1, value: 0, required: true });
  const button = h("button", { type: "submit", class: "primary", "data-testid": "create-invite" }, "Create invite");
  const result = h("div", { class: "invite-result", "aria-live": "polite" });
  const earlier = [];

  const submit = async (ev) => {
    ev.preventDefault();
    button.disabled = true;
    button.textContent = "Creating…";
    try {
      const invite = await adminApi(`/api/admin/assessments/${a.id}/invites`, {
        method: "POST",
        json: { candidate: candidate.value.trim() || null, expires_in_hours: Number(hours.value), extra_minutes: Number(extra.value) },
      });
      showInvite(invite);
      candidate.value = "";
      toast("Invite created", "success");
    } catch (e) {
      if (!isAbort(e)) fill(result, errorBox(`The invite was not created. ${describe(e)}`), earlierList());
    } finally {
      button.disabled = false;
      button.textContent = "Create invite";
    }
  };

  const earlierList = () => earlier.length === 0 ? null : h("details", { class: "earlier" },
    h("summary", {}, `Earlier invites of this visit (${earlier.length})`),
    h("ul", {}, earlier.map((i) => h("li", {}, h("span", { class: "strong" }, candidateName(i.candidate)), " ",
      h("code", { class: "link" }, i.link), " ", copyButton(i.link)))));

  const showInvite = (invite) => {
    const link = location.origin + invite.page_url;
    fill(result,
      h("div", { class: "invite-created", "data-testid": "invite-result" },
        h("div", { class: "small" },
          h("span", { class: "strong" }, candidateName(invite.candidate)),
          ` · expires ${dateTime(invite.expires_at)}`,
          invite.extra_minutes ? ` · +${invite.extra_minutes} min extra time` : ""),
        h("div", { class: "link-row" }, h("code", { class: "link", "data-testid": "invite-link" }, link), copyButton(link, { "data-testid": "copy-invite" })),
        h("p", { class: "muted small" }, "Single use: the first browser that opens it gets the session. Send it to the candidate; do not open it yourself.")),
      earlierList());
    earlier.unshift({ candidate: invite.candidate, link });
  };

  return h("section", { class: "panel", "data-testid": "invite" },
    h("h2", {}, "Invite a candidate"),
    h("form", { class: "invite-form", onsubmit: submit },
      h("label", { class: "field wide" }, h("span", {}, "Candidate name or email"), candidate),
      h("label", { class: "field" }, h("span", {}, "Expires in (hours)"), hours),
      h("label", { class: "field" }, h("span", {}, "Extra minutes"), extra),
      h("div", { class: "field end" }, button)),
    result);
}

function sessionsPanel(s, a) {
  const updated = h("span", { class: "muted small", "data-testid": "sessions-updated" }, "");
  const problem = h("div");
  const counts = h("div", { class: "counts" });
  const body = h("div", { class: "table-wrap" }, loading("Loading sessions…"));
  const filter = h("input", { type: "search", class: "filter", placeholder: "Filter by candidate", "aria-label": "Filter sessions by candidate", oninput: () => draw() });
  let sessions = null;

  const draw = () => {
    if (!sessions) return;
    fill(counts, sessionCounts(sessions));
    if (sessions.length === 0) {
      fill(body, empty("No sessions yet — create an invite above. A session appears when the candidate opens the link.", "sessions-empty"));
      return;
    }
    const q = filter.value.trim().toLowerCase();
    const shown = q ? sessions.filter((x) => (x.candidate ?? "").toLowerCase().includes(q) || x.id.startsWith(q)) : sessions;
    fill(body, sessionsTable(a, shown), shown.length === 0 ? empty(`No session matches “${filter.value}”.`) : null);
  };

  const refresh = async () => {
    try {
      const list = await adminApi(`/api/admin/assessments/${a.id}/sessions`);
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

function sessionsTable(a, list) {
  const levels = a.levels.length;
  return h("table", { class: "grid clickable sessions", "data-testid": "sessions-table" },
    h("thead", {}, h("tr", {},
      h("th", {}, "Candidate"), h("th", {}, "Status"), h("th", {}, "Level"), h("th", { class: "num" }, "Passed"),
      h("th", { class: "num" }, "Score"), h("th", { class: "num" }, "Submissions"), h("th", { class: "num" }, "Flags"),
      h("th", {}, "Started"), h("th", {}, "Time"))),
    h("tbody", {}, list.map((x) => {
      const open = () => go(`#/sessions/${x.id}`);
      return h("tr", {
        "data-testid": "session-row", "data-session-id": x.id, "data-status": x.status, tabindex: 0,
        class: x.flags > 0 ? "has-flags" : null,
        onclick: (ev) => { if (!ev.target.closest("a")) open(); },
        onkeydown: (ev) => { if (ev.key === "Enter") open(); },
      },
      h("td", {}, h("a", { href: `#/sessions/${x.id}`, class: "strong", "data-testid": "candidate" }, candidateName(x.candidate)), h("div", { class: "muted small mono" }, shortId(x.id))),
      h("td", {}, statusBadge(x.status)),
      h("td", { "data-testid": "current-level" }, currentLevelText(x, levels)),
      h("td", { class: "num", "data-testid": "levels-passed" }, `${x.levels_passed} / ${levels}`),
      h("td", { class: "num", "data-testid": "score" },
        h("span", { class: "strong" }, num(x.score)), h("span", { class: "muted" }, ` / ${a.max_points}`),
        x.passed ? h("span", { class: "badge ok pass-badge" }, "pass") : null),
      h("td", { class: "num", "data-testid": "submissions" }, x.submissions),
      h("td", { class: "num" }, h("span", { class: `badge ${x.flags > 0 ? "warn filled" : "muted"}`, "data-testid": "flag-count" }, x.flags)),
      h("td", { class: "muted small" }, x.started_at ? dateTime(x.started_at) : "—"),
      h("td", { class: "small" }, timeText(x)));
    })));
}

function currentLevelText(x, levels) {
  if (x.current_level) return `Level ${x.current_level}`;
  if (x.status === "not_started") return "—";
  return x.levels_passed >= levels && levels > 0 ? "All passed" : "—";
}

function timeText(x) {
  if (x.status === "in_progress" && x.deadline) return h("span", { class: "live" }, `${clock(secondsLeft(x.deadline))} left`);
  if (x.status === "finished" && x.started_at && x.finished_at) return `took ${duration(secondsBetween(x.started_at, x.finished_at))}`;
  if (x.status === "time_over") return h("span", { class: "warn" }, "time over");
  return h("span", { class: "muted" }, "—");
}

// ---- Similar fixes ----

function similarityPanel(s, a, compareSlot) {
  const levelsBox = h("div", { class: "similarity-levels" });
  const load = () => {
    fill(levelsBox, a.levels.map((level) => {
      const box = h("div", { class: "similarity-level", "data-testid": "similarity-level", "data-level": level.position },
        h("h3", {}, `Level ${level.position} · ${level.title}`), loading("Comparing fixes…"));
      loadSimilarity(s, a, level, box, compareSlot);
      return box;
    }));
  };
  load();
  return h("section", { class: "panel", "data-testid": "similarity" },
    h("div", { class: "panel-head" },
      h("h2", {}, "Similar fixes"),
      h("div", { class: "spacer" }),
      h("button", { type: "button", class: "secondary small", "data-testid": "refresh-similarity", onclick: load }, "Recompute")),
    h("p", { class: "muted small" },
      "Each candidate's own edits of the starter (the reference fix removed) compared pairwise. Pairs of at least 80% where both made 20 or more own edit tokens are flagged."),
    levelsBox);
}

async function loadSimilarity(s, a, level, box, compareSlot) {
  const heading = box.firstChild;
  try {
    const pairs = await adminApi(`/api/admin/assessments/${a.id}/levels/${level.position}/similarity`);
    if (!s.alive) return;
    const sorted = [...pairs].sort((x, y) => Number(y.flagged) - Number(x.flagged) || y.score - x.score);
    const flagged = sorted.filter((p) => p.flagged).length;
    fill(heading, `Level ${level.position} · ${level.title}`, flagged ? h("span", { class: "badge bad filled" }, `${flagged} flagged`) : null);
    if (sorted.length === 0) {
      fill(box, heading, empty("Fewer than two candidates have code on this level yet.", "similarity-empty"));
      return;
    }
    const limit = Math.max(flagged, 5);
    const table = (all) => pairsTable(s, a, level, all ? sorted : sorted.slice(0, limit), compareSlot);
    const more = sorted.length > limit
      ? h("button", { type: "button", class: "link-button", onclick: () => { fill(box, heading, table(true)); } }, `Show all ${sorted.length} pairs`)
      : null;
    fill(box, heading, table(false), more);
  } catch (e) {
    if (s.alive && !isAbort(e)) fill(box, heading, errorBox(e, () => loadSimilarity(s, a, level, box, compareSlot)));
  }
}

function pairsTable(s, a, level, pairs, compareSlot) {
  return h("table", { class: "grid pairs" },
    h("thead", {}, h("tr", {}, h("th", {}, "Candidates"), h("th", {}, "Similarity"), h("th", { class: "num" }, "Own edit tokens"), h("th", {}, ""))),
    h("tbody", {}, pairs.map((p) =>
      h("tr", { "data-testid": "similar-pair", "data-flagged": String(p.flagged), "data-session-a": p.session_a, "data-session-b": p.session_b, class: p.flagged ? "flagged" : null },
        h("td", {},
          h("a", { href: `#/sessions/${p.session_a}` }, candidateName(p.candidate_a)),
          h("span", { class: "muted" }, " ↔ "),
          h("a", { href: `#/sessions/${p.session_b}` }, candidateName(p.candidate_b)),
          p.flagged ? h("span", { class: "badge bad filled" }, "flagged") : null),
        h("td", {}, h("div", { class: "meter" }, h("span", { class: "meter-bar", style: `width:${Math.round(Math.min(1, Math.max(0, p.score)) * 100)}%` })),
          h("span", { class: "strong", "data-testid": "similarity-score" }, percent(p.score))),
        h("td", { class: "num muted" }, `${p.edit_tokens_a} / ${p.edit_tokens_b}`),
        h("td", { class: "num" }, h("button", {
          type: "button", class: "secondary small", "data-testid": "compare",
          onclick: () => showComparison(s, a, level, p, compareSlot),
        }, "Compare"))))));
}

async function showComparison(s, a, level, pair, slot) {
  const title = `Level ${level.position}: ${candidateName(pair.candidate_a)} ↔ ${candidateName(pair.candidate_b)}`;
  const close = h("button", { type: "button", class: "secondary small", "data-testid": "close-compare", onclick: () => slot.replaceChildren() }, "Close");
  const panel = h("section", { class: "panel side-by-side", "data-testid": "side-by-side", "data-level": level.position },
    h("div", { class: "panel-head" }, h("h2", {}, title), h("span", { class: `badge ${pair.flagged ? "bad filled" : "muted"}` }, `${percent(pair.score)} similar`), h("div", { class: "spacer" }), close),
    loading("Loading both fixes…"));
  fill(slot, panel);
  panel.scrollIntoView({ behavior: "smooth", block: "start" });
  try {
    const fixes = await adminApi(`/api/admin/assessments/${a.id}/levels/${level.position}/fixes?sessions=${pair.session_a},${pair.session_b}`);
    if (!s.alive || !panel.isConnected) return;
    panel.lastChild.replaceWith(comparison(fixes));
  } catch (e) {
    if (s.alive && !isAbort(e) && panel.isConnected) panel.lastChild.replaceWith(errorBox(e, () => showComparison(s, a, level, pair, slot)));
  }
}

/** Each file: one column per candidate with that candidate's diff against the starter. */
function comparison(fixes) {
  const names = [...new Set([...Object.keys(fixes.starter), ...fixes.candidates.flatMap((c) => Object.keys(c.files))])].sort();
  const changed = [];
  const untouched = [];
  for (const name of names) {
    const starter = fixes.starter[name] ?? "";
    const sides = fixes.candidates.map((c) => ({ c, text: c.files[name] ?? "" }));
    if (sides.every((x) => normalise(x.text) === normalise(starter))) untouched.push(name);
    else changed.push({ name, starter, sides });
  }
  const columns = `repeat(${Math.max(1, fixes.candidates.length)}, minmax(0, 1fr))`;
  return h("div", { class: "compare-body" },
    changed.length === 0 ? empty("Neither candidate changed the starter files.") : null,
    changed.map((f) => h("div", { class: "file-compare", "data-file": f.name },
      h("div", { class: "file-name mono" }, f.name),
      h("div", { class: "file-columns", style: `grid-template-columns:${columns}` }, f.sides.map(({ c, text }) => {
        const view = diffView(f.starter, text);
        return h("div", { class: "file-column", "data-session": c.session },
          h("div", { class: "column-head" }, h("a", { href: `#/sessions/${c.session}`, class: "strong" }, candidateName(c.candidate)),
            h("span", { class: "stat add" }, `+${view.added}`), h("span", { class: "stat del" }, `−${view.removed}`)),
          view.el);
      })))),
    untouched.length ? h("p", { class: "muted small" }, `Unchanged by both: ${untouched.join(", ")}`) : null);
}

function normalise(text) {
  const t = String(text ?? "").replace(/\r\n?/g, "\n");
  return t.endsWith("\n") || t === "" ? t : t + "\n";
}

function splitLines(value) {
  const lines = value.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/** A unified diff of one file: added green, removed red, long unchanged runs folded (click to unfold). */
function diffView(before, after) {
  const parts = diffLines(normalise(before), normalise(after));
  const el = h("div", { class: "diff mono", role: "region", "aria-label": "Changes against the starter" });
  let oldNo = 1;
  let newNo = 1;
  let added = 0;
  let removed = 0;
  const line = (kind, number, sign, text) =>
    h("div", { class: `dl ${kind}` }, h("span", { class: "ln" }, number ?? ""), h("span", { class: "sign" }, sign), h("span", { class: "code" }, text || " "));
  parts.forEach((part, i) => {
    const lines = splitLines(part.value);
    if (part.added) {
      for (const l of lines) el.append(line("add", newNo++, "+", l));
      added += lines.length;
    } else if (part.removed) {
      for (const l of lines) el.append(line("del", oldNo++, "−", l));
      removed += lines.length;
    } else {
      const head = i === 0 ? 0 : DIFF_CONTEXT;
      const tail = i === parts.length - 1 ? 0 : DIFF_CONTEXT;
      const rows = lines.map((l, k) => line("ctx", newNo + k, " ", l));
      if (rows.length > head + tail + 1) {
        const hidden = rows.slice(head, rows.length - tail);
        const fold = h("button", { type: "button", class: "dl fold", onclick: () => fold.replaceWith(...hidden) }, `⋯ ${hidden.length} unchanged lines`);
        el.append(...rows.slice(0, head), fold, ...rows.slice(rows.length - tail));
      } else {
        el.append(...rows);
      }
      oldNo += lines.length;
      newNo += lines.length;
    }
  });
  if (added === 0 && removed === 0) fill(el, h("div", { class: "dl note" }, "No changes from the starter."));
  return { el, added, removed };
}

// ---------------------------------------------------------------------------------------------
// Session: the candidate report.

async function renderSession(s, id) {
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
    view.sections = sessionSections(s, view);
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
        fill(body, errorBox(e, route));
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
      const pairs = await adminApi(`/api/admin/assessments/${view.owner.id}/levels/${level.position}/similarity`);
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

function sessionSections(s, view) {
  const el = (cls, testid) => h("div", { class: cls, "data-testid": testid });
  const sec = {
    problem: h("div", { class: "refresh-problem" }),
    summary: el("panel summary", "summary"),
    flags: el("panel", "flags-panel"),
    levels: el("panel", "levels-report"),
    hints: el("panel", "hints"),
    timeline: el("panel timeline-panel", "timeline-panel"),
    submissions: el("panel flush-table", "submissions"),
    snapshots: el("panel", "snapshots"),
  };
  sec.root = h("div", { class: "session-page" },
    sec.problem,
    sec.summary,
    h("div", { class: "row-report" },
      h("div", { class: "col" }, sec.flags, sec.levels, sec.hints),
      h("div", { class: "col" }, sec.timeline)),
    sec.submissions,
    sec.snapshots);
  s.defer(() => document.querySelectorAll("dialog.viewer").forEach((d) => d.remove()));
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
        h("div", { class: "meta" }, statusBadge(session.status), h("span", { class: "muted small mono" }, `session ${session.id}`),
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
        null, "session-flags")));
  tickRemaining(view);
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

function capitalise(text) {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
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
    h("table", { class: "grid compact" },
      h("thead", {}, h("tr", {}, h("th", {}, "Level"), h("th", {}, "State"), h("th", { class: "num" }, "Attempts"),
        h("th", { class: "num" }, "Best"), h("th", { class: "num" }, "Hints"), h("th", { class: "num" }, "Earned"), h("th", { class: "num" }, "Time"))),
      h("tbody", {}, score.levels.map((l) => h("tr", { "data-testid": "level-row", "data-level": l.position },
        h("td", {}, label(l)),
        h("td", {}, h("span", { class: `badge ${l.state === "passed" ? "ok" : l.state === "locked" ? "muted" : "accent"}` }, l.state)),
        h("td", { class: "num" }, l.attempts),
        h("td", { class: "num" }, l.state === "locked" && !l.attempts ? "—" : percent(l.best_score, 0)),
        h("td", { class: "num" }, l.hint_cost ? h("span", { class: "warn" }, `−${num(l.hint_cost, 1)}`) : "—"),
        h("td", { class: "num strong" }, num(l.earned, 1)),
        h("td", { class: "num" }, l.minutes === null || l.minutes === undefined ? "—" : `${num(l.minutes, 1)} min`))))));
}

function drawHints(view) {
  const { hints, score } = view.report;
  // Reveals carry the level's own points; everything else shows points scaled to the assessment's maximum.
  const scale = score.point_scale;
  fill(view.sections.hints,
    h("h2", {}, "Hints revealed ", h("span", { class: "badge muted" }, hints.length)),
    hints.length === 0 ? h("p", { class: "muted small" }, "No hints revealed.")
      : h("table", { class: "grid compact" },
        h("thead", {}, h("tr", {}, h("th", {}, "Time"), h("th", {}, "Level"), h("th", {}, "Hint"), h("th", { class: "num" }, "Cost"))),
        h("tbody", {}, hints.map((x) => h("tr", { "data-testid": "hint" },
          h("td", {}, timeOfDay(x.revealed_at)), h("td", {}, `Level ${x.position}`), h("td", { class: "mono" }, x.hint_id),
          h("td", { class: "num warn" }, `−${num(x.cost_points * scale, 1)} pts`))))));
}

// ---- Timeline ----

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
  const order = { integrity: 0, snapshots: 1, submissions: 2 };
  return entries
    .map((entry, i) => ({ entry, i, t: new Date(entry.at).getTime() }))
    .sort((x, y) => x.t - y.t || order[x.entry.group] - order[y.entry.group] || x.i - y.i)
    .map((x) => x.entry);
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
];

function drawTimeline(view) {
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
    entries.length === 0 ? empty("Nothing recorded yet: no integrity events, snapshots or submissions.", "timeline-empty") : null,
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
  return h("li", attrs,
    h("time", { datetime: x.at, class: "tl-time mono" }, timeOfDay(x.at)),
    h("span", { class: "tl-elapsed mono muted" }, elapsed === null ? "" : elapsed >= 0 ? `+${clock(elapsed)}` : `−${clock(-elapsed)}`),
    h("span", { class: "tl-dot", "aria-hidden": "true" }),
    h("span", { class: "tl-label" }, x.label, x.detail ? h("span", { class: "tl-detail" }, ` — ${x.detail}`) : null),
    x.snapshot ? view.images.thumb(x.snapshot, () => openViewer(view, x.snapshot.id)) : null,
    h("span", { class: "tl-level muted small" }, x.level ? `L${x.level}` : ""));
}

// ---- Submissions ----

function drawSubmissions(view) {
  const subs = newestFirst(view.report.submissions);
  const rows = subs.flatMap((sub) => {
    const open = view.expanded.has(sub.id);
    const toggle = () => {
      if (view.expanded.has(sub.id)) view.expanded.delete(sub.id);
      else view.expanded.add(sub.id);
      drawSubmissions(view);
    };
    const passed = sub.tests.filter((t) => t.passed).length;
    const took = sub.finished_at ? duration(secondsBetween(sub.created_at, sub.finished_at)) : "—";
    return [
      h("tr", {
        "data-testid": "submission-row", "data-submission-id": sub.id, "data-kind": sub.kind, "data-status": sub.status, "data-verdict": sub.verdict ?? "",
        class: open ? "open" : null, tabindex: 0, "aria-expanded": String(open), onclick: toggle,
        onkeydown: (ev) => { if (ev.key === "Enter") toggle(); },
      },
      h("td", { class: "mono small" }, timeOfDay(sub.created_at)),
      h("td", {}, h("span", { class: `badge ${sub.kind === "run" ? "muted" : "accent"}` }, sub.kind === "run" ? "run" : "submission")),
      h("td", {}, sub.level ? `Level ${sub.level}` : "—"),
      h("td", {}, sub.status),
      h("td", {}, h("span", { class: verdictClass(sub) }, sub.status === "done" ? verdictText(sub) : "—")),
      h("td", { class: "num strong" }, sub.score === null || sub.score === undefined ? "—" : percent(sub.score, 0)),
      h("td", { class: "num" }, sub.tests.length ? `${passed} / ${sub.tests.length}` : "—"),
      h("td", { class: "num muted" }, took),
      h("td", { class: "muted small" }, open ? "▾" : "▸")),
      open ? h("tr", { class: "details-row" }, h("td", { colspan: 9 }, submissionDetails(sub))) : null,
    ];
  });
  fill(view.sections.submissions,
    h("div", { class: "panel-head" }, h("h2", {}, "Runs and submissions ", h("span", { class: "badge muted" }, subs.length)), h("span", { class: "muted small" }, "Click a row for tests and messages.")),
    subs.length === 0 ? empty("No runs or submissions yet.", "submissions-empty")
      : h("div", { class: "table-wrap" }, h("table", { class: "grid clickable" },
        h("thead", {}, h("tr", {}, h("th", {}, "Time"), h("th", {}, "Kind"), h("th", {}, "Level"), h("th", {}, "Status"), h("th", {}, "Verdict"),
          h("th", { class: "num" }, "Score"), h("th", { class: "num" }, "Tests"), h("th", { class: "num" }, "Took"), h("th", {}, ""))),
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

// ---- Snapshots ----

/**
 * Snapshot images fetched with the admin key, four at a time, into blob URLs kept for the life of
 * the view (redraws reuse them) and revoked when it ends.
 */
function snapshotImages(s, sessionId) {
  const urls = new Map();
  const figures = new Map();
  const thumbs = new Map();
  const queue = [];
  let active = 0;
  const pump = () => {
    while (active < 4 && queue.length) {
      const job = queue.shift();
      active++;
      job().finally(() => {
        active--;
        pump();
      });
    }
  };
  s.defer(() => {
    for (const p of urls.values()) p.then((u) => URL.revokeObjectURL(u), () => {});
  });
  const url = (snap) => {
    if (!urls.has(snap.id)) {
      const p = new Promise((resolve, reject) => {
        queue.push(() => adminApi(`/api/admin/sessions/${sessionId}/snapshots/${snap.id}`, { raw: true })
          .then((r) => r.blob())
          .then((b) => {
            const u = URL.createObjectURL(b);
            if (!s.alive) URL.revokeObjectURL(u);
            resolve(u);
          }, reject));
        pump();
      });
      p.catch(() => urls.delete(snap.id)); // a failed image is tried again on the next redraw
      urls.set(snap.id, p);
    }
    return urls.get(snap.id);
  };
  const attach = (img, holder, snap) =>
    url(snap).then((u) => { img.src = u; }, (e) => {
      if (!s.alive) return;
      holder.classList.add("broken");
      img.alt = `Could not load: ${describe(e)}`;
    });
  return {
    url,
    figure(snap, onOpen) {
      if (!figures.has(snap.id) || figures.get(snap.id).classList.contains("broken")) {
        const img = h("img", { "data-testid": "snapshot", "data-kind": snap.kind, "data-snapshot-id": snap.id, alt: `${snap.kind} snapshot at ${timeOfDay(snap.at)}`, decoding: "async" });
        const fig = h("figure", { class: "shot", "data-kind": snap.kind },
          h("button", { type: "button", class: "shot-open", title: "Enlarge", onclick: onOpen }, img),
          h("figcaption", {}, h("span", { class: `badge ${snap.kind === "screen" ? "accent" : "muted"}` }, snap.kind), " ", h("time", { datetime: snap.at, class: "mono" }, timeOfDay(snap.at))));
        attach(img, fig, snap);
        figures.set(snap.id, fig);
      }
      return figures.get(snap.id);
    },
    thumb(snap, onOpen) {
      if (!thumbs.has(snap.id)) {
        const img = h("img", { class: "tl-thumb", alt: "", decoding: "async" });
        const button = h("button", { type: "button", class: "tl-thumb-button", title: "Enlarge snapshot", onclick: onOpen }, img);
        attach(img, button, snap);
        thumbs.set(snap.id, button);
      }
      return thumbs.get(snap.id);
    },
  };
}

function drawSnapshots(view) {
  const snaps = view.report.snapshots;
  const kinds = [...new Set(snaps.map((x) => x.kind))].map((k) => `${snaps.filter((x) => x.kind === k).length} ${k}`).join(", ");
  fill(view.sections.snapshots,
    h("div", { class: "panel-head" }, h("h2", {}, "Snapshots ", h("span", { class: "badge muted" }, snaps.length)), kinds ? h("span", { class: "muted small" }, kinds) : null),
    snaps.length === 0 ? empty("No snapshots: the assessment does not require them, or none were taken yet.", "snapshots-empty")
      : h("div", { class: "gallery", "data-testid": "gallery" }, snaps.map((snap) => view.images.figure(snap, () => openViewer(view, snap.id)))));
}

/** A large view of one snapshot, with previous/next through all of them (arrow keys too). */
function openViewer(view, snapshotId) {
  document.querySelectorAll("dialog.viewer").forEach((d) => d.remove());
  const snaps = view.report.snapshots;
  let index = Math.max(0, snaps.findIndex((x) => x.id === snapshotId));
  const img = h("img", { class: "viewer-img", "data-testid": "snapshot-large", alt: "" });
  const caption = h("div", { class: "viewer-caption" });
  const prev = h("button", { type: "button", class: "secondary", onclick: () => show(index - 1) }, "← Previous");
  const next = h("button", { type: "button", class: "secondary", onclick: () => show(index + 1) }, "Next →");
  const dialog = h("dialog", { class: "viewer", "data-testid": "snapshot-viewer", "aria-label": "Snapshot" },
    h("div", { class: "viewer-bar" }, caption, h("div", { class: "spacer" }), prev, next,
      h("button", { type: "button", class: "primary", "data-testid": "close-viewer", onclick: () => dialog.close() }, "Close")),
    img);
  const show = (i) => {
    if (i < 0 || i >= snaps.length) return;
    index = i;
    const snap = snaps[i];
    img.removeAttribute("src");
    img.alt = `${snap.kind} snapshot at ${timeOfDay(snap.at)}`;
    view.images.url(snap).then((u) => { if (index === i) img.src = u; }, (e) => { img.alt = `Could not load: ${describe(e)}`; });
    fill(caption, h("span", { class: "badge muted" }, snap.kind), " ",
      h("span", { class: "mono" }, `${new Date(snap.at).toLocaleDateString([], { dateStyle: "medium" })} ${timeOfDay(snap.at)}`), " ",
      h("span", { class: "muted" }, `· ${i + 1} of ${snaps.length} · ${Math.max(1, Math.round(snap.bytes / 1024))} KiB`));
    prev.disabled = i === 0;
    next.disabled = i === snaps.length - 1;
  };
  dialog.addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowLeft") show(index - 1);
    if (ev.key === "ArrowRight") show(index + 1);
  });
  dialog.addEventListener("click", (ev) => { if (ev.target === dialog) dialog.close(); }); // click on the backdrop
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  show(index);
  dialog.showModal();
}

// ---------------------------------------------------------------------------------------------

window.addEventListener("hashchange", route);
route();
