// One validation: its progress lines streaming in while a grader works, then its report and publishing.
import { h, fill, ApiError, confirmDialog, dateTime, timeOfDay } from "../common.js";
import { adminApi, describe, isAbort, errorBox, loading, setTitle, frame, reload } from "../proctor/shell.js";
import { serverSentEvents } from "../events.js";
import { reportView } from "./report.js";
import { validationBadge, authorHref, idTail } from "./format.js";

const POLL_MS = 1000;

export async function renderValidation(s, id) {
  const crumbs = (v) => [{ label: "Packs", href: "#/" },
    v ? { label: v.pack_id, href: v.published_at ? authorHref("packs", v.pack_id) : null } : null,
    { label: `Validation ${idTail(id)}` }].filter(Boolean);
  const { body, setCrumbs } = frame(crumbs(null));
  setTitle("Validation");
  fill(body, loading("Loading the validation…"));
  let first;
  try {
    first = await adminApi(`/api/admin/packs/validations/${id}`);
  } catch (e) {
    if (s.alive && !isAbort(e)) fill(body, errorBox(e, reload));
    return;
  }
  if (!s.alive) return;

  const view = {
    validation: first.validation,
    lastSeq: 0,
    head: h("div", { class: "page-head" }),
    log: h("ol", { class: "progress-log", "aria-live": "polite", "aria-label": "Validation progress", "data-testid": "progress", tabindex: 0 }),
    streamNote: h("div", { class: "stream-note", "aria-live": "polite" }),
    publish: h("section", { class: "panel publish", "data-testid": "publish" }),
    report: h("div", { class: "report-slot" }),
  };
  const redraw = () => {
    setCrumbs(crumbs(view.validation));
    setTitle(`${view.validation.pack_id} validation`);
    drawHead(view);
    drawPublish(s, view, redraw);
    drawReport(view);
  };
  fill(body,
    view.head,
    h("section", { class: "panel" }, h("div", { class: "panel-head" }, h("h2", {}, "Progress"), view.streamNote), view.log),
    view.publish,
    view.report);
  addLines(view, first.events);
  redraw();
  if (view.validation.status !== "done") await follow(s, view, redraw);
}

function addLines(view, events) {
  const atBottom = view.log.scrollHeight - view.log.scrollTop - view.log.clientHeight < 24;
  for (const e of events) {
    if (e.seq <= view.lastSeq) continue;
    view.lastSeq = e.seq;
    view.log.append(h("li", { "data-testid": "progress-line", "data-seq": e.seq },
      h("time", { class: "muted mono small", datetime: e.at }, timeOfDay(e.at)), " ", h("span", {}, e.message)));
  }
  if (atBottom) view.log.scrollTop = view.log.scrollHeight;
}

/**
 * Follows the validation to its end: the event stream, resumed from the last line seen when it
 * breaks (Last-Event-ID); while it cannot be opened, the validation is polled every second instead.
 */
async function follow(s, view, redraw) {
  let statusAsked = false;
  while (s.alive && view.validation.status !== "done") {
    try {
      const response = await adminApi(`/api/admin/packs/validations/${view.validation.id}/events`, {
        raw: true, headers: { Accept: "text/event-stream", "Last-Event-ID": String(view.lastSeq) },
      });
      fill(view.streamNote, h("span", { class: "badge status status-live", "data-testid": "live" }, "live"));
      for await (const ev of serverSentEvents(response)) {
        if (!s.alive) return;
        if (ev.event === "progress") {
          addLines(view, [JSON.parse(ev.data)]);
          // The stream carries lines only until the end; the first line of a grader turns "queued" into "running".
          if (view.validation.status === "queued" && !statusAsked) {
            statusAsked = true;
            refreshStatus(s, view, redraw);
          }
        } else if (ev.event === "validation") {
          view.validation = JSON.parse(ev.data);
          fill(view.streamNote);
          redraw();
          return;
        }
      }
    } catch (e) {
      if (!s.alive || isAbort(e)) return;
      if (e instanceof ApiError && e.status >= 400 && e.status < 500) {
        fill(view.streamNote, errorBox(e, reload));
        return;
      }
    }
    // The stream ended early or could not be opened: poll once, then try the stream again.
    fill(view.streamNote, h("span", { class: "muted small" }, "reconnecting…"));
    await pollOnce(s, view, redraw);
    if (view.validation.status !== "done") await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

async function refreshStatus(s, view, redraw) {
  try {
    const current = await adminApi(`/api/admin/packs/validations/${view.validation.id}`);
    if (s.alive && view.validation.status !== "done") {
      view.validation = current.validation;
      redraw();
    }
  } catch {
    /* the stream still brings the end */
  }
}

async function pollOnce(s, view, redraw) {
  try {
    const current = await adminApi(`/api/admin/packs/validations/${view.validation.id}`);
    if (!s.alive) return;
    addLines(view, current.events);
    const changed = current.validation.status !== view.validation.status;
    view.validation = current.validation;
    if (changed) redraw();
    if (current.validation.status === "done") fill(view.streamNote);
  } catch (e) {
    if (s.alive && !isAbort(e)) fill(view.streamNote, h("span", { class: "bad small" }, `The server did not answer (${describe(e)}); trying again…`));
  }
}

function drawHead(view) {
  const v = view.validation;
  fill(view.head,
    h("div", {},
      h("h1", { "data-testid": "validation-title" }, v.pack_title, " ", validationBadge(v)),
      h("div", { class: "meta" },
        h("span", { class: "mono" }, v.pack_id),
        h("span", {}, `uploaded ${dateTime(v.uploaded_at)} by ${v.uploaded_by}`),
        h("span", {}, `${v.file_count} files`),
        h("span", { "data-testid": "mutants-mode" }, v.mutants ? "with machine mutants" : "machine mutants skipped"),
        v.attempts > 1 ? h("span", { class: "warn" }, `attempt ${v.attempts}`) : null,
        v.finished_at ? h("span", { class: "muted" }, `finished ${dateTime(v.finished_at)}`) : null),
      v.error ? h("div", { class: "error-box", role: "alert", "data-testid": "validation-error" }, `Could not validate: ${v.error}`) : null));
}

function drawReport(view) {
  const v = view.validation;
  if (v.status !== "done") {
    fill(view.report, h("div", { class: "panel muted", "data-testid": "report-pending" },
      v.status === "queued" ? "Waiting for a grader to take this validation up…" : "A grader is validating the pack; the report follows when it is done."));
  } else if (v.report) {
    fill(view.report, reportView(v.report, v));
  } else {
    fill(view.report);
  }
}

function drawPublish(s, view, redraw) {
  const v = view.validation;
  const box = view.publish;
  box.hidden = false;
  if (v.status !== "done") {
    box.hidden = true;
    return;
  }
  if (v.published_at) {
    if (!box.querySelector("[data-testid=published]")) {
      fill(box, h("h2", {}, "Published"), publishedNote(v));
    }
    return;
  }
  if (!v.passed) {
    fill(box, h("h2", {}, "Publish"),
      h("p", { class: "bad", "data-testid": "not-publishable" }, "The pack did not pass: only a passing pack is published. Fix what the report names and upload it again."));
    return;
  }
  if (!v.mutants) {
    fill(box, h("h2", {}, "Publish"),
      h("p", { class: "warn", "data-testid": "not-publishable" }, "This validation skipped the machine mutants, so it cannot be published. Upload the pack again without skipping them."));
    return;
  }
  const outcome = h("div", { "aria-live": "polite" });
  const button = h("button", {
    type: "button", class: "primary", "data-testid": "publish-button",
    onclick: async () => {
      const ok = await confirmDialog(`Publish ${v.pack_id}?`,
        "Each changed challenge becomes a new version for new sessions; running sessions keep the version they started with.", "Publish");
      if (!ok || !s.alive) return;
      button.disabled = true;
      fill(outcome);
      try {
        const published = await adminApi(`/api/admin/packs/validations/${v.id}/publish`, { method: "POST" });
        if (!s.alive) return;
        view.validation = { ...v, published_by: published.published_by, published_at: published.published_at };
        fill(box, h("h2", {}, "Published"), publishedNote(view.validation, published.versions));
        redraw();
      } catch (e) {
        if (!s.alive || isAbort(e)) return;
        button.disabled = false;
        fill(outcome, h("div", { class: "error-box", role: "alert", "data-testid": "publish-error" }, describe(e)));
      }
    },
  }, "Publish");
  fill(box, h("h2", {}, "Publish"),
    h("p", {}, "The pack passed with its machine mutants. Publishing imports it: each changed challenge becomes a new version, an unchanged one keeps its version."),
    h("div", { class: "actions" }, button), outcome);
}

function publishedNote(v, versions) {
  return h("div", { class: "published", "data-testid": "published" },
    h("p", {}, `Published ${dateTime(v.published_at)} by ${v.published_by}. `, h("a", { href: authorHref("packs", v.pack_id), "data-testid": "open-pack" }, `Open ${v.pack_id}`)),
    versions ? h("div", { class: "table-wrap" }, h("table", { class: "grid compact", "data-testid": "published-versions" },
      h("thead", {}, h("tr", {}, h("th", {}, "Challenge"), h("th", {}, "Version"), h("th", {}, h("span", { class: "offscreen" }, "Open")))),
      h("tbody", {}, versions.map((x) => h("tr", { "data-testid": "published-version", "data-challenge": x.challenge },
        h("td", { class: "mono" }, x.challenge),
        h("td", {}, h("a", { href: authorHref("packs", v.pack_id, x.challenge, x.version_id), class: "mono" }, x.content_hash.slice(0, 12))),
        h("td", {}, x.new ? h("span", { class: "badge ok" }, "new version") : h("span", { class: "badge muted" }, "unchanged"))))))) : null);
}
