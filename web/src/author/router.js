// Hash routes of the author console to its pages; the frame and sign-in are the proctor console's.
import { h, fill } from "../common.js";
import { setTitle, frame } from "../proctor/shell.js";
import { beginView } from "../proctor/sign-in.js";
import { renderHome } from "./home.js";
import { renderValidation } from "./validation.js";
import { renderPack } from "./pack.js";
import { renderVersion } from "./version.js";
import { renderRejudge } from "./rejudge.js";

const GUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
const PART = "[^/?#]+";

const routes = [
  [/^\/?$/, (s) => renderHome(s)],
  [new RegExp(`^/validations/(${GUID})/?$`), (s, id) => renderValidation(s, id.toLowerCase())],
  [new RegExp(`^/packs/(${PART})/?$`), (s, pack) => renderPack(s, pack)],
  [new RegExp(`^/packs/(${PART})/(${PART})/(${GUID})/?$`), (s, pack, challenge, version) => renderVersion(s, pack, challenge, version.toLowerCase())],
  [new RegExp(`^/rejudges/(${GUID})/?$`), (s, id) => renderRejudge(s, id.toLowerCase())],
];

export function route() {
  const scope = beginView();
  if (!scope) return;
  const path = location.hash.replace(/^#/, "");
  for (const [pattern, render] of routes) {
    const m = path.match(pattern);
    if (!m) continue;
    let parts;
    try {
      parts = m.slice(1).map((p) => decodeURIComponent(p));
    } catch {
      break; // a malformed escape names no page
    }
    render(scope, ...parts);
    return;
  }
  renderNotFound();
}

function renderNotFound() {
  const { body } = frame([{ label: "Packs", href: "#/" }, { label: "Not found" }]);
  setTitle("Not found");
  fill(body, h("div", { class: "panel" }, h("h1", {}, "Page not found"), h("p", {}, "This address names no page of the author console."), h("a", { href: "#/" }, "Back to the packs")));
}
