// Bundles the candidate IDE, the proctor console and the author console into src/BugHunt.Api/wwwroot:
// content-hashed scripts and styles, and the HTML pages pointing at them.
import * as esbuild from "esbuild";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "src", "BugHunt.Api", "wwwroot");
const pages = { candidate: "BugHunt assessment", proctor: "BugHunt proctor console", author: "BugHunt author console" };

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const result = await esbuild.build({
  entryPoints: Object.keys(pages).flatMap((p) => [join(here, "src", `${p}.js`), join(here, "src", `${p}.css`)]),
  bundle: true,
  minify: true,
  sourcemap: "linked",
  format: "esm",
  target: ["chrome110", "firefox115", "safari16"],
  entryNames: "[name]-[hash]",
  outdir: out,
  metafile: true,
  logLevel: "warning",
});

// Each page (one shared shell, web/page.html) names its bundles by their hashed file names (the API serves them from /assets).
const outputs = Object.entries(result.metafile.outputs).filter(([, o]) => o.entryPoint);
const template = readFileSync(join(here, "page.html"), "utf8");
for (const [page, title] of Object.entries(pages)) {
  const asset = (ext) => {
    const found = outputs.find(([, o]) => basename(o.entryPoint) === `${page}.${ext}`);
    if (!found) throw new Error(`no ${page}.${ext} bundle`);
    return `/assets/${basename(found[0])}`;
  };
  const html = template
    .replaceAll("{{title}}", title)
    .replaceAll("{{script}}", asset("js"))
    .replaceAll("{{style}}", asset("css"));
  writeFileSync(join(out, `${page}.html`), html);
}
const bytes = outputs.reduce((n, [, o]) => n + o.bytes, 0);
console.log(`web: ${outputs.length} bundles (${Math.round(bytes / 1024)} KiB) and ${Object.keys(pages).length} pages in ${out}`);
