// Extra time for a running session (POST /api/admin/sessions/{id}/extra-time): minutes and a
// reason, asked in a dialog. The server moves the deadline; the candidate's page picks it up.
import { h, fill, clock, timeOfDay, toast } from "../common.js";
import { adminApi, describe, isAbort } from "./shell.js";
import { candidateName, secondsLeft, noteServerTime } from "./format.js";

/** The server's bounds (ExtraTimeAdminApi, Session.MaxExtraMinutes). */
const MAX_MINUTES = 240;
const MAX_TOTAL = 600;
const MAX_REASON = 500;

/** A button that opens the dialog for session x (a row of the sessions list); onGranted runs after the deadline moved. */
export function extraTimeButton(s, x, onGranted) {
  const full = (x.extra_minutes ?? 0) >= MAX_TOTAL;
  return h("button", {
    type: "button", class: "secondary small", "data-testid": "give-extra-time", disabled: full,
    title: full ? `This session has the most extra time a session may have (${MAX_TOTAL} minutes)` : "Give this candidate more time",
    onclick: (ev) => {
      ev.stopPropagation();
      openDialog(s, x, onGranted);
    },
    onkeydown: (ev) => ev.stopPropagation(),
  }, "+ Time");
}

function openDialog(s, x, onGranted) {
  const room = MAX_TOTAL - (x.extra_minutes ?? 0);
  const minutes = h("input", {
    id: "extra-minutes", name: "minutes", type: "number", min: 1, max: Math.min(MAX_MINUTES, room), step: 1, value: Math.min(15, room), required: true,
  });
  const reason = h("input", {
    id: "extra-reason", name: "reason", maxlength: MAX_REASON, required: true, placeholder: "Power cut at the candidate's", autocomplete: "off",
  });
  const problem = h("div", { "aria-live": "polite" });
  const give = h("button", { type: "submit", class: "primary", "data-testid": "grant-extra-time" }, "Give extra time");
  const left = h("span", { class: "live" });
  const tick = () => { left.textContent = x.deadline ? `${clock(secondsLeft(x.deadline))} left` : ""; };
  const timer = setInterval(tick, 1000);
  tick();

  for (const el of [minutes, reason]) el.addEventListener("input", () => problem.replaceChildren());
  const fail = (text, field) => {
    fill(problem, h("div", { class: "error-box", role: "alert", "data-testid": "extra-time-error" }, h("span", {}, text)));
    field?.focus();
  };

  const submit = async (ev) => {
    ev.preventDefault();
    const n = Number(minutes.value);
    const why = reason.value.trim();
    if (minutes.value === "" || !Number.isInteger(n) || n < 1 || n > MAX_MINUTES) {
      return fail(`minutes must be a whole number from 1 to ${MAX_MINUTES}.`, minutes);
    }
    if (n > room) {
      return fail(`This session has ${x.extra_minutes} minutes of extra time already and may have at most ${MAX_TOTAL} in all: `
        + `give at most ${room} more.`, minutes);
    }
    if (!why) return fail(`reason is required (at most ${MAX_REASON} characters): it is kept in the candidate's report.`, reason);
    give.disabled = true;
    give.textContent = "Giving…";
    try {
      const granted = await adminApi(`/api/admin/sessions/${x.id}/extra-time`, { method: "POST", json: { minutes: n, reason: why } });
      noteServerTime(granted.server_time);
      dialog.close("ok");
      toast(`${candidateName(x.candidate)} has ${granted.minutes} more minutes: the deadline is now ${timeOfDay(granted.deadline)}.`,
        "success");
      onGranted(granted);
    } catch (e) {
      if (isAbort(e)) return;
      fail(describe(e));
      give.disabled = false;
      give.textContent = "Give extra time";
    }
  };

  const dialog = h("dialog", { class: "confirm extra-time", "data-testid": "extra-time-dialog", "aria-labelledby": "extra-time-title" },
    h("form", { onsubmit: submit, novalidate: true },
      h("h2", { id: "extra-time-title" }, `Extra time for ${candidateName(x.candidate)}`),
      h("p", { class: "small" }, "The deadline moves on the server at once; the candidate's countdown follows. ",
        x.deadline ? ["Now: ", h("strong", {}, timeOfDay(x.deadline)), " (", left, ")"] : null,
        x.extra_minutes ? `, ${x.extra_minutes} min extra already.` : "."),
      h("label", { class: "field" }, h("span", {}, `Minutes (1 to ${Math.min(MAX_MINUTES, room)})`), minutes),
      h("label", { class: "field" }, h("span", {}, "Reason (kept in the report)"), reason),
      problem,
      h("div", { class: "actions" },
        h("button", { type: "button", class: "secondary", onclick: () => dialog.close("cancel") }, "Cancel"),
        give)));
  dialog.addEventListener("close", () => {
    clearInterval(timer);
    dialog.remove();
  });
  s.defer(() => dialog.isConnected && dialog.close());
  document.body.append(dialog);
  dialog.showModal();
  reason.focus();
}
