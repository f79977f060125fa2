// A validation's report, per challenge: the reference (determinism, timings against the limit), the
// starter, each planted bug and wrong fix with the tests that catch it, and the machine mutants.
import { h, num } from "../common.js";
import { percent } from "../proctor/format.js";
import { verdictLabel, isAccepted, seconds, testNames, withCode } from "./format.js";

export function reportView(report, validation) {
  const failing = report.challenges.filter((c) => !c.passed).length;
  return h("section", { class: "report", "data-testid": "report", "data-passed": String(report.passed) },
    h("div", { class: "panel-head" },
      h("h2", {}, "Report"),
      h("span", { class: `badge filled ${report.passed ? "ok" : "bad"}`, "data-testid": "report-verdict" }, report.passed ? "passed" : "failed"),
      h("span", { class: "muted" }, `${report.challenges.length} challenge${report.challenges.length === 1 ? "" : "s"}`,
        failing ? `, ${failing} with problems` : "")),
    report.challenges.map((c) => challengeReport(c, validation)));
}

function challengeReport(c, validation) {
  return h("article", { class: "panel challenge-report", "data-testid": "challenge-report", "data-challenge": c.challenge, "data-passed": String(c.passed) },
    h("div", { class: "panel-head" },
      h("h3", {}, `Level ${c.level} · `, h("span", { class: "mono" }, c.challenge)),
      h("span", { class: `badge filled ${c.passed ? "ok" : "bad"}` }, c.passed ? "sound" : `${c.problems.length} problem${c.problems.length === 1 ? "" : "s"}`),
      c.from_cache ? h("span", { class: "badge muted", title: "The challenge is unchanged since it last passed; its report is the cached one." }, "unchanged: from the cache") : null),
    c.problems.length
      ? h("ul", { class: "problems", "data-testid": "problems" }, c.problems.map((p) => h("li", { "data-testid": "problem" }, p)))
      : null,
    h("div", { class: "facts" }, referenceFacts(c), starterFacts(c.starter)),
    variantsTable("Planted bugs", "bugs", c.bugs, "No planted bugs.", ["caught", "not caught"]),
    c.wrong_fixes.length ? variantsTable("Wrong fixes", "wrong-fixes", c.wrong_fixes, "", ["rejected", "accepted"]) : h("p", { class: "muted small" }, "No wrong fixes listed."),
    mutationSection(c, validation));
}

function referenceFacts(c) {
  const slowest = c.reference_max_seconds;
  const limit = c.time_limit_seconds;
  const share = limit > 0 ? Math.min(1, slowest / limit) : 1;
  const headroom = slowest > 0 ? limit / slowest : null;
  return h("div", { class: "fact", "data-testid": "reference" },
    h("h4", {}, "Reference"),
    h("p", {},
      c.reference_deterministic
        ? h("span", { class: "badge ok", "data-testid": "reference-deterministic", "data-deterministic": "true" }, "deterministic")
        : h("span", { class: "badge bad filled", "data-testid": "reference-deterministic", "data-deterministic": "false" }, "not deterministic"),
      h("span", { class: "muted" }, c.reference_deterministic ? " identical observations on every run" : " its observations differ between runs")),
    c.reference_failed_tests.length
      ? h("p", { class: "bad" }, "Fails its own tests: ", testNames(c.reference_failed_tests, "bad"))
      : h("p", { class: "muted small" }, "Passes every test, for every hidden seed."),
    h("p", { "data-testid": "reference-timing" },
      `Slowest run ${seconds(slowest)} of the ${seconds(limit)} time limit`,
      headroom ? h("span", { class: "muted" }, ` (${num(headroom, 1)}× headroom)`) : null),
    h("div", { class: "meter wide", role: "img", "aria-label": `${percent(share, 0)} of the time limit` },
      h("span", { class: "meter-bar", style: `width:${Math.round(share * 100)}%` })),
    h("p", { class: "muted small" }, `Runs: ${c.reference_seconds.map((x) => seconds(x)).join(", ") || "—"}`));
}

function starterFacts(starter) {
  if (!starter) return h("div", { class: "fact", "data-testid": "starter" }, h("h4", {}, "Starter"), h("p", { class: "muted" }, "Not run."));
  return h("div", { class: "fact", "data-testid": "starter", "data-caught": String(starter.caught) },
    h("h4", {}, "Starter"),
    h("p", {}, h("span", { class: isAccepted(starter.verdict) ? "bad strong" : "strong" }, verdictLabel(starter.verdict)), " ",
      starter.caught ? h("span", { class: "badge ok" }, "fails hidden tests") : h("span", { class: "badge bad filled" }, "no hidden test fails it")),
    h("p", {}, h("span", { class: "muted" }, "Caught by hidden tests: "), testNames(starter.failed_hidden_tests)),
    h("p", {}, h("span", { class: "muted" }, "Fails public tests: "), testNames(starter.failed_public_tests)));
}

/** Planted bugs or wrong fixes: each must fail a hidden test; [caught, missed] name the two outcomes. */
function variantsTable(title, testid, variants, none, [caught, missed]) {
  return h("section", { class: "variants", "data-testid": testid },
    h("h4", {}, title, " ", h("span", { class: "badge muted" }, variants.length)),
    variants.length === 0 ? h("p", { class: "muted small" }, none)
      : h("div", { class: "table-wrap" }, h("table", { class: "grid compact" },
        h("thead", {}, h("tr", {}, h("th", {}, "Id"), h("th", {}, "Summary"), h("th", {}, "Verdict"), h("th", {}, caught[0].toUpperCase() + caught.slice(1)),
          h("th", {}, "Hidden tests that catch it"), h("th", {}, "Public tests failed"), h("th", {}, "Targeted by"))),
        h("tbody", {}, variants.map((v) => h("tr", { "data-testid": "variant", "data-variant-id": v.id, "data-caught": String(v.caught), class: v.caught ? null : "missed" },
          h("td", { class: "mono" }, v.id),
          h("td", {}, v.summary),
          h("td", {}, verdictLabel(v.verdict)),
          h("td", {}, v.caught ? h("span", { class: "ok strong" }, `✓ ${caught}`) : h("span", { class: "bad strong" }, `✗ ${missed}`)),
          h("td", {}, testNames(v.failed_hidden_tests)),
          h("td", {}, testNames(v.failed_public_tests)),
          h("td", {}, testNames(v.targeted_by))))))));
}

function mutationSection(c, validation) {
  const m = c.mutation;
  if (!m) {
    return h("section", { class: "mutation", "data-testid": "mutation" },
      h("h4", {}, "Machine mutants"),
      h("p", { class: "warn" }, validation.mutants
        ? "Not run for this challenge."
        : "Skipped at upload: this validation proves the pack sound without them, but it cannot be published."));
  }
  const survivors = m.mutants.filter((x) => x.survived);
  const killed = m.mutants.filter((x) => x.killed);
  const equivalent = m.mutants.filter((x) => !x.killed && x.equivalent);
  const stillborn = killed.filter((x) => x.stillborn).length;
  return h("section", { class: "mutation", "data-testid": "mutation" },
    h("h4", {}, "Machine mutants ",
      h("span", { class: `badge filled ${m.score >= 1 ? "ok" : "bad"}`, "data-testid": "mutation-score" }, `score ${percent(m.score, 0)}`)),
    h("p", { class: "muted" },
      `${m.mutants.length} mutants of the reference: ${killed.length} killed by hidden tests`,
      stillborn ? ` (${stillborn} of them do not compile)` : "",
      `, ${equivalent.length} declared equivalent, ${survivors.length} survived · ${seconds(m.seconds)}`,
      m.dropped ? ` · ${m.dropped} more over the cap were not run` : ""),
    survivors.length
      ? h("div", { class: "survivors", "data-testid": "survivors", role: "group", "aria-label": "Surviving mutants" },
        h("p", { class: "strong" }, `${survivors.length} survivor${survivors.length === 1 ? "" : "s"}: no hidden test fails ${survivors.length === 1 ? "it" : "them"}. Add a test that does, or declare it equivalent (equivalent_mutants: in challenge.yaml) with the reason.`),
        h("ul", {}, survivors.map((x) => h("li", { "data-testid": "survivor", "data-mutant-id": x.id },
          h("span", { class: "strong" }, withCode(x.description)),
          h("div", { class: "muted small" }, `${x.file}:${x.line} · ${x.operator} (${x.category}) · ${verdictLabel(x.verdict)} · `, h("code", {}, x.id))))))
      : h("p", { class: "ok small", "data-testid": "no-survivors" }, "No survivors: every mutant is killed by a hidden test or declared equivalent."),
    m.by_operator.length ? h("div", { class: "table-wrap" }, h("table", { class: "grid compact by-operator", "data-testid": "mutants-by-operator" },
      h("caption", {}, "Per operator"),
      h("thead", {}, h("tr", {}, h("th", {}, "Operator"), h("th", {}, "Category"), h("th", { class: "num" }, "Mutants"), h("th", { class: "num" }, "Killed"),
        h("th", { class: "num" }, "Equivalent"), h("th", { class: "num" }, "Survived"))),
      h("tbody", {}, m.by_operator.map((o) => h("tr", { "data-testid": "operator-row", "data-operator": o.operator, class: o.survived ? "missed" : null },
        h("td", { class: "mono" }, o.operator), h("td", {}, o.category), h("td", { class: "num" }, o.mutants), h("td", { class: "num" }, o.killed),
        h("td", { class: "num" }, o.equivalent), h("td", { class: `num${o.survived ? " bad strong" : ""}` }, o.survived)))))) : null,
    equivalent.length ? h("details", { class: "mutant-list", "data-testid": "equivalent-mutants" },
      h("summary", {}, `${equivalent.length} declared equivalent`),
      mutantsTable(equivalent, "Reason", (x) => x.equivalent)) : null,
    killed.length ? h("details", { class: "mutant-list", "data-testid": "killed-mutants" },
      h("summary", {}, `${killed.length} killed`),
      mutantsTable(killed, "Killed by", (x) => (x.stillborn ? h("span", { class: "muted" }, "does not compile") : testNames(x.killed_by)))) : null);
}

function mutantsTable(list, lastColumn, last) {
  return h("div", { class: "table-wrap" }, h("table", { class: "grid compact", "data-testid": "mutants" },
    h("thead", {}, h("tr", {}, h("th", {}, "Mutant"), h("th", {}, "Where"), h("th", {}, "Operator"), h("th", {}, "Verdict"), h("th", {}, lastColumn))),
    h("tbody", {}, list.map((x) => h("tr", { "data-testid": "mutant", "data-mutant-id": x.id },
      h("td", {}, withCode(x.description)),
      h("td", { class: "mono small" }, `${x.file}:${x.line}`),
      h("td", { class: "mono small" }, x.operator),
      h("td", {}, verdictLabel(x.verdict)),
      h("td", {}, last(x)))))));
}
