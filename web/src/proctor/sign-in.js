// Sign-in with a staff key (or the bootstrap admin key), kept only in this tab's sessionStorage.
import { h, fill, api, ApiError } from "../common.js";
import { KEY_STORAGE, STAFF_STORAGE, app, brand, describe, go, setTitle, resetScope, takeSignOutMessage } from "./shell.js";

/** Starts the next view: returns its scope, or, with no key in this tab, shows the sign-in form (saying why) and returns null. */
export function beginView() {
  const scope = resetScope();
  app.setAttribute("aria-busy", "false");
  if (sessionStorage.getItem(KEY_STORAGE)) return scope;
  const out = takeSignOutMessage();
  renderSignIn(out?.message, out?.kind);
  return null;
}

export function renderSignIn(message, kind = "error") {
  setTitle("Sign in");
  const input = h("input", { id: "admin-key", name: "admin-key", type: "password", autocomplete: "off", spellcheck: "false", required: true, "aria-describedby": "sign-in-help" });
  const button = h("button", { id: "sign-in", type: "submit", class: "primary" }, "Sign in");
  const status = h("div", { class: "sign-in-status", "aria-live": "polite" });
  const show = (text, cls) => fill(status, text ? h("div", { class: cls, role: cls === "error-box" ? "alert" : "status", "data-testid": "sign-in-message" }, text) : null);
  if (message) show(message, kind === "error" ? "error-box" : "notice");

  const submit = async (ev) => {
    ev.preventDefault();
    const key = input.value.trim();
    if (!key) {
      show("Enter your staff key.", "error-box");
      input.focus();
      return;
    }
    button.disabled = true;
    button.textContent = "Checking…";
    try {
      const me = await api("GET", "/api/admin/me", { headers: { "X-Api-Key": key } });
      sessionStorage.setItem(KEY_STORAGE, key);
      sessionStorage.setItem(STAFF_STORAGE, JSON.stringify(me));
      go(location.hash || "#/");
    } catch (e) {
      const text = !(e instanceof ApiError) ? describe(e)
        : e.status === 401 ? `The key was not accepted. ${e.message}`
        : e.status === 403 ? "The key was not accepted: that is a candidate's session token, not a staff key."
        : describe(e);
      show(text, "error-box");
      button.disabled = false;
      button.textContent = "Sign in";
      input.select();
    }
  };

  fill(app,
    h("div", { class: "sign-in-wrap" },
      h("form", { class: "panel sign-in", onsubmit: submit, "data-testid": "sign-in-form" },
        h("h1", { class: "sign-in-title" }, brand("brand big")),
        h("label", { for: "admin-key" }, "Staff key"),
        input,
        h("p", { id: "sign-in-help", class: "muted small" },
          "Your key from an admin (bughunt users add), or the bootstrap admin key BugHunt prints when it starts and keeps in .bughunt/admin-key. "
            + "It is kept only in this browser tab until you sign out or close it."),
        status,
        h("div", { class: "actions" }, button))));
  input.focus();
}
