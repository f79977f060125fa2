// What the author pages draw alike: verdicts, a validation's state, seconds, diffs, test names, and who is signed in.
import { h, num, verdictNames } from "../common.js";
import { STAFF_STORAGE, adminApi } from "../proctor/shell.js";

/** A verdict as the pages name it, from the API's "wrong_answer". */
export function verdictLabel(verdict) {
  if (!verdict) return "—";
  return verdictNames[verdict] ?? String(verdict);
}

export function isAccepted(verdict) {
  return verdict === "accepted";
}

/** queued / running / passed / failed / published, as a badge. */
export function validationBadge(v) {
  const [label, cls] = v.status !== "done" ? [v.status === "running" ? "running" : "queued", "status-live"]
    : v.published_at ? ["published", "ok filled"]
    : v.passed ? ["passed", "ok"]
    : ["failed", "bad filled"];
  return h("span", { class: `badge status ${cls}`, "data-testid": "validation-status", "data-status": label }, label);
}

export function seconds(x) {
  return x === null || x === undefined ? "—" : `${x < 10 ? x.toFixed(1) : num(x, 0)} s`;
}

/**
 * The last 8 hex digits of an id. Validation, rejudge and version ids are UUIDv7, whose first
 * digits are the time they were made: ids made in the same minute share them, but not their tails.
 */
export function idTail(id) {
  return String(id).replace(/-/g, "").slice(-8);
}

/** Text with `code` spans (as the mutator describes a change) drawn as <code>, all as text nodes. */
export function withCode(text) {
  return String(text ?? "").split("`").map((part, i) => (i % 2 === 1 ? h("code", {}, part) : part));
}

/** A unified diff in a <pre>, each line coloured by its first character (text nodes only). */
export function diffBlock(text, attrs = {}) {
  const lines = String(text ?? "").replace(/\n$/, "").split("\n");
  return h("pre", { class: "unified-diff", ...attrs }, lines.map((line) => {
    const cls = line.startsWith("+++") || line.startsWith("---") ? "file"
      : line.startsWith("@@") ? "hunk"
      : line.startsWith("+") ? "add"
      : line.startsWith("-") ? "del"
      : null;
    return h("span", { class: cls ? `line ${cls}` : "line" }, line, "\n");
  }));
}

/** Test names as code chips, or a dash. */
export function testNames(names, cls = "") {
  if (!names?.length) return h("span", { class: "muted" }, "—");
  return h("span", { class: "test-names" }, names.map((n) => h("code", { class: `test-name ${cls}` }, n)));
}

/** The signed-in user ({name, role}): what sign-in stored, or else asked of the server. */
export async function whoAmI() {
  try {
    const stored = JSON.parse(sessionStorage.getItem(STAFF_STORAGE) ?? "null");
    if (stored?.role) return stored;
  } catch {
    /* unreadable: ask again */
  }
  const me = await adminApi("/api/admin/me");
  sessionStorage.setItem(STAFF_STORAGE, JSON.stringify(me));
  return me;
}

/** A link into the author console, with each path part escaped. */
export function authorHref(...parts) {
  return `#/${parts.map((p) => encodeURIComponent(p)).join("/")}`;
}
