// The list of assessments.
import { h, fill, dateTime, allItems } from "../common.js";
import { adminApi, isAbort, errorBox, loading, go, setTitle, frame, reload } from "./shell.js";

export async function renderAssessments(s) {
  const { body } = frame([{ label: "Assessments" }]);
  setTitle("Assessments");
  const box = h("section", { class: "panel flush" }, loading("Loading assessments…"));
  const build = (testid, label) => h("a", { href: "#/assessments/new", class: "button-like primary", "data-testid": testid }, label);
  fill(body,
    h("div", { class: "page-head" },
      h("div", {}, h("h1", {}, "Assessments"), h("p", { class: "muted" }, "Open an assessment to invite candidates and follow their sessions live.")),
      h("div", { class: "head-actions" }, build("new-assessment", "New assessment"))),
    box);
  try {
    const list = await allItems(adminApi, "/api/admin/assessments");
    if (!s.alive) return;
    fill(box, list.length ? assessmentsTable(list) : h("div", { class: "empty", "data-testid": "assessments-empty" },
      h("p", {}, "No assessments yet. Build one from the imported packs: pick its levels, time limit, pass bar and rules, then invite candidates."),
      build("build-assessment", "Build an assessment")));
  } catch (e) {
    if (s.alive && !isAbort(e)) fill(box, errorBox(e, reload));
  }
}

function assessmentsTable(list) {
  return h("div", { class: "table-wrap" }, h("table", { class: "grid clickable", "data-testid": "assessments" },
    h("thead", {}, h("tr", {},
      h("th", {}, "Name"), h("th", { class: "num" }, "Levels"), h("th", { class: "num" }, "Sessions"),
      h("th", { class: "num" }, "Time limit"), h("th", { class: "num" }, "Pass bar"), h("th", {}, "Created"))),
    h("tbody", {}, list.map((a) => {
      const open = () => go(`#/assessments/${a.id}`);
      return h("tr", {
        "data-testid": "assessment", "data-assessment-id": a.id, tabindex: 0,
        onclick: (ev) => { if (!ev.target.closest("a")) open(); },
        onkeydown: (ev) => { if (ev.key === "Enter") open(); },
      },
      h("td", {}, h("a", { href: `#/assessments/${a.id}`, class: "strong" }, a.name)),
      h("td", { class: "num" }, a.levels),
      h("td", { class: "num" }, a.sessions),
      h("td", { class: "num" }, `${a.time_limit_minutes} min`),
      h("td", { class: "num" }, `${a.pass_points} / ${a.max_points}`),
      h("td", { class: "muted" }, dateTime(a.created_at)));
    }))));
}
