// The candidate's page at /invite/{token}: the rules and consent, then the IDE until the time is
// over or the candidate finishes.
import { h, fill, ApiError, num, toast, keepScrollBoxesReachable } from "./common.js";
import { CandidateSession } from "./candidate/session.js";
import { Proctoring } from "./candidate/proctoring.js";
import { Workspace } from "./candidate/workspace.js";

const app = document.getElementById("app");
keepScrollBoxesReachable(app);

async function main() {
  const invite = decodeURIComponent(location.pathname.split("/").filter(Boolean)[1] ?? "");
  let session;
  try {
    session = await CandidateSession.open(invite);
  } catch (e) {
    return problem("This invite cannot be opened", e);
  }
  route(session);
}

function route(session) {
  app.removeAttribute("aria-busy");
  const status = session.view.status;
  if (status === "not_started") return landing(session);
  if (status === "in_progress") return new Workspace(app, session, new Proctoring(session), () => route(session)).open();
  return finished(session);
}

function problem(title, error) {
  app.removeAttribute("aria-busy");
  const gone = error instanceof ApiError && (error.status === 404 || error.status === 410);
  fill(app, h("div", { class: "panel narrow", "data-testid": "invite-error" },
    h("h1", {}, title),
    h("div", { class: "error-box" }, error.message),
    gone ? h("p", { class: "muted" }, "Each invite opens one session, in the browser where it was first opened. If you think this is a mistake, ask the person who invited you for a new link.") : null));
}

/** The rules, what is recorded, and consent; the clock starts only when the candidate says so. */
function landing(session) {
  const v = session.view;
  const minutes = v.time_limit_minutes + v.extra_minutes;
  const recorded = [
    "when this tab is hidden or the window loses focus, and for how long",
    "the size of what you paste or copy (not its content)",
    "leaving fullscreen",
    "every run and submission with its code",
  ];
  if (v.proctoring.webcam) recorded.push("a webcam snapshot about every minute");
  if (v.proctoring.screen) recorded.push("a screen snapshot about every minute");

  const consents = [h("label", {}, h("input", { type: "checkbox", id: "consent-rules", "data-testid": "consent-rules" }),
    " I have read the rules and will follow the AI-assistant policy.")];
  if (v.proctoring.webcam) consents.push(h("label", {}, h("input", { type: "checkbox", id: "consent-webcam", "data-testid": "consent-webcam" }),
    " I agree to webcam snapshots being taken and stored with my session."));
  if (v.proctoring.screen) consents.push(h("label", {}, h("input", { type: "checkbox", id: "consent-screen", "data-testid": "consent-screen" }),
    " I agree to share my screen and to screen snapshots being stored with my session."));

  const error = h("div", { role: "alert" });
  const start = h("button", { type: "button", class: "primary large", id: "start", "data-testid": "start", disabled: true }, `Start — ${minutes} minutes`);
  const boxes = () => [...app.querySelectorAll(".consents input")];
  const update = () => { start.disabled = !boxes().every((b) => b.checked); };

  start.addEventListener("click", async () => {
    start.disabled = true;
    fill(error);
    const proctoring = new Proctoring(session);
    try {
      await proctoring.acquire();
      session.accept(await session.call("POST", "/api/session/start", { json: { consent: { webcam: v.proctoring.webcam, screen: v.proctoring.screen } } }));
    } catch (e) {
      proctoring.stop();
      fill(error, h("div", { class: "error-box" }, e.message));
      update();
      return;
    }
    new Workspace(app, session, proctoring, () => route(session)).open();
  });

  fill(app, h("div", { class: "panel narrow landing", "data-testid": "landing" },
    h("h1", {}, v.assessment),
    h("dl", { class: "rules" },
      h("dt", {}, "Time"), h("dd", {}, `${minutes} minutes`, v.extra_minutes ? ` (${v.time_limit_minutes} + ${v.extra_minutes} extra)` : "",
        ". The clock starts when you press Start and does not stop; your work is saved as you type."),
      h("dt", {}, "Levels"), h("dd", {}, h("ol", {}, v.levels.map((l) => h("li", {}, l.title))),
        "Each level unlocks when you pass the one before. Run checks your code against the public tests; Submit also runs hidden tests and counts for your score."),
      h("dt", {}, "AI assistants"), h("dd", { "data-testid": "ai-policy" }, v.ai_policy),
      h("dt", {}, "Hints"), h("dd", {}, v.hints_allowed ? "Available; each shows its cost in points before you reveal it." : "Not available in this assessment."),
      h("dt", {}, "Recorded"), h("dd", { "data-testid": "recorded" }, h("ul", {}, recorded.map((r) => h("li", {}, r))))),
    h("div", { class: "consents", onchange: update }, consents),
    error,
    start));
}

function finished(session) {
  const v = session.view;
  fill(app, h("div", { class: "panel narrow", "data-testid": "finished" },
    h("h1", {}, v.status === "time_over" ? "Time is over" : "Assessment finished"),
    h("p", {}, "Your submissions have been recorded. You can close this page."),
    h("div", { class: "table-wrap" }, h("table", {},
      h("thead", {}, h("tr", {}, h("th", {}, "Level"), h("th", {}, "State"), h("th", {}, "Best score"), h("th", {}, "Attempts"))),
      h("tbody", {}, v.levels.map((l) => h("tr", {},
        h("td", {}, `${l.position}. ${l.title}`), h("td", {}, l.state), h("td", {}, `${num(l.best_score * 100, 1)}%`), h("td", {}, l.attempts)))))),
    h("p", { class: "muted" }, `Total: ${num(v.score, 1)} of ${v.max_points} points.`)));
}

window.addEventListener("unhandledrejection", (e) => toast(e.reason?.message ?? String(e.reason), "error"));
main();
