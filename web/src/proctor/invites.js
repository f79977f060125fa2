// Inviting candidates to an assessment: one at a time (name and e-mail), or a list pasted or
// uploaded as CSV (header name,email), checked row by row before anything is sent, then a table of
// links to copy or download.
import { h, fill, dateTime, toast } from "../common.js";
import { adminApi, describe, isAbort, errorBox } from "./shell.js";
import { candidateName, copyButton, slug } from "./format.js";
import { readCandidates, emailProblem, toCsv, MAX_CANDIDATES } from "./csv.js";

export function invitePanel(s, a) {
  const number = (id, attrs) => h("input", { id, name: id, type: "number", required: true, ...attrs });
  const hours = number("invite-expires", { name: "expires_in_hours", min: "0.1", max: 2160, step: "any", value: 72 });
  const extra = number("invite-extra", { name: "extra_minutes", min: 0, max: 600, step: 1, value: 0 });
  const terms = () => ({ expires_in_hours: Number(hours.value), extra_minutes: Number(extra.value) });
  const one = oneInvite(a, terms);
  const many = bulkInvites(s, a, terms);
  const tab = (id, label) => h("button", {
    type: "button", role: "tab", class: "tab", id: `tab-${id}`, "data-testid": `invite-${id}`, "aria-controls": `panel-${id}`,
    onclick: () => select(id),
  }, label);
  const tabs = { one: tab("one", "One candidate"), many: tab("many", "A list (CSV)") };
  const panels = { one, many };
  const select = (id) => {
    for (const [key, button] of Object.entries(tabs)) {
      button.setAttribute("aria-selected", String(key === id));
      panels[key].hidden = key !== id;
    }
  };
  one.id = "panel-one";
  many.id = "panel-many";
  select("one");
  return h("section", { class: "panel", "data-testid": "invite" },
    h("div", { class: "panel-head" }, h("h2", {}, "Invite candidates"), h("div", { class: "spacer" }),
      h("div", { class: "tabs", role: "tablist", "aria-label": "How to invite" }, tabs.one, tabs.many)),
    h("div", { class: "invite-terms" },
      h("label", { class: "field" }, h("span", {}, "Expires in (hours)"), hours),
      h("label", { class: "field" }, h("span", {}, "Extra minutes"), extra),
      h("p", { class: "muted small" }, "Each link is single use: the first browser that opens it gets the session.")),
    one, many);
}

function oneInvite(a, terms) {
  const candidate = h("input", { id: "invite-candidate", name: "candidate", maxlength: 200, placeholder: "Ada Lovelace", autocomplete: "off" });
  const email = h("input", {
    id: "invite-email", name: "email", type: "email", maxlength: 254, placeholder: "ada@example.com", autocomplete: "off",
  });
  const button = h("button", { type: "submit", class: "primary", "data-testid": "create-invite" }, "Create invite");
  const result = h("div", { class: "invite-result", "aria-live": "polite" });
  const earlier = [];

  const earlierList = () => earlier.length === 0 ? null : h("details", { class: "earlier" },
    h("summary", {}, `Earlier invites of this visit (${earlier.length})`),
    h("ul", {}, earlier.map((i) => h("li", {}, h("span", { class: "strong" }, candidateName(i.candidate)), " ",
      h("code", { class: "link" }, i.link), " ", copyButton(i.link)))));

  const submit = async (ev) => {
    ev.preventDefault();
    const address = email.value.trim();
    const problem = address ? emailProblem(address) : null;
    if (problem) {
      fill(result, errorBox(`The invite was not created. email ${problem}.`), earlierList());
      email.focus();
      return;
    }
    button.disabled = true;
    button.textContent = "Creating…";
    try {
      const invite = await adminApi(`/api/admin/assessments/${a.id}/invites`, {
        method: "POST",
        json: { candidate: candidate.value.trim() || null, email: address || null, ...terms() },
      });
      const link = location.origin + invite.page_url;
      fill(result,
        h("div", { class: "invite-created", "data-testid": "invite-result" },
          h("div", { class: "small" },
            h("span", { class: "strong" }, candidateName(invite.candidate)),
            invite.email ? ` <${invite.email}>` : "",
            ` · expires ${dateTime(invite.expires_at)}`,
            invite.extra_minutes ? ` · +${invite.extra_minutes} min extra time` : ""),
          h("div", { class: "link-row" },
            h("code", { class: "link", "data-testid": "invite-link" }, link), copyButton(link, { "data-testid": "copy-invite" })),
          h("p", { class: "muted small" }, "Send it to the candidate; do not open it yourself.")),
        earlierList());
      earlier.unshift({ candidate: invite.candidate, link });
      candidate.value = "";
      email.value = "";
      toast("Invite created", "success");
    } catch (e) {
      if (!isAbort(e)) fill(result, errorBox(`The invite was not created. ${describe(e)}`), earlierList());
    } finally {
      button.disabled = false;
      button.textContent = "Create invite";
    }
  };

  return h("form", { class: "invite-form", onsubmit: submit, role: "tabpanel", "aria-labelledby": "tab-one" },
    h("div", { class: "invite-fields" },
      h("label", { class: "field" }, h("span", {}, "Candidate name"), candidate),
      h("label", { class: "field" }, h("span", {}, "E-mail (optional)"), email),
      h("div", { class: "field end" }, button)),
    result);
}

function bulkInvites(s, a, terms) {
  const text = h("textarea", {
    id: "bulk-csv", name: "bulk-csv", rows: 6, spellcheck: "false", "data-testid": "bulk-csv",
    placeholder: "name,email\nAda Lovelace,ada@example.com\n\"Hopper, Grace\",grace@example.com",
    oninput: () => check(),
  });
  const file = h("input", {
    id: "bulk-file", type: "file", accept: ".csv,text/csv", "data-testid": "bulk-file", class: "offscreen",
    onchange: async () => {
      const chosen = file.files?.[0];
      if (!chosen) return;
      text.value = await chosen.text();
      fileName.textContent = chosen.name;
      file.value = "";
      check();
    },
  });
  const fileName = h("span", { class: "muted small" });
  const preview = h("div", { class: "bulk-preview", "aria-live": "polite" });
  const send = h("button", { type: "submit", class: "primary", "data-testid": "send-invites", disabled: true }, "Send invites");
  const result = h("div", { class: "bulk-result" });
  let rows = [];

  const check = (serverError) => {
    const read = readCandidates(text.value);
    rows = read.rows;
    const named = serverError?.row ? rows[serverError.row - 1] : null;
    if (named) named.errors.push({ field: serverError.field, message: serverError.message });
    const bad = rows.filter((r) => r.errors.length > 0);
    const ready = !read.problem && rows.length > 0 && bad.length === 0 && !serverError;
    send.disabled = !ready;
    send.textContent = ready ? `Send ${rows.length} invite${rows.length === 1 ? "" : "s"}` : "Send invites";
    if (!text.value.trim()) return fill(preview);
    fill(preview,
      read.problem ? errorBox(read.problem) : null,
      serverError && !serverError.row ? errorBox(serverError.message) : null,
      rows.length ? h("div", { class: `small ${bad.length ? "bad" : "ok"}`, "data-testid": "bulk-summary" },
        bad.length
          ? `${bad.length} of ${rows.length} row${rows.length === 1 ? " has" : "s have"} problems: fix ${bad.length === 1 ? "it" : "them"} before sending.`
          : `${rows.length} candidate${rows.length === 1 ? "" : "s"} ready.`) : null,
      rows.length ? h("div", { class: "table-wrap bulk-rows" }, h("table", { class: "grid compact", "data-testid": "bulk-rows" },
        h("thead", {}, h("tr", {}, h("th", { class: "num" }, "Line"), h("th", {}, "Name"), h("th", {}, "E-mail"), h("th", {}, "Check"))),
        h("tbody", {}, rows.map((r) => h("tr", {
          "data-testid": "bulk-row", "data-line": r.line, "data-ok": String(r.errors.length === 0), class: r.errors.length ? "bad-row" : null,
        },
          h("td", { class: "num muted" }, r.line),
          h("td", {}, r.name || h("span", { class: "muted" }, "—")),
          h("td", { class: "mono small" }, r.email || h("span", { class: "muted" }, "—")),
          h("td", { "data-testid": "bulk-check" }, r.errors.length
            ? h("ul", { class: "row-errors" }, r.errors.map((e) => h("li", { class: "bad small" }, `Line ${r.line}: ${e.message}`)))
            : h("span", { class: "ok small" }, "ok"))))))) : null);
  };

  const submit = async (ev) => {
    ev.preventDefault();
    check();
    if (send.disabled) return;
    send.disabled = true;
    send.textContent = "Sending…";
    try {
      const created = await adminApi(`/api/admin/assessments/${a.id}/invites/bulk`, {
        method: "POST",
        json: { candidates: rows.map((r) => ({ name: r.name, email: r.email })), ...terms() },
      });
      if (!s.alive) return;
      fill(result, linksTable(a, created.invites));
      text.value = "";
      fileName.textContent = "";
      check();
      toast(`${created.count} invite${created.count === 1 ? "" : "s"} created`, "success");
    } catch (e) {
      if (isAbort(e)) return;
      const problem = e.status === 400 ? e.problem : null;
      const message = problem?.row ? e.message.replace(/^Row \d+: /, "") : `No invite was created. ${describe(e)}`;
      check({ row: problem?.row, field: problem?.field, message });
    }
  };

  return h("form", { class: "bulk-form", onsubmit: submit, role: "tabpanel", "aria-labelledby": "tab-many" },
    h("label", { class: "field" }, h("span", {}, "Paste a CSV with the header name,email (fields with commas in quotes)"), text),
    h("div", { class: "bulk-actions" },
      h("label", {
        for: "bulk-file", class: "button-like secondary small", tabindex: 0,
        onkeydown: (ev) => { if (ev.key === "Enter" || ev.key === " ") file.click(); },
      }, "Upload a .csv"),
      file, fileName, h("div", { class: "spacer" }),
      h("span", { class: "muted small" }, `at most ${MAX_CANDIDATES} at a time, all created or none`), send),
    preview, result);
}

/** The links of a batch of invites: copy one, copy all, or download them as CSV. */
function linksTable(a, invites) {
  const rows = invites.map((i) => ({ ...i, link: location.origin + i.page_url }));
  const all = rows.map((r) => `${r.candidate} <${r.email}>: ${r.link}`).join("\n");
  const downloadCsv = () => {
    const csv = toCsv(["name", "email", "link", "expires_at"], rows.map((r) => [r.candidate, r.email, r.link, r.expires_at]));
    const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
    const link = h("a", { href: url, download: `bughunt-${slug(a.name)}-invites.csv`, class: "offscreen" });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };
  return h("div", { class: "invite-created", "data-testid": "bulk-links" },
    h("div", { class: "panel-head" },
      h("span", { class: "strong" }, `${rows.length} invite${rows.length === 1 ? "" : "s"} created`),
      h("span", { class: "muted small" }, `expire ${dateTime(rows[0]?.expires_at)}`),
      h("div", { class: "spacer" }),
      copyButton(all, { "data-testid": "copy-all-links" }, "Copy all"),
      h("button", { type: "button", class: "secondary small", "data-testid": "download-links", onclick: downloadCsv },
        "Download CSV of links")),
    h("div", { class: "table-wrap" }, h("table", { class: "grid compact links" },
      h("thead", {}, h("tr", {}, h("th", {}, "Candidate"), h("th", {}, "E-mail"), h("th", {}, "Link"), h("th", {}, h("span", { class: "offscreen" }, "Copy")))),
      h("tbody", {}, rows.map((r) => h("tr", { "data-testid": "bulk-link", "data-email": r.email },
        h("td", { class: "strong" }, r.candidate),
        h("td", { class: "mono small" }, r.email),
        h("td", {}, h("code", { class: "link", "data-testid": "invite-link" }, r.link)),
        h("td", {}, copyButton(r.link, { "data-testid": "copy-link" }))))))),
    h("p", { class: "muted small" }, "Send each candidate their own link. The sessions list shows a candidate once they open it."));
}
