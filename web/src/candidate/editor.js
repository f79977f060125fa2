// A multi-file C# editor: one CodeMirror state per file, swapped in when its tab is chosen, so
// each file keeps its own undo history, selection and compiler diagnostics.
import { basicSetup } from "codemirror";
import { EditorState } from "@codemirror/state";
import { EditorView, keymap } from "@codemirror/view";
import { indentWithTab } from "@codemirror/commands";
import { StreamLanguage } from "@codemirror/language";
import { csharp } from "@codemirror/legacy-modes/mode/clike";
import { lintGutter, setDiagnostics } from "@codemirror/lint";
import { h } from "../common.js";

const csharpLanguage = StreamLanguage.define(csharp);

/**
 * The id of the page's one hint on the editors' keys, which every editor's content names with
 * aria-describedby. Tab indents in them, so Tab alone cannot leave; CodeMirror moves focus on a Tab
 * pressed within two seconds after Escape.
 */
export const EDITOR_KEYS_ID = "editor-keys";

/**
 * The attributes of every editor's content: its name, the keys hint, and a tab stop even when it is
 * read-only, so that its scrolling box can be reached and scrolled with the keyboard.
 */
export function editorContent(attrs) {
  return { ...attrs, tabindex: "0", "aria-describedby": EDITOR_KEYS_ID };
}

/** The hint itself, shown once beside the file editor. */
export function editorKeysHint() {
  return h("p", { id: EDITOR_KEYS_ID, class: "editor-keys muted small", "data-testid": "editor-keys" },
    "Tab indents. Press Esc then Tab to move out of the editor.");
}

/** What every C# editor of the page has, the files' and the notebook cells': keys, highlighting, the lint gutter. */
export function csharpSetup() {
  return [basicSetup, keymap.of([indentWithTab]), csharpLanguage, lintGutter()];
}

/** Compiler messages ({ line, column, id, message }, 1-based) as CodeMirror diagnostics in a document. */
export function lintDiagnostics(doc, diagnostics) {
  return diagnostics.map((d) => {
    const line = doc.line(Math.min(Math.max(d.line, 1), doc.lines));
    const from = Math.min(line.from + Math.max(d.column - 1, 0), line.to);
    const to = Math.min(line.to, from + Math.max(1, wordLength(line.text, from - line.from)));
    return { from, to, severity: "error", message: `${d.id}: ${d.message}`, source: d.id };
  });
}

/** Puts the cursor of an editor at a 1-based line and column, scrolled into view and focused. */
export function revealIn(view, line, column) {
  const doc = view.state.doc;
  const target = doc.line(Math.min(Math.max(line, 1), doc.lines));
  const pos = Math.min(target.from + Math.max(column - 1, 0), target.to);
  view.dispatch({ selection: { anchor: pos }, effects: EditorView.scrollIntoView(pos, { y: "center" }) });
  view.focus();
}

export class FileEditor {
  /**
   * @param files { name: text } in tab order; @param editable names the candidate may change
   * @param onChange (name, text) after each edit
   */
  constructor(files, editable, onChange) {
    this.editable = new Set(editable);
    this.onChange = onChange;
    this.states = new Map();
    this.tabs = h("div", { class: "file-tabs", role: "tablist", "data-testid": "file-tabs" });
    this.host = h("div", { class: "editor-host", "data-testid": "editor" });
    this.element = h("section", { class: "editor-pane", "aria-label": "Code editor" },
      h("div", { class: "editor-bar" }, this.tabs, editorKeysHint()), this.host);
    for (const [name, text] of Object.entries(files)) this.states.set(name, this.createState(name, text));
    this.view = new EditorView({ parent: this.host, state: this.states.values().next().value });
    this.current = this.states.keys().next().value;
    this.renderTabs();
  }

  createState(name, text) {
    const readOnly = !this.editable.has(name);
    return EditorState.create({
      doc: text,
      extensions: [
        csharpSetup(),
        EditorState.readOnly.of(readOnly),
        EditorView.editable.of(!readOnly),
        EditorView.contentAttributes.of(editorContent({ "aria-label": `${name}${readOnly ? " (read-only)" : ""}` })),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) this.onChange(name, u.state.doc.toString());
        }),
      ],
    });
  }

  renderTabs() {
    this.tabs.replaceChildren(...[...this.states.keys()].map((name) =>
      h("button", {
        type: "button", role: "tab", class: "file-tab", "aria-selected": String(name === this.current),
        "data-file": name, onclick: () => this.show(name),
      }, name, this.editable.has(name) ? null : h("span", { class: "muted" }, " (read-only)"))));
  }

  show(name) {
    if (name === this.current || !this.states.has(name)) return;
    this.states.set(this.current, this.view.state);
    this.view.setState(this.states.get(name));
    this.current = name;
    this.renderTabs();
  }

  /** The text of every file, as edited. */
  files() {
    this.states.set(this.current, this.view.state);
    return Object.fromEntries([...this.states].map(([name, state]) => [name, state.doc.toString()]));
  }

  /** The files the candidate may change, as edited: what a run or submission sends. */
  editableFiles() {
    return Object.fromEntries(Object.entries(this.files()).filter(([name]) => this.editable.has(name)));
  }

  /** Shows compiler messages in their files (replacing earlier ones); returns the files they were in. */
  setDiagnostics(diagnostics) {
    this.states.set(this.current, this.view.state);
    for (const [name, state] of this.states) {
      const mine = lintDiagnostics(state.doc, diagnostics.filter((d) => d.file === name));
      const updated = state.update(setDiagnostics(state, mine)).state;
      this.states.set(name, updated);
      if (name === this.current) this.view.setState(updated);
    }
  }

  /** Shows a file with the cursor at a 1-based line and column. */
  reveal(file, line, column) {
    this.show(file);
    revealIn(this.view, line, column);
  }

  destroy() {
    this.view.destroy();
  }
}

function wordLength(text, start) {
  const match = /^[\w.]+/.exec(text.slice(start));
  return match ? match[0].length : 1;
}
