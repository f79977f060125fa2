import { h, fill } from "./common.js";
fill(document.getElementById("app"), h("p", {}, "Proctor console"));
