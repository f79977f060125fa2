// Hash routes to pages. Pages never call back into the router: they navigate by changing the hash.
import { h, fill } from "../common.js";
import { setTitle, frame } from "./shell.js";
import { beginView } from "./sign-in.js";
import { renderAssessments } from "./assessments.js";
import { renderAssessment } from "./assessment.js";
import { renderBuilder } from "./builder.js";
import { renderSession } from "./session.js";

const GUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

export function route() {
  const scope = beginView();
  if (!scope) return;
  const path = decodeURIComponent(location.hash.replace(/^#/, "")) || "/";
  let m;
  if (path === "/" || path === "") renderAssessments(scope);
  else if ((m = path.match(/^\/assessments\/new\/?(?:\?template=(.+))?$/))) renderBuilder(scope, m[1]);
  else if ((m = path.match(new RegExp(`^/assessments/(${GUID})/?$`)))) renderAssessment(scope, m[1].toLowerCase());
  else if ((m = path.match(new RegExp(`^/sessions/(${GUID})/?$`)))) renderSession(scope, m[1].toLowerCase());
  else renderNotFound();
}

function renderNotFound() {
  const { body } = frame([{ label: "Assessments", href: "#/" }, { label: "Not found" }]);
  setTitle("Not found");
  fill(body, h("div", { class: "panel" }, h("h1", {}, "Page not found"), h("p", {}, "This address names no page of the console. "), h("a", { href: "#/" }, "Back to the assessments")));
}
