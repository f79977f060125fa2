// Uploading a pack: drop an archive (or pick one), choose whether to skip the machine mutants, send it.
import { h, fill } from "../common.js";
import { adminApi, describe, isAbort, go } from "../proctor/shell.js";
import { integer } from "../proctor/format.js";

/** The Content-Type the API expects, by the file's name; the server judges the bytes anyway. */
function archiveType(file) {
  if (/\.zip$/i.test(file.name)) return "application/zip";
  if (/\.(tar\.gz|tgz)$/i.test(file.name)) return "application/gzip";
  return file.type || "application/octet-stream";
}

function size(bytes) {
  return bytes < 1024 ? `${integer.format(bytes)} bytes`
    : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB`
    : `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

export function uploadPanel(s) {
  let chosen = null;
  const input = h("input", {
    type: "file", id: "pack-file", class: "file-input", "data-testid": "pack-file",
    accept: ".tar.gz,.tgz,.zip,application/gzip,application/zip", "aria-describedby": "drop-help",
    onchange: () => choose(input.files),
  });
  const fileLine = h("p", { class: "chosen-file", "data-testid": "chosen-file", "aria-live": "polite" });
  const skip = h("input", { type: "checkbox", id: "skip-mutants", "data-testid": "skip-mutants" });
  const send = h("button", { type: "submit", class: "primary", "data-testid": "upload", disabled: true }, "Upload and validate");
  const outcome = h("div", { class: "upload-outcome", "aria-live": "polite" });
  const zone = h("div", { class: "drop-zone", "data-testid": "drop-zone" },
    h("p", { id: "drop-help" }, h("strong", {}, "Drop a pack here"), " — a .tar.gz or .zip of the pack folder (pack.yaml at its top or in its one folder), at most 50 MiB."),
    h("label", { for: "pack-file", class: "button-like" }, "Choose a file…"),
    input,
    fileLine);

  function choose(files) {
    fill(outcome);
    if (!files || files.length === 0) return;
    if (files.length > 1) {
      fill(outcome, problemBox("Drop one archive at a time: a pack is uploaded as a single .tar.gz or .zip."));
      return;
    }
    chosen = files[0];
    fill(fileLine, h("span", { class: "strong" }, chosen.name), h("span", { class: "muted" }, ` · ${size(chosen.size)}`));
    send.disabled = false;
  }

  zone.addEventListener("dragenter", (ev) => {
    ev.preventDefault();
    zone.classList.add("dragging");
  });
  zone.addEventListener("dragover", (ev) => {
    ev.preventDefault();
    if (ev.dataTransfer) ev.dataTransfer.dropEffect = "copy";
  });
  zone.addEventListener("dragleave", (ev) => {
    if (!zone.contains(ev.relatedTarget)) zone.classList.remove("dragging");
  });
  zone.addEventListener("drop", (ev) => {
    ev.preventDefault();
    zone.classList.remove("dragging");
    choose(ev.dataTransfer?.files);
  });
  // A file dropped beside the zone would otherwise make the browser leave the page to show it.
  const keep = (ev) => {
    if (ev.dataTransfer?.types?.includes("Files")) ev.preventDefault();
  };
  window.addEventListener("dragover", keep);
  window.addEventListener("drop", keep);
  s.defer(() => {
    window.removeEventListener("dragover", keep);
    window.removeEventListener("drop", keep);
  });

  const submit = async (ev) => {
    ev.preventDefault();
    if (!chosen) return;
    send.disabled = true;
    send.textContent = "Uploading…";
    fill(outcome, h("p", { class: "muted", role: "status" }, `Uploading ${chosen.name}…`));
    try {
      const queued = await adminApi(`/api/admin/packs${skip.checked ? "?mutants=false" : ""}`, {
        method: "POST", body: chosen, headers: { "Content-Type": archiveType(chosen) },
      });
      if (s.alive) go(`#/validations/${queued.id}`);
    } catch (e) {
      if (!s.alive || isAbort(e)) return;
      fill(outcome, uploadError(e));
      send.disabled = false;
      send.textContent = "Upload and validate";
    }
  };

  return h("section", { class: "panel", "data-testid": "upload-panel" },
    h("h2", {}, "Upload a pack"),
    h("form", { class: "upload-form", onsubmit: submit },
      zone,
      h("label", { class: "check", for: "skip-mutants" }, skip, "Skip machine mutants (faster; such a validation cannot be published)"),
      h("div", { class: "actions" }, send),
      outcome));
}

function problemBox(...children) {
  return h("div", { class: "error-box", role: "alert", "data-testid": "upload-error" }, h("div", {}, children));
}

/** A refused upload: the server's words, and the archive entry, or the pack file and field, it names. */
function uploadError(e) {
  const p = e.problem ?? {};
  const where = [];
  if (typeof p.entry === "string") where.push(["Archive entry", p.entry || "(the archive itself)", "upload-error-entry"]);
  if (p.file) where.push(["File", p.file, "upload-error-file"]);
  if (p.field) where.push(["Field", p.field, "upload-error-field"]);
  return problemBox(
    h("p", { class: "strong" }, e.title && e.status !== 0 ? e.title : "Upload failed"),
    h("p", { "data-testid": "upload-error-detail" }, e.status === 0 ? describe(e) : e.message),
    where.length ? h("dl", { class: "where" }, where.map(([label, value, testid]) => [h("dt", {}, label), h("dd", {}, h("code", { "data-testid": testid }, value))])) : null);
}
