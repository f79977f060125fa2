// The author console: upload a pack and follow its validation live, read the report, publish it,
// browse packs and their versions, and rejudge a version's submissions against another.
// Hash-routed (#/, #/validations/{id}, #/packs/{pack}, #/packs/{pack}/{challenge}/{version},
// #/rejudges/{id}); the sign-in, the staff key in this tab's sessionStorage, and the frame are the
// proctor console's (proctor/shell.js), so one key signs in to both.
import { nameConsole } from "./proctor/shell.js";
import { keepScrollBoxesReachable } from "./common.js";
import { route } from "./author/router.js";

nameConsole("Author console");
keepScrollBoxesReachable(document.getElementById("app"));
window.addEventListener("hashchange", route);
route();
