// The author console's first page: upload a pack, the validations in progress and done, the imported packs, the rejudges.
import { h, fill, ApiError, dateTime, allItems } from "../common.js";
import { adminApi, poll, isAbort, errorBox, loading, empty, go, setTitle, frame, reload } from "../proctor/shell.js";
import { uploadPanel } from "./upload.js";
import { validationBadge, authorHref } from "./format.js";
import { rejudgesTable } from "./rejudge.js";

const VALIDATIONS_EVERY_MS = 3000;

const roleRefused = (e) => e instanceof ApiError && e.status === 403;

export async function renderHome(s) {
  const { body } = frame([{ label: "Packs" }]);
  setTitle("Packs");
  const packsBox = h("section", { class: "panel flush", "data-testid": "packs-panel" }, loading("Loading packs…"));
  const validationsBox = h("section", { class: "panel flush", "data-testid": "validations-panel" }, loading("Loading validations…"));
  const rejudgesBox = h("section", { class: "panel flush", "data-testid": "rejudges-panel" }, loading("Loading rejudges…"));
  const head = h("div", { class: "page-head" },
    h("div", {}, h("h1", {}, "Packs"),
      h("p", { class: "muted" }, "Upload a pack to have a grader prove it sound through the sandbox, read its report, then publish it as new challenge versions.")));
  fill(body, head, h("div", { class: "row-2" }, uploadPanel(s), validationsBox), packsBox, rejudgesBox);

  const [packs, validations, rejudges] = await Promise.allSettled([
    allItems(adminApi, "/api/admin/packs"),
    adminApi("/api/admin/packs/validations?limit=20").then((page) => page.items),
    adminApi("/api/admin/rejudges?limit=100").then((page) => page.items),
  ]);
  if (!s.alive) return;
  if (packs.status === "rejected" && roleRefused(packs.reason)) {
    // Without the author role nothing here but the rejudges (a recruiter's to apply) is open to the user.
    fill(body, head, h("section", { class: "panel", "data-testid": "role-needed" },
      h("h2", {}, "This console is for pack authors"),
      errorBox(packs.reason),
      h("p", { class: "muted" }, "Ask an admin for a key with the author role (bughunt users add <name> --role author), or open the ",
        h("a", { href: "/proctor" }, "proctor console"), ".")),
    rejudges.status === "fulfilled" ? rejudgesBox : null);
  } else {
    settle(s, packsBox, packs, packsTable, () => empty("No packs are imported yet. Upload one above; once it passes, publish it.", "packs-empty"));
    settle(s, validationsBox, validations, (list) => validationsPanel(list), () => validationsPanel([]));
  }
  settle(s, rejudgesBox, rejudges, (list) => [panelHead("Rejudges", list.length), rejudgesTable(list)],
    () => [panelHead("Rejudges", 0), empty("No rejudges yet. Start one from a challenge with two or more versions, on its pack's page.", "rejudges-empty")]);

  const running = (list) => list.some((v) => v.status !== "done");
  if (validations.status === "fulfilled" && running(validations.value)) {
    poll(s, VALIDATIONS_EVERY_MS, async () => {
      const list = (await adminApi("/api/admin/packs/validations?limit=20")).items;
      if (!s.alive) return false;
      fill(validationsBox, validationsPanel(list));
      return running(list);
    });
  }
}

function settle(s, box, outcome, draw, drawEmpty) {
  if (!s.alive) return;
  if (outcome.status === "rejected") {
    if (!isAbort(outcome.reason)) fill(box, errorBox(outcome.reason, reload));
    return;
  }
  const list = outcome.value;
  fill(box, list.length ? draw(list) : drawEmpty());
}

function panelHead(title, count) {
  return h("div", { class: "panel-head inset" }, h("h2", {}, title, " ", h("span", { class: "badge muted" }, count)));
}

function clickableRow(href, attrs, ...cells) {
  return h("tr", {
    ...attrs, tabindex: 0,
    onclick: (ev) => { if (!ev.target.closest("a, button")) go(href); },
    onkeydown: (ev) => { if (ev.key === "Enter" && !ev.target.closest("a, button")) go(href); },
  }, cells);
}

function packsTable(list) {
  return [panelHead("Imported packs", list.length),
    h("div", { class: "table-wrap" }, h("table", { class: "grid clickable", "data-testid": "packs" },
      h("thead", {}, h("tr", {}, h("th", {}, "Pack"), h("th", { class: "num" }, "Challenges"), h("th", { class: "num" }, "Versions"),
        h("th", { class: "num" }, "Templates"), h("th", {}, "Published"), h("th", {}, "Validation"))),
      h("tbody", {}, list.map((p) => clickableRow(authorHref("packs", p.id), { "data-testid": "pack-row", "data-pack-id": p.id },
        h("td", {}, h("a", { href: authorHref("packs", p.id), class: "strong" }, p.title), h("div", { class: "muted small mono" }, p.id)),
        h("td", { class: "num" }, p.challenges),
        h("td", { class: "num" }, p.versions),
        h("td", { class: "num" }, p.templates),
        h("td", { class: "muted" }, dateTime(p.imported_at), p.published_by ? ` by ${p.published_by}` : " (imported from disk)"),
        h("td", {}, p.validation_id ? h("a", { href: authorHref("validations", p.validation_id) }, "report") : h("span", { class: "muted" }, "—")))))))];
}

function validationsPanel(list) {
  return [panelHead("Validations", list.length),
    list.length === 0 ? empty("No uploads yet. A pack you upload is validated by a grader; its progress shows here.", "validations-empty")
      : h("div", { class: "table-wrap" }, h("table", { class: "grid clickable compact", "data-testid": "validations" },
        h("thead", {}, h("tr", {}, h("th", {}, "Pack"), h("th", {}, "Uploaded"), h("th", {}, "Status"))),
        h("tbody", {}, list.map((v) => clickableRow(authorHref("validations", v.id), { "data-testid": "validation-row", "data-validation-id": v.id },
          h("td", {}, h("a", { href: authorHref("validations", v.id), class: "strong" }, v.pack_id),
            v.mutants ? null : h("span", { class: "badge muted", title: "machine mutants skipped" }, "no mutants")),
          h("td", { class: "muted" }, dateTime(v.uploaded_at), ` by ${v.uploaded_by}`),
          h("td", {}, validationBadge(v)))))))];
}
