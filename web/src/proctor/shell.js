// The console's frame: the view scope, admin API access with the staff key, errors, the page header and navigation.
// The proctor console and the author console share it, and the sign-in (the key is the same for both).
import { h, fill, api, ApiError } from "../common.js";

export const KEY_STORAGE = "bughunt.admin-key";

/** The console this page is, as its header, sign-in form and tab titles name it. */
let consoleName = "Proctor console";

export function nameConsole(name) {
  consoleName = name;
}

/** The BugHunt mark with the console's name; a link when attrs has an href. */
export function brand(className = "brand", attrs = {}) {
  return h(attrs.href ? "a" : "div", { class: className, ...attrs },
    h("span", { class: "brand-mark", "aria-hidden": "true" }, "◆"), "BugHunt", h("span", { class: "brand-sub" }, consoleName));
}

/** Who signed in ({name, role} from /api/admin/me), kept beside the key for the header. */
export const STAFF_STORAGE = "bughunt.staff";

export const app = document.getElementById("app");

/** Which assessment a session belongs to (the report does not say); filled from session lists. */
export const sessionAssessment = new Map();

/** Lifetime of a view: leaving it aborts its requests, stops its timers and frees its blob URLs. */
class Scope {
  constructor() {
    this.controller = new AbortController();
    this.cleanups = [];
  }
  get signal() {
    return this.controller.signal;
  }
  get alive() {
    return !this.controller.signal.aborted;
  }
  defer(fn) {
    this.cleanups.push(fn);
  }
  dispose() {
    this.controller.abort();
    for (const fn of this.cleanups.splice(0).reverse()) {
      try {
        fn();
      } catch {
        /* cleanup is best effort */
      }
    }
  }
}

let scope = new Scope();

/** Ends the current view's scope and starts the next one's. */
export function resetScope() {
  scope.dispose();
  scope = new Scope();
  return scope;
}

/**
 * Calls fn every `ms` while the scope lives. Skips while the tab is hidden and refreshes at once
 * when it shows again; fn returning false stops the polling. The first call is the caller's.
 */
export function poll(s, ms, fn) {
  let timer = 0;
  let busy = false;
  let stopped = false;
  const run = async () => {
    clearTimeout(timer);
    if (busy || stopped || !s.alive || document.hidden) return;
    busy = true;
    try {
      if ((await fn()) === false) stopped = true;
    } catch {
      /* fn shows its own errors; keep polling */
    }
    busy = false;
    if (!stopped && s.alive) timer = setTimeout(run, ms);
  };
  const onVisibility = () => {
    if (!document.hidden) run();
  };
  document.addEventListener("visibilitychange", onVisibility);
  s.defer(() => {
    stopped = true;
    clearTimeout(timer);
    document.removeEventListener("visibilitychange", onVisibility);
  });
  timer = setTimeout(run, ms);
}

export function every(s, ms, fn) {
  const id = setInterval(fn, ms);
  s.defer(() => clearInterval(id));
}

/**
 * An admin API call with the key; a rejected key signs out. A 403 for the role keeps the user signed
 * in: the view shows what the server says (the role it needs and the user's). Requests die with the view.
 */
export async function adminApi(path, { method = "GET", json, body, headers = {}, raw = false } = {}) {
  const key = sessionStorage.getItem(KEY_STORAGE);
  if (!key) {
    signOut("Sign in with your staff key.");
    throw new ApiError(401, "Signed out", "Sign in with your staff key.");
  }
  try {
    return await api(method, path, { headers: { ...headers, "X-Api-Key": key }, json, body, raw, signal: scope.signal });
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    if (e.status === 401) signOut(`Your key was not accepted. ${e.message}`);
    else if (e.status === 403 && e.title === "Role not allowed") throw new ApiError(403, "Not available to your role", e.message);
    else if (e.status === 403) signOut("That key is not a staff key.");
    throw e;
  }
}

/** "signed in as ada (recruiter)", from what sign-in stored, or else asked of the server. */
function signedInAs() {
  const el = h("span", { class: "muted small", "data-testid": "signed-in-as" });
  const show = (me) => fill(el, `signed in as ${me.name} (${me.role})`);
  let stored = null;
  try {
    stored = JSON.parse(sessionStorage.getItem(STAFF_STORAGE) ?? "null");
  } catch {
    /* unreadable: ask again */
  }
  if (stored?.name) show(stored);
  else
    adminApi("/api/admin/me").then((me) => {
      sessionStorage.setItem(STAFF_STORAGE, JSON.stringify(me));
      show(me);
    }, () => {});
  return el;
}

export function describe(e) {
  if (e instanceof ApiError) {
    if (e.status === 0) return "The server cannot be reached. Check that BugHunt is running, then try again.";
    if (e.status === 429 && e.retryAfter) return `${e.message} Try again in ${e.retryAfter} s.`;
    return e.title && e.message !== e.title ? `${e.title}: ${e.message}` : e.message;
  }
  return e?.message || String(e);
}

export function isAbort(e) {
  return e?.name === "AbortError";
}

export function errorBox(e, retry) {
  return h("div", { class: "error-box", role: "alert", "data-testid": "error" },
    h("span", {}, typeof e === "string" ? e : describe(e)),
    retry ? h("button", { type: "button", class: "secondary small", onclick: retry }, "Try again") : null);
}

export function loading(text) {
  return h("div", { class: "loading", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), text);
}

export function empty(text, testid) {
  return h("div", { class: "empty", "data-testid": testid }, text);
}

/** Renders the current page again: the router listens for hash changes, pages never call it. */
export function reload() {
  window.dispatchEvent(new HashChangeEvent("hashchange"));
}

export function go(hash) {
  if (location.hash === hash) reload();
  else location.hash = hash;
}

export function setTitle(text) {
  const name = `BugHunt ${consoleName.toLowerCase()}`;
  document.title = text ? `${text} — ${name}` : name;
}

/** The header with breadcrumbs and sign-out; returns the body to render into and a crumb setter. */
export function frame(crumbs) {
  const nav = h("nav", { class: "crumbs", "aria-label": "Breadcrumb", "data-testid": "breadcrumbs" });
  const body = h("div", { class: "page" });
  fill(app,
    h("header", { class: "topbar" },
      brand("brand", { href: "#/" }),
      nav,
      signedInAs(),
      h("button", { type: "button", id: "sign-out", class: "secondary small", "data-testid": "sign-out", onclick: () => signOut() }, "Sign out")),
    body);
  const setCrumbs = (list) =>
    fill(nav, list.map((c, i) => {
      const last = i === list.length - 1;
      return [
        i > 0 ? h("span", { class: "sep", "aria-hidden": "true" }, "›") : null,
        last || !c.href ? h("span", { class: "crumb", "aria-current": last ? "page" : null }, c.label) : h("a", { class: "crumb", href: c.href }, c.label),
      ];
    }));
  setCrumbs(crumbs);
  return { body, setCrumbs };
}

let signedOut = null;

/**
 * Forgets the key and shows the sign-in page (through the router, which finds no key), with why;
 * the router takes the message with takeSignOutMessage.
 */
function signOut(message) {
  const alreadyOut = !sessionStorage.getItem(KEY_STORAGE) && document.getElementById("admin-key");
  sessionStorage.removeItem(KEY_STORAGE);
  sessionStorage.removeItem(STAFF_STORAGE);
  resetScope();
  if (alreadyOut) return; // several requests failing together must not redraw the form under the user
  signedOut = { message: message ?? "You are signed out.", kind: message ? "error" : "notice" };
  reload();
}

export function takeSignOutMessage() {
  const taken = signedOut;
  signedOut = null;
  return taken;
}
