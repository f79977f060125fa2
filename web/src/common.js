// Shared by the candidate IDE and the proctor console: DOM building, API calls with
// ProblemDetails errors, formatting and small SVG charts. No framework: the pages are small.

/** Builds an element. Strings become text nodes (never HTML); attributes starting with "on" are listeners. */
export function h(tag, attrs = {}, ...children) {
  const svg = ["svg", "path", "polyline", "line", "rect", "text", "g", "circle", "title"].includes(tag);
  const el = svg ? document.createElementNS("http://www.w3.org/2000/svg", tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(el.dataset, v);
    else el.setAttribute(k === "className" ? "class" : k, v === true ? "" : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** An API answer that was not a success: carries the ProblemDetails a person can act on. */
export class ApiError extends Error {
  /** problem: the whole ProblemDetails body, with any fields the endpoint adds (a bulk invite's row, for one). */
  constructor(status, title, detail, retryAfter, problem = null) {
    super(detail || title || `HTTP ${status}`);
    this.status = status;
    this.title = title;
    this.retryAfter = retryAfter;
    this.problem = problem;
  }
}

/** Calls the API on this origin. JSON in and out; a non-2xx answer throws ApiError. */
export async function api(method, path, { headers = {}, json, body, signal, raw = false } = {}) {
  const init = { method, headers: { ...headers }, signal };
  if (json !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(json);
  } else if (body !== undefined) {
    init.body = body;
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    if (e.name === "AbortError") throw e;
    throw new ApiError(0, "Offline", "The server cannot be reached. Check your connection; your code is kept in this browser.");
  }
  if (!response.ok) {
    let title = response.statusText;
    let detail = "";
    let problem = null;
    try {
      problem = await response.json();
      title = problem.title ?? title;
      detail = problem.detail ?? "";
    } catch {
      /* not ProblemDetails */
    }
    const retry = Number(response.headers.get("Retry-After"));
    throw new ApiError(response.status, title, detail, Number.isFinite(retry) && retry > 0 ? retry : undefined, problem);
  }
  if (raw) return response;
  if (response.status === 204) return null;
  const type = response.headers.get("Content-Type") ?? "";
  return type.includes("json") ? response.json() : response.text();
}

/** JSON this browser keeps under key (a draft not yet saved), or null when there is none or it cannot be read. */
export function stored(key) {
  try {
    return JSON.parse(localStorage.getItem(key) ?? "null");
  } catch {
    return null;
  }
}

/**
 * Every item of a paged list endpoint ({ items, next_cursor }), page after page: `get` is the
 * page's API call (api, adminApi or a session's call) and `path` the list, with its filters.
 */
export async function allItems(get, path) {
  const items = [];
  let cursor = null;
  do {
    const page = await get(`${path}${path.includes("?") ? "&" : "?"}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

/** What each verdict of the API (snake_case, like every enum value it sends) is called on the pages. */
export const verdictNames = {
  accepted: "Accepted",
  wrong_answer: "Wrong answer",
  compile_error: "Compile error",
  policy_violation: "Policy violation",
  runtime_error: "Runtime error",
  time_limit: "Time limit exceeded",
  memory_limit: "Memory limit exceeded",
  output_limit: "Output limit exceeded",
  sandbox_error: "Could not be graded",
};

/** "1:05:09" / "4:07" from seconds. */
export function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return hh > 0 ? `${hh}:${String(mm).padStart(2, "0")}:${ss}` : `${mm}:${ss}`;
}

/** Local time of day of an ISO timestamp, with seconds. */
export function timeOfDay(iso) {
  return iso ? new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" }) : "";
}

export function dateTime(iso) {
  return iso ? new Date(iso).toLocaleString([], { dateStyle: "medium", timeStyle: "short" }) : "";
}

/** A number with at most `digits` decimals, without trailing zeros. */
export function num(x, digits = 2) {
  if (x === null || x === undefined) return "";
  if (typeof x === "string") return x;
  if (!Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return x.toExponential(3);
  return String(Number(x.toFixed(digits)));
}

/** A small line chart (SVG) of one or more series drawn against their index. */
export function lineChart(series, { width = 320, height = 140, label = "" } = {}) {
  const pad = { l: 44, r: 8, t: 8, b: 20 };
  const all = series.flatMap((s) => s.values).filter(Number.isFinite);
  const n = Math.max(...series.map((s) => s.values.length));
  if (all.length === 0 || n < 2) return null;
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (hi - lo < 1e-12) {
    lo -= 0.5;
    hi += 0.5;
  }
  const x = (i) => pad.l + (i / (n - 1)) * (width - pad.l - pad.r);
  const y = (v) => pad.t + (1 - (v - lo) / (hi - lo)) * (height - pad.t - pad.b);
  const svg = h("svg", { class: "chart", viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": label });
  svg.append(
    h("line", { class: "axis", x1: pad.l, y1: height - pad.b, x2: width - pad.r, y2: height - pad.b }),
    h("line", { class: "axis", x1: pad.l, y1: pad.t, x2: pad.l, y2: height - pad.b }),
    h("text", { class: "tick", x: pad.l - 4, y: pad.t + 8, "text-anchor": "end" }, num(hi, 3)),
    h("text", { class: "tick", x: pad.l - 4, y: height - pad.b, "text-anchor": "end" }, num(lo, 3)),
    h("text", { class: "tick", x: width - pad.r, y: height - 4, "text-anchor": "end" }, `${n} steps`),
  );
  for (const s of series) {
    const points = s.values.map((v, i) => (Number.isFinite(v) ? `${x(i).toFixed(1)},${y(v).toFixed(1)}` : null)).filter(Boolean);
    svg.append(h("polyline", { class: `series ${s.className ?? ""}`, points: points.join(" ") }, h("title", {}, s.name)));
  }
  return h("figure", { class: "chart-figure" }, svg,
    h("figcaption", {}, series.map((s) => h("span", { class: `legend ${s.className ?? ""}` }, s.name))));
}

/** Horizontal bars: rows of { label, value, max, text }. */
export function barChart(rows, { width = 360, title = "" } = {}) {
  const rowHeight = 22;
  const labelWidth = 150;
  const height = rows.length * rowHeight + 4;
  const svg = h("svg", { class: "chart bars", viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": title });
  rows.forEach((r, i) => {
    const top = i * rowHeight + 2;
    const w = r.max > 0 ? Math.max(0, Math.min(1, r.value / r.max)) * (width - labelWidth - 70) : 0;
    svg.append(
      h("text", { class: "tick", x: 0, y: top + 14 }, r.label.length > 22 ? r.label.slice(0, 21) + "…" : r.label),
      h("rect", { class: "bar-bg", x: labelWidth, y: top + 3, width: width - labelWidth - 70, height: 14, rx: 2 }),
      h("rect", { class: `bar ${r.className ?? ""}`, x: labelWidth, y: top + 3, width: w.toFixed(1), height: 14, rx: 2 }),
      h("text", { class: "tick", x: width - 64, y: top + 14 }, r.text),
    );
  });
  return h("figure", { class: "chart-figure" }, title ? h("figcaption", {}, title) : null, svg);
}

/** A short message in the corner. */
export function toast(message, kind = "info") {
  let box = document.getElementById("toasts");
  if (!box) {
    box = h("div", { id: "toasts", "aria-live": "polite" });
    document.body.append(box);
  }
  const t = h("div", { class: `toast ${kind}`, role: kind === "error" ? "alert" : "status" }, message);
  box.append(t);
  setTimeout(() => t.remove(), 6000);
}

/** Asks for confirmation in a modal dialog; resolves true on confirm. */
export function confirmDialog(title, text, confirmLabel = "Confirm") {
  return new Promise((resolve) => {
    const dialog = h("dialog", { class: "confirm" },
      h("h2", {}, title),
      h("p", {}, text),
      h("div", { class: "actions" },
        h("button", { type: "button", class: "secondary", onclick: () => dialog.close("cancel") }, "Cancel"),
        h("button", { type: "button", class: "primary", onclick: () => dialog.close("ok") }, confirmLabel)));
    dialog.addEventListener("close", () => {
      resolve(dialog.returnValue === "ok");
      dialog.remove();
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/**
 * The boxes of the pages that scroll on their own and may hold nothing focusable: code and logs,
 * wide tables, the IDE's results. (The IDE's left pane and the catalogue always hold buttons.)
 */
const SCROLL_BOXES = "pre, .table-wrap, .nb-table-wrap, .nb-preview, .output, .timeline, .progress-log, .diff, .bulk-rows";

/**
 * Keeps every box that scrolls by itself reachable with the keyboard (WCAG 2.1.1): while its content
 * overflows, it takes focus (then the arrow keys scroll it) and is a region named after its
 * data-scroll-label or its section's heading; once it fits, it leaves the tab order again, so a
 * short log is not one more stop. Boxes are watched as the pages draw and as the window resizes.
 */
export function keepScrollBoxesReachable(root = document.body) {
  const update = (box) => {
    const scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
    const marked = box.dataset.scrollFocus !== undefined;
    if (scrolls && !marked && !box.hasAttribute("tabindex")) {
      box.dataset.scrollFocus = "";
      box.tabIndex = 0;
      // A list keeps its own role (its items need it); it takes the name only.
      if (!box.hasAttribute("role") && !box.matches("ul, ol")) {
        box.dataset.scrollRole = "";
        box.setAttribute("role", "region");
      }
      if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
        box.dataset.scrollName = "";
        box.setAttribute("aria-label", scrollLabel(box));
      }
    } else if (!scrolls && marked) {
      box.removeAttribute("tabindex");
      if (box.dataset.scrollRole !== undefined) box.removeAttribute("role");
      if (box.dataset.scrollName !== undefined) box.removeAttribute("aria-label");
      for (const key of ["scrollFocus", "scrollRole", "scrollName"]) delete box.dataset[key];
    }
  };
  const resized = new ResizeObserver((entries) => {
    for (const entry of entries) update(entry.target);
  });
  const watch = (node) => {
    if (!(node instanceof Element)) return;
    const boxes = [...node.querySelectorAll(SCROLL_BOXES)];
    if (node.matches(SCROLL_BOXES)) boxes.push(node);
    for (const box of boxes) {
      resized.observe(box);
      update(box);
    }
    // New content can make an existing box overflow without changing its size.
    const around = node.parentElement?.closest(SCROLL_BOXES);
    if (around) update(around);
  };
  new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) watch(node);
  }).observe(root, { childList: true, subtree: true });
  watch(root);
}

function scrollLabel(box) {
  if (box.dataset.scrollLabel) return box.dataset.scrollLabel;
  const heading = box.closest("section, .panel, figure, li, details")?.querySelector("h1, h2, h3, figcaption, summary");
  const name = heading?.textContent.trim();
  const kind = box.matches("pre") ? "text" : box.querySelector("table") ? "table" : "content";
  return name ? `${name} (scrollable ${kind})` : `Scrollable ${kind}`;
}
