// Formatting shared by the pages: numbers, durations, names, badges, the server's clock, copy and download.
import { h, num, toast, verdictNames } from "../common.js";
import { adminApi } from "./shell.js";

/** How far the server's clock is ahead of this browser's: countdowns run by the server's clock. */
let serverAheadMs = 0;

export function noteServerTime(iso) {
  if (iso) serverAheadMs = Date.parse(iso) - Date.now();
}

export function secondsLeft(deadline) {
  return (Date.parse(deadline) - (Date.now() + serverAheadMs)) / 1000;
}

export const integer = new Intl.NumberFormat("en-US");

export function percent(fraction, digits = 1) {
  return fraction === null || fraction === undefined ? "—" : `${num(fraction * 100, digits)}%`;
}

/** "45 s", "2 min 05 s", "1 h 02 min". */
export function duration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
}

export function newestFirst(list) {
  return [...list].sort((x, y) => new Date(y.created_at).getTime() - new Date(x.created_at).getTime());
}

export function secondsBetween(from, to) {
  return (new Date(to).getTime() - new Date(from).getTime()) / 1000;
}

export function candidateName(name) {
  return name?.trim() ? name : "(unnamed)";
}

export function shortId(id) {
  return String(id).slice(0, 8);
}

export function slug(text) {
  return String(text).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60) || "assessment";
}

const STATUS = {
  not_started: { label: "Not started", cls: "status-idle" },
  in_progress: { label: "In progress", cls: "status-live" },
  time_over: { label: "Time over", cls: "status-over" },
  finished: { label: "Finished", cls: "status-done" },
};

export function statusBadge(status) {
  const s = STATUS[status] ?? { label: status, cls: "" };
  return h("span", { class: `badge status ${s.cls}`, "data-testid": "status", "data-status": status }, s.label);
}

export function verdictText(sub) {
  if (sub.status === "queued") return "queued";
  if (sub.status === "running") return "grading";
  return (verdictNames[sub.verdict] ?? String(sub.verdict ?? sub.status)).toLowerCase();
}

/** ok / bad / muted for a submission, by its verdict. */
export function verdictClass(sub) {
  if (sub.status !== "done") return "muted";
  if (sub.verdict === "accepted") return "ok";
  if (sub.verdict === "sandbox_error") return "warn";
  return "bad";
}

export function kindLabel(sub) {
  return sub.kind === "run" ? "Run" : "Submission";
}

export function capitalise(text) {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
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

export function copyButton(text, attrs = {}, label = "Copy") {
  const button = h("button", {
    type: "button", class: "secondary small", ...attrs,
    onclick: async () => {
      const ok = await copyText(text);
      button.textContent = ok ? "Copied" : "Copy failed";
      if (!ok) toast("Could not copy: select the link and copy it by hand.", "error");
      setTimeout(() => (button.textContent = label), 1800);
    },
  }, label);
  return button;
}

/** Fetches an admin file with the key and saves it through a temporary blob link. */
export async function download(path, filename) {
  const response = await adminApi(path, { raw: true });
  const url = URL.createObjectURL(await response.blob());
  const link = h("a", { href: url, download: filename, class: "offscreen" });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function currentLevelText(x, levels) {
  if (x.current_level) return `Level ${x.current_level}`;
  if (x.status === "not_started") return "—";
  return x.levels_passed >= levels && levels > 0 ? "All passed" : "—";
}
