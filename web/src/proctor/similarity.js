// Similar fixes of a level, and two of them side by side.
import { diffLines } from "diff";
import { h, fill, allItems } from "../common.js";
import { adminApi, isAbort, errorBox, loading, empty } from "./shell.js";
import { percent, candidateName } from "./format.js";

const DIFF_CONTEXT = 3;

export function similarityPanel(s, a, compareSlot) {
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
    const pairs = await allItems(adminApi, `/api/admin/assessments/${a.id}/levels/${level.position}/similarity`);
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
  return h("div", { class: "table-wrap" }, h("table", { class: "grid pairs" },
    h("thead", {}, h("tr", {}, h("th", {}, "Candidates"), h("th", {}, "Similarity"), h("th", { class: "num" }, "Own edit tokens"), h("th", {}, h("span", { class: "offscreen" }, "Compare")))),
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
        }, "Compare")))))));
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
      h("div", { class: "file-columns", style: `--columns:${columns}` }, f.sides.map(({ c, text }) => {
        const view = diffView(f.starter, text, `${candidateName(c.candidate)}'s changes to ${f.name} against the starter`);
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
function diffView(before, after, label) {
  const parts = diffLines(normalise(before), normalise(after));
  const el = h("div", { class: "diff mono", role: "region", "aria-label": label, tabindex: 0 });
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
