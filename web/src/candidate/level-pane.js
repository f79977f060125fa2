// The IDE's left pane, beside the editor: the level's statement, public tests and hints (revealed
// at their cost once confirmed), or, on the other tab, the level's notebook.
import { marked } from "marked";
import DOMPurify from "dompurify";
import { h, fill, confirmDialog, num } from "../common.js";

/** Pack markdown as HTML, sanitised: statements and hints are authored, but never trusted with script. */
function markdown(text) {
  const el = h("div", { class: "markdown" });
  el.innerHTML = DOMPurify.sanitize(marked.parse(text));
  return el;
}

const tabStorageKey = "bughunt.pane";

export class LevelPane {
  /** @param onError(e) tells a failed call; @param onTab(name) follows the chosen tab (the notebook widens the pane). */
  constructor(session, onError, onTab) {
    this.session = session;
    this.onError = onError;
    this.onTab = onTab;
    this.level = null;
    // A reload comes back to the tab the candidate was on.
    this.tab = sessionStorage.getItem(tabStorageKey) === "notebook" ? "notebook" : "statement";
    this.statement = h("article", { class: "statement", "data-testid": "statement" });
    this.side = h("aside", { class: "level-side" });
    this.tabs = { statement: this.tabButton("statement", "Statement"), notebook: this.tabButton("notebook", "Notebook") };
    this.panels = {
      statement: h("div", { class: "pane-panel", role: "tabpanel", id: "panel-statement", "aria-labelledby": "tab-statement" }, this.statement, this.side),
      notebook: h("div", { class: "pane-panel", role: "tabpanel", id: "panel-notebook", "aria-labelledby": "tab-notebook", "data-testid": "notebook-panel" }),
    };
    this.element = h("div", { class: "left-pane" },
      h("div", { class: "pane-tabs", role: "tablist", "aria-label": "Level", onkeydown: (e) => this.tabKey(e) }, Object.values(this.tabs)),
      Object.values(this.panels));
  }

  show(level) {
    this.level = level;
    this.renderStatement();
    this.renderSide();
  }

  setNotebook(element) {
    fill(this.panels.notebook, element);
  }

  tabButton(name, label) {
    return h("button", { type: "button", role: "tab", class: "pane-tab", id: `tab-${name}`, "aria-controls": `panel-${name}`, "data-testid": `tab-${name}`, onclick: () => this.showTab(name) }, label);
  }

  showTab(name) {
    this.tab = name;
    sessionStorage.setItem(tabStorageKey, name);
    for (const [key, tab] of Object.entries(this.tabs)) {
      tab.setAttribute("aria-selected", String(key === name));
      tab.tabIndex = key === name ? 0 : -1;
      this.panels[key].hidden = key !== name;
    }
    this.onTab(name);
  }

  /** Left and right arrows move between the tabs, as in any tab list. */
  tabKey(e) {
    if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
    const names = Object.keys(this.tabs);
    const next = names[(names.indexOf(this.tab) + (e.key === "ArrowRight" ? 1 : names.length - 1)) % names.length];
    this.showTab(next);
    this.tabs[next].focus();
  }

  renderStatement() {
    const l = this.level;
    fill(this.statement,
      h("div", { class: "level-meta muted" },
        `Level ${l.position} · ${l.points} points · about ${l.expected_solve_minutes} min · ${l.public_tests.length} public and ${l.hidden_tests} hidden tests`),
      markdown(l.statement));
  }

  renderSide() {
    const l = this.level;
    const hints = this.session.view.hints_allowed && l.hints.length
      ? h("section", { class: "hints", "data-testid": "hints" }, h("h3", {}, "Hints"), h("ul", {}, l.hints.map((hint, i) => this.hint(hint, i))))
      : null;
    fill(this.side,
      h("section", {}, h("h3", {}, "Public tests"),
        h("ul", { class: "public-tests" }, l.public_tests.map((t) => h("li", {}, t.title, " ", h("span", { class: "badge muted" }, t.category))))),
      hints);
  }

  hint(hint, index) {
    const item = h("li", { "data-testid": "hint", "data-hint-id": hint.id });
    if (hint.revealed) {
      return fill(item, h("strong", {}, `Hint ${index + 1}`), h("span", { class: "muted" }, ` (−${num(hint.cost_points, 1)} points)`), markdown(hint.text ?? ""));
    }
    return fill(item, h("button", { type: "button", class: "secondary", "data-testid": "reveal-hint", onclick: () => this.reveal(hint, index) },
      `Reveal hint ${index + 1}`), h("span", { class: "muted" }, ` costs ${hint.cost_percent}% of this level (${num(hint.cost_points, 1)} points)`));
  }

  async reveal(hint, index) {
    const ok = await confirmDialog(`Reveal hint ${index + 1}?`,
      `It costs ${hint.cost_percent}% of this level's points (${num(hint.cost_points, 1)} of ${this.level.points}), deducted from your score for the level even if you pass it. This cannot be undone.`,
      `Reveal for ${num(hint.cost_points, 1)} points`);
    if (!ok) return;
    try {
      const revealed = await this.session.call("POST", `/api/session/levels/${this.level.position}/hints/${encodeURIComponent(hint.id)}`);
      Object.assign(hint, { revealed: true, text: revealed.text });
      this.renderSide();
    } catch (e) {
      this.onError(e);
    }
  }
}
