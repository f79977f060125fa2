// The assessment builder (#/assessments/new): start from a pack's template or from scratch, pick
// levels from the catalogue and order them, set the time limit, points, pass bar and pass rules,
// hints, AI-assistant policy and proctoring, then create it (POST /api/admin/assessments).
// The checks here are the server's, so that a mistake shows at its field before anything is sent;
// a 400 the server still gives is shown at the field it names.
import { h, fill, toast, confirmDialog, ApiError, allItems } from "../common.js";
import { adminApi, describe, isAbort, errorBox, loading, go, setTitle, frame, reload } from "./shell.js";
import { cataloguePanel, challengeIndex, challengeKey, templateList, topicChips, testCounts } from "./catalogue.js";

/** The server's bounds (AssessmentAdminApi.CreateAsync). */
const MAX_LEVELS = 20;
const MAX_NAME = 200;
const MAX_TIME = 1440;
const MAX_LEVEL_POINTS = 10000;

const SCRATCH = {
  name: "", time_limit_minutes: 90, max_points: 600, pass_points: 420, hints_allowed: true, ai_policy: "",
  proctoring: { webcam: false, screen: false }, levels: [],
};

export async function renderBuilder(s, templateRef) {
  const { body } = frame([{ label: "Assessments", href: "#/" }, { label: "New assessment" }]);
  setTitle("New assessment");
  fill(body, loading("Loading the catalogue…"));
  let catalogue;
  try {
    catalogue = { packs: await allItems(adminApi, "/api/admin/catalogue") };
  } catch (e) {
    if (s.alive && !isAbort(e)) fill(body, errorBox(e, reload));
    return;
  }
  if (!s.alive) return;
  const builder = builderView(catalogue);
  fill(body, builder.element);
  if (templateRef) builder.startFrom(templateRef);
}

function builderView(catalogue) {
  const index = challengeIndex(catalogue);
  const templates = templateList(catalogue);
  let levels = [];
  const slots = new Map();

  const slot = (field) => {
    const el = h("div", { class: "field-error", role: "alert", "data-testid": "field-error", "data-field": field });
    slots.set(field, el);
    return el;
  };
  const input = (id, attrs) => h("input", { id, name: id, autocomplete: "off", ...attrs });

  const name = input("assessment-name", { maxlength: MAX_NAME, placeholder: "ML engineer screen", required: true });
  const time = input("time-limit", { type: "number", min: 1, max: MAX_TIME, step: 1, required: true });
  const maxPoints = input("max-points", { type: "number", min: 1, step: 1, required: true });
  const passPoints = input("pass-points", { type: "number", min: 0, step: 1, required: true });
  const hints = input("hints-allowed", { type: "checkbox" });
  const aiPolicy = h("textarea", { id: "ai-policy", name: "ai-policy", rows: 3, placeholder: "Leave empty for BugHunt's default policy." });
  const webcam = input("proctor-webcam", { type: "checkbox" });
  const screen = input("proctor-screen", { type: "checkbox" });
  const levelList = h("ol", { class: "builder-levels", "data-testid": "builder-levels" });
  const expected = h("div", { class: "muted small", "data-testid": "expected-minutes" });
  const passShare = h("span", { class: "muted small" });
  const origin = h("div", { class: "origin", "aria-live": "polite" });
  const summary = h("div", { class: "form-summary", "aria-live": "polite" });
  const create = h("button", { type: "submit", class: "primary", "data-testid": "create-assessment" }, "Create assessment");

  const catalogueView = cataloguePanel(catalogue, {
    onAdd: (pack, c) => addLevel(pack.id, c.id),
    isAdded: (key) => levels.some((l) => l.key === key),
  });

  const setForm = (v) => {
    name.value = v.name ?? "";
    time.value = v.time_limit_minutes ?? "";
    maxPoints.value = v.max_points ?? "";
    passPoints.value = v.pass_points ?? "";
    hints.checked = v.hints_allowed ?? true;
    aiPolicy.value = v.ai_policy ?? "";
    webcam.checked = !!v.proctoring?.webcam;
    screen.checked = !!v.proctoring?.screen;
    levels = (v.levels ?? []).map((l) => ({
      key: challengeKey(l.pack, l.challenge), pack: l.pack, challenge: l.challenge, points: l.points ?? 100,
      rule: l.pass_rule === "score" ? "score" : "all_tests",
      percent: l.pass_rule === "score" && typeof l.pass_threshold === "number" ? Math.round(l.pass_threshold * 1000) / 10 : 80,
    }));
    clearErrors();
    drawLevels();
  };

  const addLevel = (pack, challenge) => {
    if (levels.length >= MAX_LEVELS) return showErrors([{ field: "levels", message: `An assessment has at most ${MAX_LEVELS} levels.` }]);
    levels.push({ key: challengeKey(pack, challenge), pack, challenge, points: 100, rule: "all_tests", percent: 80 });
    drawLevels();
    clearError("levels");
  };

  const move = (i, by, focus) => {
    const j = i + by;
    if (j < 0 || j >= levels.length) return;
    [levels[i], levels[j]] = [levels[j], levels[i]];
    drawLevels();
    levelList.children[j]?.querySelector(`[data-testid=${focus}]:not(:disabled)`)?.focus();
  };

  const drawLevels = () => {
    for (const key of [...slots.keys()]) if (key.startsWith("levels[")) slots.delete(key);
    fill(levelList, levels.length === 0
      ? h("li", { class: "empty", "data-testid": "no-levels" },
        "No levels yet: add challenges from the catalogue. Levels unlock in this order.")
      : levels.map((l, i) => levelRow(l, i)));
    const minutes = levels.reduce((sum, l) => sum + (index.get(l.key)?.expected_solve_minutes ?? 0), 0);
    fill(expected, levels.length === 0 ? "" : [
      `The levels' expected solve times add up to ${minutes} min. `,
      h("button", {
        type: "button", class: "link-button small", "data-testid": "use-expected",
        onclick: () => { time.value = minutes; clearError("time_limit_minutes"); },
      }, "Use as time limit"),
    ]);
    catalogueView.redraw();
  };

  const levelRow = (l, i) => {
    const c = index.get(l.key);
    const points = h("input", {
      type: "number", min: 0, max: MAX_LEVEL_POINTS, step: 1, value: l.points, class: "points",
      "data-testid": "level-points", "aria-label": `Level ${i + 1} points`,
      oninput: () => { l.points = points.value; clearError(`levels[${i}].points`); },
    });
    const threshold = h("input", {
      type: "number", min: 1, max: 100, step: "any", value: l.percent, class: "threshold", "data-testid": "level-threshold",
      "aria-label": `Level ${i + 1} pass threshold in percent`, disabled: l.rule !== "score",
      oninput: () => { l.percent = threshold.value; clearError(`levels[${i}].pass_rule`); },
    });
    const rule = h("select", {
      "data-testid": "level-rule", "aria-label": `Level ${i + 1} pass rule`,
      onchange: () => { l.rule = rule.value; threshold.disabled = l.rule !== "score"; clearError(`levels[${i}].pass_rule`); },
    }, h("option", { value: "all_tests" }, "all tests pass"), h("option", { value: "score" }, "score at least"));
    rule.value = l.rule;
    const button = (testid, label, title, onclick, disabled) =>
      h("button", {
        type: "button", class: "secondary small icon", "data-testid": testid, title, disabled, onclick,
        "aria-label": `${title}: level ${i + 1}`,
      }, label);
    return h("li", { class: "builder-level", "data-testid": "builder-level", "data-challenge": l.key, "data-position": i + 1 },
      h("span", { class: "level-pos" }, i + 1),
      h("div", { class: "level-main" },
        h("div", { class: "strong" }, c?.title ?? l.key),
        h("div", { class: "muted small" }, h("span", { class: "mono" }, l.key),
          c ? ` · level ${c.level} in its pack · ${c.expected_solve_minutes} min expected · ${testCounts(c)}` : ""),
        c ? topicChips(c.topics) : h("div", { class: "bad small" }, "Not in the catalogue: import its pack, or remove this level."),
        h("div", { class: "level-rules" },
          h("label", { class: "inline" }, h("span", {}, "Points"), points),
          h("label", { class: "inline" }, h("span", {}, "Pass when"), rule),
          h("label", { class: "inline" }, threshold, h("span", {}, "%"))),
        slot(`levels[${i}]`), slot(`levels[${i}].points`), slot(`levels[${i}].pass_rule`)),
      h("div", { class: "level-buttons" },
        button("move-up", "↑", "Move up", () => move(i, -1, "move-up"), i === 0),
        button("move-down", "↓", "Move down", () => move(i, 1, "move-down"), i === levels.length - 1),
        button("remove-level", "✕", "Remove", () => { levels.splice(i, 1); drawLevels(); })));
  };

  /** The request body of POST /api/admin/assessments, as the form says. */
  const body = () => ({
    name: name.value.trim(),
    time_limit_minutes: whole(time.value),
    max_points: whole(maxPoints.value),
    pass_points: whole(passPoints.value),
    hints_allowed: hints.checked,
    ai_policy: aiPolicy.value.trim() || null,
    proctoring: { webcam: webcam.checked, screen: screen.checked },
    levels: levels.map((l) => l.rule === "score"
      ? { pack: l.pack, challenge: l.challenge, points: whole(l.points), pass_rule: "score", pass_threshold: fraction(l.percent) }
      : { pack: l.pack, challenge: l.challenge, points: whole(l.points), pass_rule: "all_tests" }),
  });

  /** The server's checks, in its words (its field names), one problem per field. */
  const validate = (b) => {
    const errors = [];
    const fail = (field, message) => errors.push({ field, message });
    if (!b.name || b.name.length > MAX_NAME) fail("name", `name is required (at most ${MAX_NAME} characters).`);
    if (b.levels.length < 1 || b.levels.length > MAX_LEVELS) {
      fail("levels", `levels must list 1 to ${MAX_LEVELS} levels: add challenges from the catalogue.`);
    }
    if (!(b.time_limit_minutes >= 1 && b.time_limit_minutes <= MAX_TIME)) {
      fail("time_limit_minutes", `time_limit_minutes must be 1..${MAX_TIME}.`);
    }
    if (!(b.max_points >= 1)) fail("max_points", "max_points must be positive.");
    else if (!(b.pass_points >= 0 && b.pass_points <= b.max_points)) fail("pass_points", "pass_points must be between 0 and max_points.");
    b.levels.forEach((l, i) => {
      if (!index.has(challengeKey(l.pack, l.challenge))) {
        fail(`levels[${i}]`,
          `levels[${i}]: no imported challenge ${l.pack}/${l.challenge} (import the pack with \`bughunt pack import\`).`);
      }
      if (!(l.points >= 0 && l.points <= MAX_LEVEL_POINTS)) {
        fail(`levels[${i}].points`, `levels[${i}].points must be 0..${MAX_LEVEL_POINTS}.`);
      }
      if (l.pass_rule === "score" && !(l.pass_threshold > 0 && l.pass_threshold <= 1)) {
        fail(`levels[${i}].pass_rule`,
          `levels[${i}].pass_rule must be "all_tests" or "score" with pass_threshold in (0, 1]: `
            + "a score threshold above 0% and at most 100%.");
      }
    });
    return errors;
  };

  function clearError(field) {
    slots.get(field)?.replaceChildren();
    if (![...slots.values()].some((el) => el.childNodes.length)) summary.replaceChildren();
  }

  function clearErrors() {
    for (const el of slots.values()) el.replaceChildren();
    summary.replaceChildren();
  }

  function showErrors(errors) {
    clearErrors();
    const unplaced = [];
    for (const e of errors) {
      const el = slots.get(e.field);
      if (el) el.append(h("div", {}, e.message));
      else unplaced.push(e.message);
    }
    fill(summary, errors.length === 0 ? null : h("div", { class: "error-box", role: "alert", "data-testid": "builder-errors" },
      h("span", {},
        errors.length === 1 ? "The assessment is not valid: " : `The assessment has ${errors.length} problems, marked at their fields. `,
        unplaced.join(" "))));
    slots.get(errors[0]?.field)?.closest("label, li, .field")?.querySelector("input, select, textarea")?.focus();
  }

  /** A 400 from the server names its field first ("levels[1].points must be…"): show it there. */
  const fieldOf = (detail) => {
    const m = /^(levels\[\d+\](?:\.(?:points|pass_rule|pass_threshold))?|name|time_limit_minutes|max_points|pass_points)\b/.exec(detail);
    const field = m?.[1].replace(".pass_threshold", ".pass_rule");
    if (field && slots.has(field)) return field;
    const level = /^(levels\[\d+\])/.exec(detail)?.[1];
    return level && slots.has(level) ? level : "form";
  };

  const submit = async (ev) => {
    ev.preventDefault();
    const b = body();
    const errors = validate(b);
    if (errors.length) return showErrors(errors);
    create.disabled = true;
    create.textContent = "Creating…";
    try {
      const created = await adminApi("/api/admin/assessments", { method: "POST", json: b });
      toast(`Assessment “${created.name}” created`, "success");
      go(`#/assessments/${created.id}`);
    } catch (e) {
      if (isAbort(e)) return;
      if (e instanceof ApiError && e.status === 400) showErrors([{ field: fieldOf(e.message), message: e.message }]);
      else showErrors([{ field: "form", message: `The assessment was not created. ${describe(e)}` }]);
      create.disabled = false;
      create.textContent = "Create assessment";
    }
  };

  const dirty = () => levels.length > 0 || name.value.trim() !== "";

  const startFrom = async (ref) => {
    const t = ref && templates.find((x) => x.ref === ref);
    if (ref && !t) return showErrors([{ field: "form", message: `No template ${ref} in the catalogue.` }]);
    const replace = () =>
      confirmDialog("Replace this assessment?", "Starting again replaces the name, levels and rules you have set here.", "Start again");
    if (dirty() && !(await replace())) return;
    setForm(t ?? SCRATCH);
    fill(origin, t
      ? h("div", { class: "notice small", "data-testid": "started-from" },
        `Started from the template “${t.name}” (${t.ref}). Change anything before creating it.`)
      : null);
    name.focus();
  };

  time.addEventListener("input", () => clearError("time_limit_minutes"));
  maxPoints.addEventListener("input", () => { clearError("max_points"); clearError("pass_points"); showShare(); });
  passPoints.addEventListener("input", () => { clearError("pass_points"); showShare(); });
  name.addEventListener("input", () => clearError("name"));
  const showShare = () => {
    const max = Number(maxPoints.value);
    const pass = Number(passPoints.value);
    passShare.textContent = max > 0 && pass >= 0 && pass <= max ? `${Math.round((pass / max) * 100)}% of the maximum` : "";
  };

  const field = (label, control, key, extra) =>
    h("label", { class: "field" }, h("span", {}, label), control, extra ?? null, key ? slot(key) : null);

  setForm(SCRATCH);
  showShare();

  const element = h("div", { class: "builder", "data-testid": "builder" },
    h("div", { class: "page-head" },
      h("div", {}, h("h1", {}, "New assessment"),
        h("p", { class: "muted" },
          "Start from a pack's template or from scratch, add levels from the catalogue and put them in order, then set the rules."))),
    startPanel(templates, startFrom),
    h("div", { class: "row-builder" },
      catalogueView.element,
      h("form", { class: "panel builder-form", "data-testid": "builder-form", novalidate: true, onsubmit: submit },
        origin,
        h("h2", {}, "Assessment"),
        field("Name", name, "name"),
        h("h3", {}, "Levels"),
        h("p", { class: "muted small" },
          "Level n unlocks when level n−1 is passed. Points are weights: together the levels are worth the maximum points."),
        levelList, slot("levels"),
        h("h3", {}, "Time and scoring"),
        h("div", { class: "field-row" },
          field("Time limit (minutes)", time, "time_limit_minutes"),
          field("Maximum points", maxPoints, "max_points"),
          field("Pass bar (points)", passPoints, "pass_points", passShare)),
        expected,
        h("h3", {}, "Rules for the candidate"),
        h("label", { class: "check" }, hints, " Hints may be revealed (each costs its share of the level's points)"),
        field("AI-assistant policy", aiPolicy, null),
        h("fieldset", { class: "proctoring" },
          h("legend", {}, "Proctoring (the candidate consents before the clock starts)"),
          h("label", { class: "check" }, webcam, " Webcam snapshots"),
          h("label", { class: "check" }, screen, " Screen snapshots")),
        slot("form"),
        summary,
        h("div", { class: "actions" }, h("a", { href: "#/", class: "secondary-link" }, "Cancel"), create))));
  return { element, startFrom };
}

function startPanel(templates, startFrom) {
  const card = (t) => h("li", { class: "template", "data-testid": "template", "data-template": t.ref },
    h("div", { class: "strong" }, t.name),
    t.description ? h("p", { class: "muted small" }, t.description) : null,
    h("div", { class: "muted small" }, `${t.pack_title} · ${t.levels?.length ?? 0} levels · ${t.time_limit_minutes ?? "—"} min`),
    h("button", { type: "button", class: "secondary small", "data-testid": "use-template", onclick: () => startFrom(t.ref) },
      "Use this template"));
  return h("section", { class: "panel start-from", "data-testid": "start-from" },
    h("h2", {}, "Start from"),
    h("ul", { class: "templates" },
      h("li", { class: "template scratch" },
        h("div", { class: "strong" }, "From scratch"),
        h("p", { class: "muted small" }, "An empty assessment: pick every level yourself."),
        h("button", { type: "button", class: "secondary small", "data-testid": "from-scratch", onclick: () => startFrom(null) },
          "Start from scratch")),
      templates.map(card)),
    templates.length === 0
      ? h("p", { class: "muted small", "data-testid": "no-templates" }, "No imported pack offers templates yet.")
      : null);
}

/** A whole number from a form field, or NaN (which every check refuses). */
function whole(value) {
  const n = Number(value);
  return value === "" || !Number.isInteger(n) ? Number.NaN : n;
}

/** A percentage field as the fraction the API takes. */
function fraction(percent) {
  const n = Number(percent);
  return percent === "" || !Number.isFinite(n) ? Number.NaN : n / 100;
}
