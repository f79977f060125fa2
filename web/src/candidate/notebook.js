// The level's scratch notebook beside the editor: C# cells run on the editor's current files in a
// fresh sandbox (not scored), each cell's output streamed in under it, and the notes for the
// reviewer. Cells and notes are saved as the candidate types, like the files, and kept in this
// browser until the server has them.
import { h, fill, ApiError, timeOfDay, stored } from "../common.js";
import { serverSentEvents } from "../events.js";
import { DisplayHistory, runSummary, enumName } from "../notebook-view.js";
import { NotebookCell } from "./notebook-cell.js";

const saveDelayMs = 1200;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class Notebook {
  /**
   * @param workspace the IDE: its session, its editor (the files a run sends, where a file's
   * compiler message leads) and end() when the time is over
   */
  constructor(workspace, position) {
    this.workspace = workspace;
    this.session = workspace.session;
    this.position = position;
    this.cells = [];
    this.maxCells = 40;
    this.perMinute = 6;
    this.starting = false;
    this.dirty = false;
    this.saveTimer = null;
    this.running = false;
    this.coolingDown = false;
    this.destroyed = false;
    this.abort = null;

    this.runAllButton = h("button", { type: "button", class: "primary", "data-testid": "notebook-run-all", title: "Run every cell (Ctrl+Shift+Enter in a cell)", onclick: () => this.run(null) }, "▶ Run all");
    this.addButton = h("button", { type: "button", class: "secondary", "data-testid": "add-cell", onclick: () => this.add() }, "+ Cell");
    this.status = h("span", { class: "nb-run-status", "data-testid": "notebook-status", role: "status", "aria-live": "polite" });
    this.saveState = h("span", { class: "save-state muted", "data-testid": "notebook-save-state", "aria-live": "polite" });
    this.notice = h("div", { class: "nb-notice" });
    this.summary = h("div", { class: "nb-summary-slot", "aria-live": "polite" });
    this.list = h("div", { class: "nb-cells", "data-testid": "notebook-cells" });
    this.notes = h("textarea", {
      id: `notes-${position}`, class: "nb-notes", "data-testid": "notes", rows: 6, maxlength: 20000,
      placeholder: "What I tried, what I expected, what I saw.", oninput: () => this.changed(),
    });
    this.element = h("div", { class: "notebook", "data-testid": "notebook" },
      h("div", { class: "nb-toolbar" }, this.runAllButton, this.addButton, this.status, this.saveState),
      h("p", { class: "muted small nb-help" },
        "C# script cells, run top to bottom on your current files in a fresh sandbox (not scored; hidden tests never run here). ",
        "Helpers: ", h("code", {}, "Plot(\"loss\", step, value)"), ", ", h("code", {}, "Show(tensor)"), ", ", h("code", {}, "Hist(tensor)"), ", ",
        h("code", {}, "Heatmap(matrix)"), ", ", h("code", {}, "Table(\"name\", (\"column\", value), …)"), "."),
      this.notice,
      this.summary,
      this.list,
      h("button", { type: "button", class: "secondary nb-add-bottom", onclick: () => this.add() }, "+ Add a cell"),
      h("section", { class: "nb-notes-section" },
        h("label", { for: `notes-${position}` }, h("strong", {}, "Notes for the reviewer")),
        h("p", { class: "muted small" }, "Optional. The reviewer reads them with your runs and submissions."),
        this.notes));
  }

  draftKey() {
    return `bughunt.notebook.${this.session.view.id}.${this.position}`;
  }

  readDraft() {
    return stored(this.draftKey());
  }

  /** The saved notebook (or the author's starting one), with this browser's unsaved edits over it. */
  async load() {
    const saved = await this.session.call("GET", `/api/session/levels/${this.position}/notebook`);
    if (this.destroyed) return;
    this.maxCells = saved.max_cells;
    this.perMinute = saved.per_minute;
    this.starting = saved.starting;
    let cells = saved.cells.map((c) => ({ code: c.code, output: c.output }));
    let notes = saved.notes ?? "";
    const draft = this.readDraft();
    const restored = Array.isArray(draft?.cells) && typeof draft.notes === "string" && (JSON.stringify(draft.cells) !== JSON.stringify(cells.map((c) => c.code)) || draft.notes !== notes);
    if (restored) {
      cells = draft.cells.map((code, i) => ({ code, output: cells[i]?.code === code ? cells[i].output : null }));
      notes = draft.notes;
    }
    if (!cells.length) cells = [{ code: "", output: null }];
    this.cells = cells.map((c) => this.cell(c.code, c.output));
    this.notes.value = notes;
    this.renderNotice();
    this.render();
    // How the last run ended (files that did not compile, a time-out) comes back with the cells' outputs.
    if (saved.last_run?.status === "done" && saved.last_run.outcome) {
      this.showSummary(saved.last_run);
    }
    fill(this.saveState, restored ? "Restored unsaved changes from this browser" : "");
    if (restored) this.changed();
  }

  /** How a run ended, above the cells; its messages link to the file and line in the editor. */
  showSummary(run) {
    fill(this.summary, runSummary(run, { onLocate: (file, line, column) => this.workspace.editor.reveal(file, line, column) }));
  }

  cell(code, output) {
    return new NotebookCell(code, output, {
      changed: () => this.changed(),
      runUpTo: (cell) => this.run(this.cells.indexOf(cell) + 1),
      runAll: () => this.run(null),
      move: (cell, by) => this.move(cell, by),
      remove: (cell) => this.remove(cell),
      locateFile: (file, line) => {
        if (this.workspace.editor.states.has(file)) this.workspace.editor.reveal(file, line, 1);
      },
    });
  }

  renderNotice() {
    fill(this.notice, this.starting
      ? h("div", { class: "notice small", "data-testid": "starting-notebook" }, "The challenge's starting notebook: run it as it is, change it, add your own cells. It becomes yours when you change it.")
      : null);
  }

  /** Places every cell and draws the outputs in order, so a series continued in a later cell shows its earlier points. */
  render() {
    const history = new DisplayHistory();
    fill(this.list, this.cells.map((c) => c.element));
    this.cells.forEach((c, i) => {
      c.place(i + 1, this.cells.length, this.running);
      c.render(history);
    });
    this.addButton.disabled = this.running || this.cells.length >= this.maxCells;
    this.runAllButton.disabled = this.running || this.coolingDown;
    for (const c of this.cells) c.runButton.disabled = this.running || this.coolingDown;
  }

  add() {
    if (this.running || this.cells.length >= this.maxCells) return;
    const cell = this.cell("", null);
    this.cells.push(cell);
    this.render();
    cell.focus();
    this.changed();
  }

  move(cell, by) {
    const i = this.cells.indexOf(cell);
    const j = i + by;
    if (this.running || i < 0 || j < 0 || j >= this.cells.length) return;
    [this.cells[i], this.cells[j]] = [this.cells[j], this.cells[i]];
    this.render();
    (by < 0 ? cell.upButton : cell.downButton).focus();
    this.changed();
  }

  remove(cell) {
    if (this.running || this.cells.length <= 1) return;
    const i = this.cells.indexOf(cell);
    this.cells.splice(i, 1);
    cell.destroy();
    this.render();
    this.cells[Math.min(i, this.cells.length - 1)].focus();
    this.changed();
  }

  body() {
    return { cells: this.cells.map((c) => c.code()), notes: this.notes.value };
  }

  /** Every edit is kept in this browser at once and saved to the server shortly after. */
  changed() {
    if (this.destroyed) return;
    this.dirty = true;
    localStorage.setItem(this.draftKey(), JSON.stringify(this.body()));
    fill(this.saveState, "Saving…");
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.flush(), saveDelayMs);
  }

  async flush() {
    clearTimeout(this.saveTimer);
    if (!this.dirty || this.workspace.ended) return;
    this.dirty = false;
    try {
      await this.session.call("PUT", `/api/session/levels/${this.position}/notebook`, { json: this.body() });
      if (!this.dirty) localStorage.removeItem(this.draftKey());
      if (this.starting) {
        this.starting = false;
        this.renderNotice();
      }
      fill(this.saveState, `Notebook saved ${timeOfDay(new Date().toISOString())}`);
    } catch (e) {
      this.dirty = true;
      fill(this.saveState, h("span", { class: "warn" }, `Notebook not saved to the server (${e.message}); kept in this browser.`));
      if (e instanceof ApiError && e.status === 409) return this.workspace.end();
      if (!this.destroyed) this.saveTimer = setTimeout(() => this.flush(), 10_000);
    }
  }

  saveOnLeave() {
    if (!this.dirty) return;
    fetch(`/api/session/levels/${this.position}/notebook`, {
      method: "PUT", keepalive: true,
      headers: { Authorization: `Bearer ${this.session.token}`, "Content-Type": "application/json" },
      body: JSON.stringify(this.body()),
    }).catch(() => {});
  }

  setStatus(text, state) {
    this.status.dataset.state = state;
    fill(this.status, state === "queued" || state === "running" ? h("span", { class: "spinner" }) : null, text);
  }

  /** Runs the cells up to upTo (1-based; null: all of them) on the editor's current files, and follows them to the end. */
  async run(upTo) {
    if (this.running || this.coolingDown || this.destroyed) return;
    const sent = this.cells.map((c) => c.code());
    const count = upTo ?? sent.length;
    const cells = this.cells.slice(0, count);
    this.running = true;
    fill(this.summary);
    for (const c of cells) c.setState("queued");
    this.render();
    this.setStatus("Sending…", "queued");
    try {
      const accepted = await this.session.call("POST", `/api/session/levels/${this.position}/notebook/runs`, {
        json: { cells: sent, files: this.workspace.editor.editableFiles(), ...(upTo ? { up_to: upTo } : {}) },
      });
      if (this.starting) {
        // The run saved these cells as the candidate's own notebook.
        this.starting = false;
        this.renderNotice();
      }
      this.setStatus("Queued…", "queued");
      const run = await this.follow(accepted, cells, sent);
      this.finish(run, cells, sent);
    } catch (e) {
      if (this.destroyed || e.name === "AbortError") return;
      for (const c of cells) if (c.state) c.setState(null);
      this.failed(e);
    } finally {
      this.running = false;
      if (!this.destroyed) this.render();
    }
  }

  /**
   * The run's event stream, resumed after the last cell seen (Last-Event-ID) when it breaks;
   * polling when it cannot be opened. Resolves with the finished run.
   */
  async follow(accepted, cells, sent) {
    this.abort = new AbortController();
    const signal = this.abort.signal;
    let lastId = 0;
    for (let attempt = 0; attempt < 4; attempt++) {
      try {
        const headers = { Accept: "text/event-stream", ...(lastId ? { "Last-Event-ID": String(lastId) } : {}) };
        const response = await this.session.call("GET", accepted.events, { raw: true, signal, headers });
        for await (const ev of serverSentEvents(response)) {
          const data = JSON.parse(ev.data);
          if (ev.event === "run") return data;
          if (ev.event === "status") this.progress(cells, sent, data.status, null);
          if (ev.event === "cell") {
            lastId = Number(ev.id) || data.cell + 1;
            this.progress(cells, sent, "running", data);
          }
        }
      } catch (e) {
        if (e.name === "AbortError" || (e instanceof ApiError && e.status >= 400 && e.status < 500)) throw e;
      }
      await sleep(1000);
      if (this.destroyed) throw new DOMException("left the level", "AbortError");
    }
    for (;;) {
      const current = await this.session.call("GET", accepted.url, { signal });
      if (current.status === "done") return current;
      for (const r of current.results) this.progress(cells, sent, current.status, r);
      await sleep(1500);
    }
  }

  /** A status change or a finished cell: the next cell is the one running. */
  progress(cells, sent, status, finished) {
    if (this.destroyed) return;
    if (finished && cells[finished.cell]) {
      if (enumName(finished.result.status) === "running") cells[finished.cell].setState("running");
      else cells[finished.cell].setResult(finished.result, sent[finished.cell]);
    }
    const running = cells.findIndex((c) => c.state === "running");
    const next = running >= 0 ? running : cells.findIndex((c) => c.state);
    if (status === "running" && next >= 0) {
      cells[next].setState("running");
      this.setStatus(`Running cell ${next + 1} of ${cells.length}…`, "running");
    } else if (status === "queued") {
      this.setStatus("Queued: waiting for a sandbox…", "queued");
    }
    this.render();
  }

  /** The finished run: every cell's final result (skipped and interrupted ones included) and the run's outcome. */
  finish(run, cells, sent) {
    const final = run.outcome?.cells ?? [];
    const streamed = new Map(run.results.map((r) => [r.cell, r.result]));
    cells.forEach((c, i) => {
      c.setResult(final[i] ?? streamed.get(i) ?? { cell: i + 1, status: "skipped" }, sent[i]);
    });
    const at = timeOfDay(run.finished_at ?? new Date().toISOString());
    const failed = enumName(run.outcome?.compile) !== "ok" || enumName(run.outcome?.outcome) !== "completed";
    this.setStatus(`Run finished at ${at}`, failed ? "failed" : "done");
    this.showSummary(run);
    if (["compile_error", "policy_violation"].includes(enumName(run.outcome?.compile))) this.workspace.editor.setDiagnostics(run.outcome.diagnostics ?? []);
  }

  /** A refused or failed run, told in words: the rate limit counts down, time over ends the workspace. */
  failed(e) {
    if (!(e instanceof ApiError)) {
      this.setStatus(e.message, "error");
      return;
    }
    if (e.status === 409) {
      this.setStatus(e.message, "error");
      this.workspace.end();
      return;
    }
    if (e.status === 429) {
      const until = Date.now() + (e.retryAfter ?? 10) * 1000;
      const box = h("div", { class: "error-box", role: "alert", "data-testid": "notebook-rate-limited" });
      // The server's "Try again in 42 s." is counted down here instead.
      const message = e.message.replace(/\s*Try again in \d+ s\.\s*$/, "");
      const show = () => {
        const left = Math.ceil((until - Date.now()) / 1000);
        fill(box, `${message} `, left > 0 ? `You can run again in ${left} s.` : "You can run again now.");
        return left > 0;
      };
      show();
      fill(this.summary, box);
      this.setStatus("Not run", "error");
      this.coolingDown = true;
      const timer = setInterval(() => {
        if (!show() || this.destroyed) {
          clearInterval(timer);
          this.coolingDown = false;
          if (!this.destroyed) this.render();
        }
      }, 1000);
      return;
    }
    this.setStatus("Not run", "error");
    fill(this.summary, h("div", { class: "error-box", role: "alert", "data-testid": "notebook-error" }, h("strong", {}, e.title ?? "Error"), ": ", e.message));
  }

  destroy() {
    this.destroyed = true;
    clearTimeout(this.saveTimer);
    this.abort?.abort();
    for (const c of this.cells) c.destroy();
  }
}
