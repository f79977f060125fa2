// One cell of the candidate's notebook: a small C# editor (the files' editor setup), its buttons,
// and its last output drawn under it. Ctrl+Enter runs the notebook up to this cell, Ctrl+Shift+Enter
// runs all of it.
import { EditorState, Prec } from "@codemirror/state";
import { EditorView, keymap } from "@codemirror/view";
import { setDiagnostics } from "@codemirror/lint";
import { h, fill } from "../common.js";
import { cellBadge, cellOutput } from "../notebook-view.js";
import { editorContent, csharpSetup, lintDiagnostics, revealIn } from "./editor.js";

export class NotebookCell {
  /**
   * @param code the cell's text; @param output its last result (a CellResult) or null
   * @param actions { changed(), runUpTo(cell), runAll(), move(cell, by), remove(cell), locateFile(file, line) }
   */
  constructor(code, output, actions) {
    this.actions = actions;
    this.result = output ?? null;
    // The code the result came from: an edited cell keeps its output, marked as older than the code.
    this.resultCode = output ? code : null;
    this.state = null;
    this.index = 0;
    this.label = h("span", { class: "nb-index mono" });
    this.badge = h("span", { class: "nb-badge" });
    this.runButton = h("button", { type: "button", class: "secondary small", "data-testid": "run-up-to", title: "Run the notebook up to this cell (Ctrl+Enter)", onclick: () => actions.runUpTo(this) }, "▶ Run up to here");
    this.upButton = h("button", { type: "button", class: "secondary small icon", "data-testid": "move-up", onclick: () => actions.move(this, -1) }, "↑");
    this.downButton = h("button", { type: "button", class: "secondary small icon", "data-testid": "move-down", onclick: () => actions.move(this, 1) }, "↓");
    this.deleteButton = h("button", { type: "button", class: "secondary small icon danger", "data-testid": "delete-cell", onclick: () => actions.remove(this) }, "✕");
    this.host = h("div", { class: "nb-editor" });
    this.output = h("div", { class: "nb-output-slot", "aria-live": "polite" });
    this.element = h("section", { class: "nb-cell", "data-testid": "notebook-cell" },
      h("div", { class: "nb-cell-head" }, this.label, this.badge, h("span", { class: "spacer" }),
        this.runButton, this.upButton, this.downButton, this.deleteButton),
      this.host,
      this.output);
    this.view = new EditorView({
      parent: this.host,
      state: EditorState.create({
        doc: code,
        extensions: [
          csharpSetup(),
          Prec.highest(keymap.of([
            { key: "Mod-Enter", run: () => this.handled(() => actions.runUpTo(this)) },
            { key: "Shift-Mod-Enter", run: () => this.handled(() => actions.runAll()) },
          ])),
          EditorView.contentAttributes.of(editorContent({ "aria-label": "Notebook cell" })),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) {
              actions.changed();
              this.element.classList.toggle("stale", this.isStale());
            }
          }),
        ],
      }),
    });
  }

  /** A key binding's action: the key is taken, and the run goes on without it. */
  handled(action) {
    action();
    return true;
  }

  code() {
    return this.view.state.doc.toString();
  }

  isStale() {
    return this.result !== null && this.resultCode !== this.code();
  }

  /** Numbers the cell (1-based) among count; structural buttons are off while a run is in flight. */
  place(index, count, running) {
    this.index = index;
    this.element.dataset.cell = String(index);
    fill(this.label, `[${index}]`);
    this.upButton.disabled = running || index === 1;
    this.downButton.disabled = running || index === count;
    this.deleteButton.disabled = running || count === 1;
    this.upButton.setAttribute("aria-label", `Move cell ${index} up`);
    this.downButton.setAttribute("aria-label", `Move cell ${index} down`);
    this.deleteButton.setAttribute("aria-label", `Delete cell ${index}`);
    this.runButton.setAttribute("aria-label", `Run up to here (cell ${index})`);
  }

  /** "queued" or "running" while a run is on its way to this cell; null otherwise. */
  setState(state) {
    this.state = state;
  }

  setResult(result, code) {
    this.result = result;
    this.resultCode = code;
    this.state = null;
  }

  /** Draws the cell's status and output; history carries series and tables on from the cells above. */
  render(history) {
    const result = this.result;
    this.element.dataset.status = this.state ?? result?.status ?? "";
    this.element.classList.toggle("stale", this.isStale());
    fill(this.badge, this.state ? cellBadge(this.state) : result ? cellBadge(result.status) : null);
    const diagnostics = this.state || this.isStale() ? [] : (result?.diagnostics ?? []);
    this.view.dispatch(setDiagnostics(this.view.state, lintDiagnostics(this.view.state.doc, diagnostics)));
    if (this.state === "running") return fill(this.output, h("div", { class: "progress small", role: "status" }, h("span", { class: "spinner" }), "running…"));
    if (this.state === "queued") return fill(this.output);
    fill(this.output,
      result ? h("p", { class: "muted small stale-note" }, "Edited since this output; run again to update it.") : null,
      result ? cellOutput(result, history, { onLocate: (line, column) => this.reveal(line, column), onLocateFile: this.actions.locateFile }) : null);
  }

  reveal(line, column) {
    revealIn(this.view, line, column);
  }

  focus() {
    this.view.focus();
  }

  destroy() {
    this.view.destroy();
  }
}
