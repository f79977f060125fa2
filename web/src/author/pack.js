// A pack: its challenges with every version (the latest marked), its templates, its validations, and a rejudge between two versions.
import { h, fill, dateTime, allItems } from "../common.js";
import { adminApi, describe, isAbort, errorBox, loading, empty, go, setTitle, frame, reload } from "../proctor/shell.js";
import { integer } from "../proctor/format.js";
import { validationBadge, authorHref } from "./format.js";

export async function renderPack(s, packId) {
  const { body, setCrumbs } = frame([{ label: "Packs", href: "#/" }, { label: packId }]);
  setTitle(packId);
  fill(body, loading("Loading the pack…"));
  let pack;
  let validations;
  try {
    [pack, validations] = await Promise.all([
      adminApi(`/api/admin/packs/${encodeURIComponent(packId)}`),
      allItems(adminApi, `/api/admin/packs/validations?pack=${encodeURIComponent(packId)}`),
    ]);
  } catch (e) {
    if (s.alive && !isAbort(e)) fill(body, errorBox(e, reload));
    return;
  }
  if (!s.alive) return;
  setCrumbs([{ label: "Packs", href: "#/" }, { label: pack.title }]);
  setTitle(pack.title);
  fill(body,
    h("div", { class: "page-head" },
      h("div", {},
        h("h1", { "data-testid": "pack-title" }, pack.title),
        h("div", { class: "meta" },
          h("span", { class: "mono" }, pack.id),
          h("span", {}, `imported ${dateTime(pack.imported_at)}`, pack.published_by ? ` by ${pack.published_by}` : " from disk"),
          pack.validation_id ? h("a", { href: authorHref("validations", pack.validation_id), "data-testid": "pack-validation" }, "its validation report") : null))),
    pack.challenges.length === 0 ? empty("This pack has no challenges.", "challenges-empty") : pack.challenges.map((c) => challengePanel(s, pack, c)),
    templatesPanel(pack.templates),
    validationsPanel(validations));
}

function challengePanel(s, pack, c) {
  const title = c.versions[0]?.title ?? c.id;
  return h("section", { class: "panel", "data-testid": "challenge", "data-challenge": c.id },
    h("div", { class: "panel-head" },
      h("h2", {}, `Level ${c.versions[0]?.level ?? "?"} · ${title}`),
      h("span", { class: "mono muted" }, c.id),
      h("span", { class: "badge muted" }, `${c.versions.length} version${c.versions.length === 1 ? "" : "s"}`)),
    h("div", { class: "table-wrap" }, h("table", { class: "grid compact", "data-testid": "versions" },
      h("thead", {}, h("tr", {}, h("th", {}, "Version"), h("th", {}, "Title"), h("th", {}, "Imported"), h("th", { class: "num" }, "Submissions"), h("th", {}, "Validation"))),
      h("tbody", {}, c.versions.map((v) => h("tr", { "data-testid": "version-row", "data-version-id": v.id, "data-latest": String(v.latest) },
        h("td", {}, h("a", { href: authorHref("packs", pack.id, c.id, v.id), class: "mono strong", "data-testid": "open-version" }, v.content_hash.slice(0, 12)),
          v.latest ? [" ", h("span", { class: "badge accent", "data-testid": "latest" }, "latest")] : null),
        h("td", {}, v.title),
        h("td", { class: "muted" }, dateTime(v.imported_at)),
        h("td", { class: "num", "data-testid": "submissions" }, integer.format(v.submissions)),
        h("td", {}, v.validation_id ? h("a", { href: authorHref("validations", v.validation_id) }, "report") : h("span", { class: "muted" }, "imported from disk"))))))),
    c.versions.length >= 2 ? rejudgeForm(s, c) : null);
}

/** Grades the submissions of one version again against another: the default is the newest older version with submissions, to the latest. */
function rejudgeForm(s, c) {
  const label = (v) => `${v.content_hash.slice(0, 12)}${v.latest ? " (latest)" : ""} · ${dateTime(v.imported_at)} · ${integer.format(v.submissions)} submission${v.submissions === 1 ? "" : "s"}`;
  const options = (selected) => c.versions.map((v) => h("option", { value: v.id, selected: v.id === selected }, label(v)));
  const to = c.versions.find((v) => v.latest) ?? c.versions[0];
  const from = c.versions.find((v) => v.id !== to.id && v.submissions > 0) ?? c.versions.find((v) => v.id !== to.id);
  const idFor = (part) => `rejudge-${part}-${c.id}`;
  const fromSelect = h("select", { id: idFor("from"), "data-testid": "rejudge-from" }, options(from.id));
  const toSelect = h("select", { id: idFor("to"), "data-testid": "rejudge-to" }, options(to.id));
  const button = h("button", { type: "submit", class: "primary", "data-testid": "start-rejudge" }, "Start rejudge");
  const outcome = h("div", { "aria-live": "polite" });
  const submit = async (ev) => {
    ev.preventDefault();
    fill(outcome);
    if (fromSelect.value === toSelect.value) {
      fill(outcome, h("div", { class: "error-box", role: "alert", "data-testid": "rejudge-error" }, "Choose two different versions."));
      return;
    }
    button.disabled = true;
    try {
      const started = await adminApi("/api/admin/rejudges", { method: "POST", json: { from_version: fromSelect.value, to_version: toSelect.value } });
      if (s.alive) go(authorHref("rejudges", started.id));
    } catch (e) {
      if (!s.alive || isAbort(e)) return;
      button.disabled = false;
      fill(outcome, h("div", { class: "error-box", role: "alert", "data-testid": "rejudge-error" }, describe(e)));
    }
  };
  return h("form", { class: "rejudge-form", "data-testid": "rejudge-form", onsubmit: submit },
    h("h3", {}, "Rejudge"),
    h("p", { class: "muted small" }, "Grade every scored submission of one version again against another. Nothing changes until a recruiter reads the diff and applies it."),
    h("div", { class: "rejudge-fields" },
      h("label", { class: "field", for: idFor("from") }, "Submissions of", fromSelect),
      h("label", { class: "field", for: idFor("to") }, "graded against", toSelect),
      h("div", { class: "field end" }, button)),
    outcome);
}

function templatesPanel(templates) {
  return h("section", { class: "panel", "data-testid": "templates" },
    h("h2", {}, "Assessment templates ", h("span", { class: "badge muted" }, templates.length)),
    templates.length === 0 ? h("p", { class: "muted" }, "This pack offers no assessment templates (assessments: in pack.yaml).")
      : h("ul", { class: "template-list" }, templates.map((t) => h("li", { class: "template", "data-testid": "template", "data-template-id": t.id },
        h("div", {}, h("span", { class: "strong" }, t.name), " ", h("span", { class: "mono muted small" }, t.id)),
        t.description ? h("p", { class: "muted small" }, t.description) : null,
        h("p", { class: "small" }, `${t.levels.length} level${t.levels.length === 1 ? "" : "s"} · ${t.time_limit_minutes} min · pass ${t.pass_points} / ${t.max_points}`),
        h("ol", { class: "small template-levels" }, t.levels.map((l) => h("li", {}, h("span", { class: "mono" }, `${l.pack}/${l.challenge}`), ` · ${l.points} pts`)))))));
}

function validationsPanel(list) {
  return h("section", { class: "panel", "data-testid": "pack-validations" },
    h("h2", {}, "Uploads of this pack ", h("span", { class: "badge muted" }, list.length)),
    list.length === 0 ? h("p", { class: "muted" }, "None: the pack was imported from disk (bughunt pack import).")
      : h("div", { class: "table-wrap" }, h("table", { class: "grid compact" },
        h("thead", {}, h("tr", {}, h("th", {}, "Uploaded"), h("th", {}, "By"), h("th", {}, "Status"), h("th", {}, h("span", { class: "offscreen" }, "Report")))),
        h("tbody", {}, list.map((v) => h("tr", { "data-testid": "pack-validation-row" },
          h("td", {}, dateTime(v.uploaded_at)),
          h("td", {}, v.uploaded_by),
          h("td", {}, validationBadge(v), v.mutants ? null : h("span", { class: "badge muted" }, "no mutants")),
          h("td", {}, h("a", { href: authorHref("validations", v.id) }, "report"))))))));
}
