// The report's proctoring snapshots and their viewer.
import { h, fill, timeOfDay } from "../common.js";
import { adminApi, describe, empty } from "./shell.js";

/**
 * Snapshot images fetched with the admin key, four at a time, into blob URLs kept for the life of
 * the view (redraws reuse them) and revoked when it ends.
 */
export function snapshotImages(s, sessionId) {
  const urls = new Map();
  const figures = new Map();
  const thumbs = new Map();
  const queue = [];
  let active = 0;
  const pump = () => {
    while (active < 4 && queue.length) {
      const job = queue.shift();
      active++;
      job().finally(() => {
        active--;
        pump();
      });
    }
  };
  s.defer(() => {
    for (const p of urls.values()) p.then((u) => URL.revokeObjectURL(u), () => {});
  });
  const url = (snap) => {
    if (!urls.has(snap.id)) {
      const p = new Promise((resolve, reject) => {
        queue.push(() => adminApi(`/api/admin/sessions/${sessionId}/snapshots/${snap.id}`, { raw: true })
          .then((r) => r.blob())
          .then((b) => {
            const u = URL.createObjectURL(b);
            if (!s.alive) URL.revokeObjectURL(u);
            resolve(u);
          }, reject));
        pump();
      });
      p.catch(() => urls.delete(snap.id)); // a failed image is tried again on the next redraw
      urls.set(snap.id, p);
    }
    return urls.get(snap.id);
  };
  const attach = (img, holder, snap) =>
    url(snap).then((u) => { img.src = u; }, (e) => {
      if (!s.alive) return;
      holder.classList.add("broken");
      img.alt = `Could not load: ${describe(e)}`;
    });
  return {
    url,
    figure(snap, onOpen) {
      if (!figures.has(snap.id) || figures.get(snap.id).classList.contains("broken")) {
        const img = h("img", { "data-testid": "snapshot", "data-kind": snap.kind, "data-snapshot-id": snap.id, alt: `${snap.kind} snapshot at ${timeOfDay(snap.at)}`, decoding: "async" });
        const fig = h("figure", { class: "shot", "data-kind": snap.kind },
          h("button", { type: "button", class: "shot-open", title: "Enlarge", onclick: onOpen }, img),
          h("figcaption", {}, h("span", { class: `badge ${snap.kind === "screen" ? "accent" : "muted"}` }, snap.kind), " ", h("time", { datetime: snap.at, class: "mono" }, timeOfDay(snap.at))));
        attach(img, fig, snap);
        figures.set(snap.id, fig);
      }
      return figures.get(snap.id);
    },
    thumb(snap, onOpen) {
      if (!thumbs.has(snap.id)) {
        const img = h("img", { class: "tl-thumb", alt: "", decoding: "async" });
        const button = h("button", { type: "button", class: "tl-thumb-button", title: "Enlarge snapshot", onclick: onOpen }, img);
        attach(img, button, snap);
        thumbs.set(snap.id, button);
      }
      return thumbs.get(snap.id);
    },
  };
}

export function drawSnapshots(view) {
  const snaps = view.report.snapshots;
  const kinds = [...new Set(snaps.map((x) => x.kind))].map((k) => `${snaps.filter((x) => x.kind === k).length} ${k}`).join(", ");
  fill(view.sections.snapshots,
    h("div", { class: "panel-head" }, h("h2", {}, "Snapshots ", h("span", { class: "badge muted" }, snaps.length)), kinds ? h("span", { class: "muted small" }, kinds) : null),
    snaps.length === 0 ? empty("No snapshots: the assessment does not require them, or none were taken yet.", "snapshots-empty")
      : h("div", { class: "gallery", "data-testid": "gallery" }, snaps.map((snap) => view.images.figure(snap, () => openViewer(view, snap.id)))));
}

/** A large view of one snapshot, with previous/next through all of them (arrow keys too). */
export function openViewer(view, snapshotId) {
  for (const d of document.querySelectorAll("dialog.viewer")) d.remove();
  const snaps = view.report.snapshots;
  let index = Math.max(0, snaps.findIndex((x) => x.id === snapshotId));
  const img = h("img", { class: "viewer-img", "data-testid": "snapshot-large", alt: "" });
  const caption = h("div", { class: "viewer-caption" });
  const prev = h("button", { type: "button", class: "secondary", onclick: () => show(index - 1) }, "← Previous");
  const next = h("button", { type: "button", class: "secondary", onclick: () => show(index + 1) }, "Next →");
  const dialog = h("dialog", { class: "viewer", "data-testid": "snapshot-viewer", "aria-label": "Snapshot" },
    h("div", { class: "viewer-bar" }, caption, h("div", { class: "spacer" }), prev, next,
      h("button", { type: "button", class: "primary", "data-testid": "close-viewer", onclick: () => dialog.close() }, "Close")),
    img);
  const show = (i) => {
    if (i < 0 || i >= snaps.length) return;
    index = i;
    const snap = snaps[i];
    img.removeAttribute("src");
    img.alt = `${snap.kind} snapshot at ${timeOfDay(snap.at)}`;
    view.images.url(snap).then((u) => { if (index === i) img.src = u; }, (e) => { img.alt = `Could not load: ${describe(e)}`; });
    fill(caption, h("span", { class: "badge muted" }, snap.kind), " ",
      h("span", { class: "mono" }, `${new Date(snap.at).toLocaleDateString([], { dateStyle: "medium" })} ${timeOfDay(snap.at)}`), " ",
      h("span", { class: "muted" }, `· ${i + 1} of ${snaps.length} · ${Math.max(1, Math.round(snap.bytes / 1024))} KiB`));
    prev.disabled = i === 0;
    next.disabled = i === snaps.length - 1;
  };
  dialog.addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowLeft") show(index - 1);
    if (ev.key === "ArrowRight") show(index + 1);
  });
  dialog.addEventListener("click", (ev) => { if (ev.target === dialog) dialog.close(); }); // click on the backdrop
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  show(index);
  dialog.showModal();
}
