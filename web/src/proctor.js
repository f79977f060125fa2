// The proctor console: assessments and their builder, invites, live sessions, similar fixes side
// by side, and a candidate report with its integrity timeline. Hash-routed (#/, #/assessments/new,
// #/assessments/{id}, #/sessions/{id}); the admin key lives only in this tab's sessionStorage and
// in X-Api-Key headers.
// Each page is a module of proctor/; the router there maps hash routes to them.
import { keepScrollBoxesReachable } from "./common.js";
import { route } from "./proctor/router.js";

keepScrollBoxesReachable(document.getElementById("app"));
window.addEventListener("hashchange", route);
route();
