// The IDE: level map and countdown, the statement and hints or the level's notebook, the editor
// with autosave, and runs and submissions followed live to their verdict.
import { h, fill, ApiError, clock, confirmDialog, num, timeOfDay, toast, stored } from "../common.js";
import { FileEditor } from "./editor.js";
import { progress, result } from "./results.js";
import { LevelPane } from "./level-pane.js";
import { Notebook } from "./notebook.js";

const saveDelayMs = 1200;
// Staff may give extra time while the candidate works: the deadline is read again this often, and
// once more before the time is called over.
const deadlineEveryMs = 30_000;

export class Workspace {
  constructor(app, session, proctoring, onEnd) {
    this.app = app;
    this.session = session;
    this.proctoring = proctoring;
    this.onEnd = onEnd;
    this.position = null;
    this.level = null;
    this.editor = null;
    this.notebook = null;
    this.dirty = false;
    this.saveTimer = null;
    this.busy = false;
    this.coolingDown = false;
    this.ended = false;
    this.checkingDeadline = false;
  }

  open() {
    this.proctoring.currentLevel = () => this.position;
    this.proctoring.onStreamLost = () => this.renderBanner();
    this.proctoring.start();
    this.buildShell();
    this.renderBanner();
    this.ticker = setInterval(() => this.tick(), 1000);
    this.deadlineTimer = setInterval(() => this.followDeadline(), deadlineEveryMs);
    this.tick();
    window.addEventListener("pagehide", () => this.saveOnLeave());
    const v = this.session.view;
    this.load(v.current_level ?? v.levels.find((l) => l.state !== "locked")?.position ?? 1);
  }

  buildShell() {
    const v = this.session.view;
    this.map = h("nav", { class: "level-map", "aria-label": "Levels", "data-testid": "level-map" });
    this.countdown = h("div", { class: "countdown", "data-testid": "countdown", role: "timer", "aria-live": "off" });
    this.score = h("div", { class: "score muted", "data-testid": "score" });
    this.banner = h("div", { class: "banners" });
    this.pane = new LevelPane(this.session, (e) => this.failed(e), (tab) => this.tabShown(tab));
    this.editorSlot = h("div", { class: "editor-slot" });
    this.saveState = h("span", { class: "save-state muted", "data-testid": "save-state", "aria-live": "polite" });
    // Both stay off until a level's code is in the editor.
    this.runButton = h("button", { type: "button", "data-testid": "run", disabled: true, onclick: () => this.grade("run") }, "Run public tests");
    this.submitButton = h("button", { type: "button", class: "primary", "data-testid": "submit", disabled: true, onclick: () => this.grade("submission") }, "Submit");
    this.output = h("section", { class: "output", "data-testid": "output", "aria-live": "polite" });
    fill(this.app,
      h("div", { class: "ide", "data-testid": "ide" },
        h("header", { class: "topbar" },
          h("h1", { class: "title" }, v.assessment),
          this.map,
          h("div", { class: "topbar-right" },
            this.score,
            this.countdown,
            h("button", { type: "button", class: "secondary", title: "Work in fullscreen", onclick: () => document.documentElement.requestFullscreen?.().catch(() => {}) }, "Fullscreen"),
            h("button", { type: "button", class: "danger", "data-testid": "finish", onclick: () => this.finish() }, "Finish"))),
        this.banner,
        this.panes = h("div", { class: "panes" },
          this.pane.element,
          h("div", { class: "right-pane" },
            this.editorSlot,
            h("div", { class: "actions-bar" }, this.runButton, this.submitButton, this.saveState),
            this.output))));
    this.renderMap();
    this.pane.showTab(this.pane.tab);
  }

  renderMap() {
    const v = this.session.view;
    fill(this.map, v.levels.map((l) => {
      const locked = l.state === "locked";
      return h("button", {
        type: "button", class: `level-chip ${l.state}`, "data-testid": "level", "data-position": l.position, "data-state": l.state,
        "aria-current": l.position === this.position ? "step" : null, disabled: locked,
        title: locked ? `Pass level ${l.position - 1} to unlock` : `${l.title} — ${l.state}${l.attempts ? `, best ${num(l.best_score * 100, 0)}%` : ""}`,
        onclick: () => this.load(l.position),
      }, l.state === "passed" ? "✔ " : "", `Level ${l.position}`);
    }));
    fill(this.score, `${num(v.score, 1)} / ${v.max_points} pts`);
  }

  renderBanner() {
    const missing = this.proctoring.missing();
    if (!missing.length) return fill(this.banner);
    const what = missing.map((k) => (k === "webcam" ? "camera" : "screen sharing")).join(" and ");
    const button = h("button", { type: "button", class: "primary", "data-testid": "reenable", onclick: async () => {
      try {
        await this.proctoring.acquire();
        this.proctoring.snapshotAll().catch(() => {});
        this.renderBanner();
      } catch (e) {
        toast(e.message, "error");
      }
    } }, `Turn on ${what}`);
    fill(this.banner, h("div", { class: "error-box banner", role: "alert", "data-testid": "proctoring-banner" },
      `This assessment records ${what}, which is off (after a reload the browser asks again). `, button));
  }

  tick() {
    const left = this.session.secondsLeft();
    if (left === null) return;
    fill(this.countdown, clock(left), h("span", { class: "muted" }, " left"));
    this.countdown.classList.toggle("low", left < 300);
    if (left <= 0 && !this.ended) this.endUnlessExtended();
  }

  /** Reads the session again; says so when the deadline moved later (extra time from staff). */
  async followDeadline() {
    if (this.ended || this.checkingDeadline) return;
    this.checkingDeadline = true;
    const before = Date.parse(this.session.view.deadline);
    try {
      await this.session.refresh();
      const added = Math.round((Date.parse(this.session.view.deadline) - before) / 60000);
      if (added > 0) toast(`You have been given ${added} more minute${added === 1 ? "" : "s"}.`, "success");
    } catch {
      /* offline for now: the next check tries again */
    } finally {
      this.checkingDeadline = false;
    }
  }

  async endUnlessExtended() {
    if (this.checkingDeadline) return;
    await this.followDeadline();
    if (!this.session.running) this.end();
  }

  async load(position) {
    if (this.busy && this.position !== null) return toast("Wait for the current run to finish before changing level.");
    await this.flush();
    await this.notebook?.flush();
    let level;
    try {
      level = await this.session.call("GET", `/api/session/levels/${position}`);
    } catch (e) {
      return this.failed(e);
    }
    this.position = position;
    this.level = level;
    this.editor?.destroy();
    const draft = this.readDraft();
    const files = { ...level.files };
    let restored = false;
    for (const [name, text] of Object.entries(draft?.files ?? {})) {
      if (name in files && level.editable.includes(name) && files[name] !== text) {
        files[name] = text;
        restored = true;
      }
    }
    this.editor = new FileEditor(files, level.editable, () => this.changed());
    fill(this.editorSlot, this.editor.element);
    this.notebook?.destroy();
    this.notebook = null;
    if (this.pane.tab === "notebook") this.openNotebook(position);
    this.pane.show(level);
    this.renderMap();
    fill(this.output);
    fill(this.saveState, restored ? "Restored unsaved changes from this browser" : "All changes saved");
    if (restored) this.changed();
    this.setBusy(this.busy);
  }

  /** The notebook widens the left pane, and is loaded when it is first shown for a level. */
  tabShown(tab) {
    this.panes.classList.toggle("with-notebook", tab === "notebook");
    if (tab === "notebook" && this.editor && this.notebook?.position !== this.position) this.openNotebook(this.position);
  }

  openNotebook(position) {
    this.notebook?.destroy();
    const notebook = new Notebook(this, position);
    this.notebook = notebook;
    this.pane.setNotebook(notebook.element);
    notebook.load().catch((e) => {
      if (this.notebook !== notebook) return;
      this.pane.setNotebook(h("div", { class: "error-box", role: "alert", "data-testid": "notebook-error" }, `The notebook could not be loaded: ${e.message}`));
    });
  }

  draftKey() {
    return `bughunt.draft.${this.session.view.id}.${this.position}`;
  }

  readDraft() {
    return stored(this.draftKey());
  }

  /** Every edit is kept in this browser at once and saved to the server shortly after. */
  changed() {
    this.dirty = true;
    localStorage.setItem(this.draftKey(), JSON.stringify({ files: this.editor.editableFiles(), at: Date.now() }));
    fill(this.saveState, "Saving…");
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.flush(), saveDelayMs);
  }

  async flush() {
    clearTimeout(this.saveTimer);
    if (!this.dirty || !this.editor || this.ended) return;
    this.dirty = false;
    try {
      await this.session.call("PUT", `/api/session/levels/${this.position}/files`, { json: { files: this.editor.editableFiles() } });
      localStorage.removeItem(this.draftKey());
      fill(this.saveState, `Saved ${timeOfDay(new Date().toISOString())}`);
    } catch (e) {
      this.dirty = true;
      fill(this.saveState, h("span", { class: "warn" }, `Not saved to the server (${e.message}); kept in this browser.`));
      if (e instanceof ApiError && e.status === 409) return this.end();
      this.saveTimer = setTimeout(() => this.flush(), 10_000);
    }
  }

  saveOnLeave() {
    this.notebook?.saveOnLeave();
    if (!this.dirty || !this.editor) return;
    fetch(`/api/session/levels/${this.position}/files`, {
      method: "PUT", keepalive: true,
      headers: { Authorization: `Bearer ${this.session.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ files: this.editor.editableFiles() }),
    }).catch(() => {});
  }

  /** Runs the public tests or submits, and follows the result live. */
  async grade(kind) {
    if (this.busy) return;
    const what = kind === "run" ? "Run" : "Submission";
    this.setBusy(true);
    const files = this.editor.editableFiles();
    const position = this.position;
    fill(this.output, h("div", { class: "progress", "data-testid": "progress" }, h("span", { class: "spinner" }), `${what}: sending…`));
    try {
      await this.flush();
      const headers = kind === "submission" ? { "Idempotency-Key": crypto.randomUUID() } : {};
      const accepted = await this.session.call("POST", `/api/session/levels/${position}/${kind === "run" ? "runs" : "submissions"}`, { json: { files }, headers });
      const done = await this.session.follow(accepted, (view) => {
        if (view.status !== "done") fill(this.output, progress(view, what));
      });
      if (this.position === position) {
        this.editor.setDiagnostics(done.diagnostics ?? []);
        fill(this.output, result(done, (file, line, column) => this.editor.reveal(file, line, column)));
      }
      if (kind === "submission") await this.afterSubmission(position);
    } catch (e) {
      this.failed(e, kind);
    } finally {
      this.setBusy(false);
    }
  }

  async afterSubmission(position) {
    const before = new Map(this.session.view.levels.map((l) => [l.position, l.state]));
    await this.session.refresh();
    this.renderMap();
    const unlocked = this.session.view.levels.filter((l) => before.get(l.position) === "locked" && l.state !== "locked");
    const passed = this.session.view.levels.find((l) => l.position === position && l.state === "passed" && before.get(position) !== "passed");
    if (passed) toast(`Level ${position} passed`, "success");
    for (const l of unlocked) {
      toast(`Level ${l.position} unlocked`, "success");
      this.output.prepend(h("div", { class: "notice next" }, `Level ${l.position} — ${l.title} — is unlocked. `,
        h("button", { type: "button", class: "primary", "data-testid": "next-level", onclick: () => this.load(l.position) }, `Go to level ${l.position}`)));
    }
  }

  /** Buttons are off while a run is graded and while the rate limit cools down. */
  setBusy(busy) {
    this.busy = busy;
    this.runButton.disabled = busy || this.coolingDown;
    this.submitButton.disabled = busy || this.coolingDown;
  }

  /** A failed call, told the candidate in words; time over ends the workspace. */
  failed(e, kind) {
    if (!(e instanceof ApiError)) {
      fill(this.output, h("div", { class: "error-box", role: "alert" }, e.message));
      return;
    }
    if (e.status === 409) {
      this.end();
      return;
    }
    if (e.status === 429 && kind) {
      const until = Date.now() + (e.retryAfter ?? 10) * 1000;
      const box = h("div", { class: "error-box", role: "alert", "data-testid": "rate-limited" });
      const show = () => {
        const left = Math.ceil((until - Date.now()) / 1000);
        fill(box, `${e.message} `, left > 0 ? `You can try again in ${left} s.` : "You can try again now.");
        return left > 0;
      };
      show();
      fill(this.output, box);
      this.coolingDown = true;
      const timer = setInterval(() => {
        if (!show()) {
          clearInterval(timer);
          this.coolingDown = false;
          this.setBusy(this.busy);
        }
      }, 1000);
      return;
    }
    fill(this.output, h("div", { class: "error-box", role: "alert", "data-testid": "error" }, h("strong", {}, e.title ?? "Error"), ": ", e.message));
  }

  async finish() {
    const ok = await confirmDialog("Finish the assessment?",
      "You will not be able to run or submit anything afterwards. Your best submission on each level counts.", "Finish now");
    if (!ok) return;
    await this.flush();
    await this.notebook?.flush();
    try {
      await this.session.call("POST", "/api/session/finish");
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 409)) return this.failed(e);
    }
    await this.end();
  }

  /** Time over or finished: stop recording and show the closing screen. */
  async end() {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.ticker);
    clearInterval(this.deadlineTimer);
    clearTimeout(this.saveTimer);
    this.proctoring.stop();
    this.editor?.destroy();
    this.notebook?.destroy();
    try {
      await this.session.refresh();
    } catch {
      /* the closing screen shows what is known */
    }
    if (this.session.view.status === "in_progress") this.session.view.status = "time_over";
    this.onEnd();
  }
}
