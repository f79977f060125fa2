// The catalogue a recruiter builds from (GET /api/admin/catalogue): each imported pack with its
// challenges at their latest version and its templates. Drawn, never decided here: the server
// says which version a level pins.
import { h, fill, dateTime } from "../common.js";
import { empty } from "./shell.js";

/** "lab-screen/numerics-warmup": how a level names its challenge. */
export function challengeKey(pack, challenge) {
  return `${pack}/${challenge}`;
}

/** Every challenge by its key, with its pack's id and title alongside. */
export function challengeIndex(catalogue) {
  const index = new Map();
  for (const pack of catalogue.packs) {
    for (const c of pack.challenges) index.set(challengeKey(pack.id, c.id), { ...c, pack: pack.id, pack_title: pack.title });
  }
  return index;
}

/** Every template with its reference ("lab-screen/screen-90", what POST /api/admin/assessments takes) and pack. */
export function templateList(catalogue) {
  return catalogue.packs.flatMap((pack) =>
    (pack.templates ?? []).map((t) => ({ ...t, ref: challengeKey(pack.id, t.id), pack: pack.id, pack_title: pack.title })));
}

export function topicChips(topics) {
  if (!topics?.length) return null;
  return h("span", { class: "chips topics" }, topics.map((t) => h("span", { class: "chip topic", "data-testid": "topic" }, t)));
}

export function testCounts(c) {
  return `${c.public_tests} public · ${c.hidden_tests} hidden test${c.hidden_tests === 1 ? "" : "s"}`;
}

/**
 * The catalogue browser: packs with their challenges, a filter by title, id or topic, and an Add
 * button per challenge. isAdded(key) greys out what the levels list holds already.
 */
export function cataloguePanel(catalogue, { onAdd, isAdded }) {
  const filter = h("input", {
    type: "search", class: "filter", placeholder: "Filter by title or topic", "aria-label": "Filter the catalogue",
    "data-testid": "catalogue-filter",
    oninput: () => draw(),
  });
  const list = h("div", { class: "catalogue-list" });

  const matches = (pack, c, q) =>
    !q || [c.title, c.id, pack.id, pack.title, ...(c.topics ?? [])].some((x) => String(x).toLowerCase().includes(q));

  const draw = () => {
    const q = filter.value.trim().toLowerCase();
    if (catalogue.packs.length === 0) {
      fill(list, empty("No pack is imported yet. Import one with `bughunt pack import <dir>`; its challenges appear here.",
        "catalogue-empty"));
      return;
    }
    const packs = catalogue.packs
      .map((pack) => ({ pack, shown: pack.challenges.filter((c) => matches(pack, c, q)) }))
      .filter((p) => p.shown.length > 0);
    if (packs.length === 0) {
      fill(list, empty(`No challenge matches “${filter.value}”.`));
      return;
    }
    fill(list, packs.map(({ pack, shown }) =>
      h("section", { class: "catalogue-pack", "data-testid": "catalogue-pack", "data-pack": pack.id },
        h("h3", {}, pack.title, " ", h("span", { class: "muted small mono" }, pack.id)),
        h("div", { class: "muted small" }, `${pack.challenges.length} challenge${pack.challenges.length === 1 ? "" : "s"}`,
          pack.templates?.length ? ` · ${pack.templates.length} template${pack.templates.length === 1 ? "" : "s"}` : "",
          ` · imported ${dateTime(pack.imported_at)}`),
        h("ul", { class: "catalogue-challenges" }, shown.map((c) => challengeRow(pack, c))))));
  };

  const challengeRow = (pack, c) => {
    const key = challengeKey(pack.id, c.id);
    const added = isAdded(key);
    return h("li", { class: `catalogue-challenge${added ? " added" : ""}`, "data-testid": "catalogue-challenge", "data-challenge": key },
      h("span", { class: "level-pos", title: `Level ${c.level} in its pack` }, c.level),
      h("div", { class: "level-main" },
        h("div", { class: "strong" }, c.title),
        h("div", { class: "muted small" },
          h("span", { class: "mono" }, c.id), ` · ${c.expected_solve_minutes} min expected · ${testCounts(c)}`),
        topicChips(c.topics),
        h("div", { class: "muted small mono version", title: `content hash ${c.content_hash}` },
          `version ${c.content_hash.slice(0, 12)} · imported ${dateTime(c.imported_at)}`)),
      h("button", {
        type: "button", class: "secondary small", "data-testid": "add-level", disabled: added,
        "aria-label": added ? `Added: ${c.title} is a level already` : `Add ${c.title} as a level`,
        onclick: () => onAdd(pack, c),
      }, added ? "Added" : "Add"));
  };

  draw();
  return {
    element: h("section", { class: "panel catalogue", "data-testid": "catalogue" },
      h("div", { class: "panel-head" }, h("h2", {}, "Catalogue"), h("div", { class: "spacer" }), filter),
      h("p", { class: "muted small" }, "Imported challenges at their latest version; a new level pins that version."),
      list),
    redraw: draw,
  };
}
