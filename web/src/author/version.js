// A challenge version as its author wrote it: statement, starter and reference, the planted bugs and
// wrong fixes as diffs, the tests, probes and hints. Staff with the author role only: nothing is hidden here.
import { marked } from "marked";
import DOMPurify from "dompurify";
import { h, fill, num } from "../common.js";
import { adminApi, isAbort, errorBox, loading, setTitle, frame, reload } from "../proctor/shell.js";
import { capitalise } from "../proctor/format.js";
import { diffBlock, authorHref } from "./format.js";

/** The statement as candidates see it: pack markdown, sanitised (authored, but never trusted with script). */
function markdown(text) {
  const el = h("div", { class: "markdown", "data-testid": "statement" });
  el.innerHTML = DOMPurify.sanitize(marked.parse(text ?? ""));
  return el;
}

export async function renderVersion(s, packId, challengeId, versionId) {
  const crumbs = (title) => [{ label: "Packs", href: "#/" }, { label: packId, href: authorHref("packs", packId) }, { label: title }];
  const { body, setCrumbs } = frame(crumbs(challengeId));
  setTitle(challengeId);
  fill(body, loading("Loading the challenge version…"));
  let c;
  try {
    c = await adminApi(`/api/admin/challenges/${encodeURIComponent(packId)}/${encodeURIComponent(challengeId)}/versions/${versionId}`);
  } catch (e) {
    if (s.alive && !isAbort(e)) fill(body, errorBox(e, reload));
    return;
  }
  if (!s.alive) return;
  setCrumbs(crumbs(`${c.title} · ${c.content_hash.slice(0, 12)}`));
  setTitle(`${c.title} (${c.content_hash.slice(0, 12)})`);
  fill(body,
    h("div", { class: "page-head", "data-testid": "version", "data-version-id": c.version_id },
      h("div", {},
        h("h1", { "data-testid": "version-title" }, c.title),
        h("div", { class: "meta" },
          h("span", { class: "mono" }, `${c.pack}/${c.id}`),
          h("span", {}, `level ${c.level}`),
          h("span", { class: "mono", title: c.content_hash }, `version ${c.content_hash.slice(0, 12)}`),
          h("span", {}, `about ${c.expected_solve_minutes} min to solve`),
          h("span", {}, `scored by ${c.scoring === "per_bug" ? "planted bug fixed" : "test weight"}`),
          h("span", {}, `limits ${c.limits.time_seconds} s, ${c.limits.memory_mb} MB`),
          h("span", {}, "editable: ", c.editable.map((f) => h("code", {}, f)))),
        c.topics?.length ? h("div", { class: "chips topics" }, c.topics.map((t) => h("span", { class: "chip topic" }, t))) : null)),
    h("section", { class: "panel" }, h("h2", {}, "Statement"), markdown(c.statement)),
    filesPanel("Starter", "starter", c.starter, "What candidates start from: the reference with every planted bug applied."),
    filesPanel("Reference", "reference", c.reference, "The correct solution; its observations are what submissions are compared with."),
    variantsPanel("Planted bugs", "bugs", c.bugs, "No planted bugs."),
    variantsPanel("Wrong fixes", "wrong-fixes", c.wrong_fixes, "No wrong fixes: plausible fixes the tests must reject."),
    testsPanel(c.tests),
    probesPanel(c.probes),
    hintsPanel(c.hints));
}

function filesPanel(title, testid, files, note) {
  const names = Object.keys(files ?? {}).sort();
  return h("section", { class: "panel", "data-testid": testid },
    h("h2", {}, title, " ", h("span", { class: "badge muted" }, names.length)),
    h("p", { class: "muted small" }, note),
    names.map((name, i) => h("details", { class: "file", open: i === 0 && names.length <= 3 },
      h("summary", { class: "mono" }, name),
      h("pre", { class: "source", "data-testid": `${testid}-file`, "data-file": name }, files[name]))));
}

function variantsPanel(title, testid, variants, none) {
  return h("section", { class: "panel", "data-testid": testid },
    h("h2", {}, title, " ", h("span", { class: "badge muted" }, variants.length)),
    variants.length === 0 ? h("p", { class: "muted" }, none) : variants.map((v) =>
      h("article", { class: "variant", "data-testid": "variant", "data-variant-id": v.id },
        h("h3", {}, h("span", { class: "mono" }, v.id), v.title ? h("span", { class: "muted" }, ` · shown to candidates as “${v.title}”`) : null),
        h("p", {}, v.summary),
        diffBlock(v.diff, { "data-testid": "variant-diff", "aria-label": `Diff of ${v.id} against the reference` }))));
}

function checkText(check) {
  const parts = [check.kind];
  if (check.observation) parts.push(check.observation);
  if (check.left || check.right) parts.push(`${check.left ?? "?"} vs ${check.right ?? "?"}`);
  if (check.below !== null && check.below !== undefined) parts.push(`below ${num(check.below, 6)}`);
  if (check.above !== null && check.above !== undefined) parts.push(`above ${num(check.above, 6)}`);
  if (check.rtol !== undefined) parts.push(`rtol ${check.rtol}`);
  if (check.atol !== undefined) parts.push(`atol ${check.atol}`);
  return parts.join(" · ");
}

function testsPanel(tests) {
  return h("section", { class: "panel", "data-testid": "tests" },
    h("h2", {}, "Tests ", h("span", { class: "badge muted" }, tests.length)),
    h("div", { class: "table-wrap" }, h("table", { class: "grid compact" },
      h("thead", {}, h("tr", {}, h("th", {}, "Test"), h("th", {}, "Visibility"), h("th", {}, "Category"), h("th", { class: "num" }, "Weight"),
        h("th", {}, "Probe"), h("th", {}, "Check"), h("th", {}, "Targets"))),
      h("tbody", {}, tests.map((t) => h("tr", { "data-testid": "test-row", "data-test-id": t.id, "data-visibility": t.visibility },
        h("td", {}, h("div", { class: "mono" }, t.id), t.title && t.title !== t.id ? h("div", { class: "muted small" }, t.title) : null),
        h("td", {}, h("span", { class: `badge ${t.visibility === "public" ? "accent" : "muted"}` }, t.visibility)),
        h("td", {}, capitalise(t.category)),
        h("td", { class: "num" }, num(t.weight)),
        h("td", { class: "mono small" }, t.probe),
        h("td", { class: "mono small" }, checkText(t.check)),
        h("td", { class: "mono small" }, t.targets?.length ? t.targets.join(", ") : "—")))))));
}

function probesPanel(probes) {
  return h("section", { class: "panel", "data-testid": "probes" },
    h("h2", {}, "Probes ", h("span", { class: "badge muted" }, probes.length)),
    h("p", { class: "muted small" }, "Scripts the sandbox runs against the submitted code; their observations are what the tests check."),
    probes.map((p) => h("details", { class: "file" },
      h("summary", { class: "mono" }, p.id),
      h("pre", { class: "source", "data-testid": "probe", "data-probe-id": p.id }, p.code))));
}

function hintsPanel(hints) {
  return h("section", { class: "panel", "data-testid": "hints" },
    h("h2", {}, "Hints ", h("span", { class: "badge muted" }, hints.length)),
    hints.length === 0 ? h("p", { class: "muted" }, "No hints.")
      : h("ol", { class: "hint-list" }, hints.map((x) => h("li", {}, h("span", { class: "badge warn" }, `costs ${x.cost_percent}%`), " ", x.text))));
}
