// What the page records while the assessment runs: integrity events (tab and window focus,
// paste and copy sizes, never their content, fullscreen exit) and, when the assessment
// requires them, periodic webcam and screen snapshots.
import { h } from "../common.js";

const snapshotEveryMs = 60_000;
const maxSnapshotBytes = 512 * 1024;
const maxSnapshotWidth = 640;

export class Proctoring {
  /** @param session CandidateSession. The workspace sets currentLevel: () => the level being worked on. */
  constructor(session) {
    this.session = session;
    this.currentLevel = () => null;
    this.streams = {};
    this.videos = {};
    this.timer = null;
    this.listening = false;
    this.leaving = false;
    this.onStreamLost = () => {};
  }

  get required() {
    return this.session.view.proctoring;
  }

  /** The kinds of capture the assessment requires and this page does not hold. */
  missing() {
    return ["webcam", "screen"].filter((k) => this.required[k] && !this.streams[k]);
  }

  /** Asks the browser for the captures the assessment requires; throws a readable Error when one is refused. */
  async acquire(kinds = this.missing()) {
    for (const kind of kinds) {
      let stream;
      try {
        stream = kind === "webcam"
          ? await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 640 } }, audio: false })
          : await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
      } catch (e) {
        const what = kind === "webcam" ? "camera" : "screen sharing";
        throw new Error(`This assessment needs your ${what}, and the browser did not allow it (${e.name}). Allow it in the address bar or browser settings, then try again.`);
      }
      const video = h("video", { muted: true, playsinline: true, class: `capture ${kind}`, "data-testid": `preview-${kind}` });
      video.muted = true;
      video.srcObject = stream;
      // The webcam shows itself in a corner, so the candidate always knows it is on; outside the page's
      // main content (which the IDE redraws), in a landmark of its own.
      document.body.append(h("aside", { "aria-label": kind === "webcam" ? "Your camera" : "Your shared screen" }, video));
      await video.play().catch(() => {});
      this.streams[kind] = stream;
      this.videos[kind] = video;
      for (const track of stream.getVideoTracks()) {
        track.addEventListener("ended", () => this.lose(kind));
      }
    }
  }

  lose(kind) {
    delete this.streams[kind];
    this.videos[kind]?.closest("aside")?.remove();
    delete this.videos[kind];
    this.onStreamLost(kind);
  }

  /** Starts the periodic snapshots (the first right away) and the integrity listeners. */
  start() {
    this.listen();
    if (this.timer || !(this.required.webcam || this.required.screen)) return;
    const tick = () => this.snapshotAll().catch(() => {});
    setTimeout(tick, 1500);
    this.timer = setInterval(tick, snapshotEveryMs);
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
    for (const kind of Object.keys(this.streams)) {
      for (const track of this.streams[kind].getTracks()) track.stop();
    }
    this.streams = {};
  }

  async snapshotAll() {
    if (!this.session.running) return;
    for (const kind of Object.keys(this.videos)) {
      const blob = await frame(this.videos[kind]);
      if (blob) {
        await this.session.call("POST", `/api/session/snapshots?kind=${kind}`, { body: blob, headers: { "Content-Type": "image/jpeg" } });
      }
    }
  }

  /** Reports an event; events are evidence, not gates, so a failed report never disturbs the candidate. */
  report(kind, size) {
    if (!this.session.running) return;
    this.session.call("POST", "/api/session/events", { json: { kind, size: size ?? null, level: this.currentLevel() ?? null } }).catch(() => {});
  }

  listen() {
    if (this.listening) return;
    this.listening = true;
    // Leaving or reloading the page also hides it; that is not the candidate looking elsewhere.
    window.addEventListener("pagehide", () => { this.leaving = true; });
    window.addEventListener("pageshow", () => { this.leaving = false; });
    document.addEventListener("visibilitychange", () => {
      if (!this.leaving) this.report(document.hidden ? "tab_hidden" : "tab_visible");
    });
    window.addEventListener("blur", () => this.report("window_blur"));
    window.addEventListener("focus", () => this.report("window_focus"));
    document.addEventListener("paste", (e) => this.report("paste", e.clipboardData?.getData("text/plain").length ?? 0), true);
    document.addEventListener("copy", () => this.report("copy", copiedLength()), true);
    document.addEventListener("cut", () => this.report("copy", copiedLength()), true);
    document.addEventListener("fullscreenchange", () => {
      if (!document.fullscreenElement) this.report("fullscreen_exit");
    });
  }
}

/** The length of what is being copied: the editor's selection or the page's. */
function copiedLength() {
  const text = window.getSelection()?.toString() ?? "";
  return text.length;
}

/** One frame of a video as a JPEG of at most 512 KiB, or null while the video has no frame yet. */
async function frame(video) {
  if (!video.videoWidth) return null;
  const scale = Math.min(1, maxSnapshotWidth / video.videoWidth);
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(video.videoWidth * scale);
  canvas.height = Math.round(video.videoHeight * scale);
  canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
  for (const quality of [0.8, 0.6, 0.4, 0.25]) {
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));
    if (blob && blob.size <= maxSnapshotBytes) return blob;
  }
  return null;
}
