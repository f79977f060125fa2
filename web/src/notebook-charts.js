// The notebook's charts, as small SVGs: a series against its x values (with a hover readout), a
// histogram's bars, and a heat map of a small matrix with its colour legend. Values may be NaN
// or infinite; they are marked, never drawn as if they were numbers.
import { h } from "./common.js";

/** A display's number: NaN and the infinities arrive as the strings "NaN", "Infinity" and "-Infinity". */
export function value(v) {
  return typeof v === "number" ? v : Number(v);
}

/** A value as a person compares it: six significant digits, the non-finite ones by name. */
export function fmt(v) {
  const x = value(v);
  if (!Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e7)) return x.toExponential(3);
  return String(Number(x.toPrecision(6)));
}

/** Low and high of the finite values, widened when they are equal. */
function range(values) {
  const finite = values.filter(Number.isFinite);
  if (!finite.length) return [0, 1];
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) {
    lo -= 0.5;
    hi += 0.5;
  }
  return [lo, hi];
}

/**
 * One series: the points of the cells before (grey) and this cell's (accent), x against y, with
 * ticks on both axes. Moving the pointer over it reads out the nearest point.
 */
export function lineChart(label, before, mine, { width = 440, height = 180 } = {}) {
  const pad = { l: 56, r: 12, t: 18, b: 32 };
  const points = [
    ...before.x.map((x, i) => ({ x, y: before.values[i], earlier: true })),
    ...mine.x.map((x, i) => ({ x, y: mine.values[i], earlier: false })),
  ].filter((p) => Number.isFinite(p.x));
  if (!points.length) return null;
  const [x0, x1] = range(points.map((p) => p.x));
  const [y0, y1] = range(points.map((p) => p.y));
  const sx = (x) => pad.l + ((x - x0) / (x1 - x0)) * (width - pad.l - pad.r);
  const sy = (y) => pad.t + (1 - (y - y0) / (y1 - y0)) * (height - pad.t - pad.b);
  const bottom = height - pad.b;
  const svg = h("svg", { class: "chart nb-chart", viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": `${label}: ${points.length} points` });
  const yTicks = [y0, (y0 + y1) / 2, y1];
  const xTicks = [x0, (x0 + x1) / 2, x1];
  svg.append(
    ...yTicks.map((y) => h("line", { class: "grid-line", x1: pad.l, x2: width - pad.r, y1: sy(y), y2: sy(y) })),
    h("line", { class: "axis", x1: pad.l, y1: bottom, x2: width - pad.r, y2: bottom }),
    h("line", { class: "axis", x1: pad.l, y1: pad.t, x2: pad.l, y2: bottom }),
    ...yTicks.map((y) => h("text", { class: "tick", x: pad.l - 4, y: sy(y) + 3, "text-anchor": "end" }, fmt(y))),
    ...xTicks.map((x, i) => h("text", { class: "tick", x: sx(x), y: bottom + 12, "text-anchor": ["start", "middle", "end"][i] }, fmt(x))),
    h("text", { class: "axis-title", x: (pad.l + width - pad.r) / 2, y: height - 3, "text-anchor": "middle" }, "x"),
    h("text", { class: "axis-title", x: 2, y: 9, "text-anchor": "start" }, `y: ${shorten(label, 40)}`));
  const finite = points.filter((p) => Number.isFinite(p.y));
  const path = (list) => list.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(" ");
  const earlier = finite.filter((p) => p.earlier);
  const own = finite.filter((p) => !p.earlier);
  if (earlier.length) svg.append(h("polyline", { class: "series earlier", points: path(earlier) }));
  // This cell's line starts where the earlier cells' ended, so a continued series has no gap.
  if (own.length) svg.append(h("polyline", { class: "series", points: path(earlier.length ? [earlier[earlier.length - 1], ...own] : own) }));
  for (const p of finite.length <= 2 ? finite : []) svg.append(h("circle", { class: `dot${p.earlier ? " earlier" : ""}`, cx: sx(p.x), cy: sy(p.y), r: 2.5 }));
  for (const p of points.filter((q) => !Number.isFinite(q.y))) {
    svg.append(h("text", { class: "nonfinite-mark", x: sx(p.x), y: pad.t + 4, "text-anchor": "middle" }, "×", h("title", {}, `x ${fmt(p.x)}: ${fmt(p.y)}`)));
  }
  hoverReadout(svg, points, sx, sy, { width, height, pad });
  return svg;
}

/** A guide, a dot and a label at the point nearest the pointer (by x). */
function hoverReadout(svg, points, sx, sy, { width, height, pad }) {
  const guide = h("line", { class: "hover-guide", y1: pad.t, y2: height - pad.b, visibility: "hidden" });
  const dot = h("circle", { class: "hover-dot", r: 3.5, visibility: "hidden" });
  const text = h("text", { class: "hover-text", y: pad.t + 8, visibility: "hidden" });
  const area = h("rect", { class: "hover-area", x: pad.l, y: pad.t, width: width - pad.l - pad.r, height: height - pad.t - pad.b });
  svg.append(guide, dot, text, area);
  const hide = () => {
    for (const el of [guide, dot, text]) el.setAttribute("visibility", "hidden");
  };
  area.addEventListener("pointerleave", hide);
  area.addEventListener("pointermove", (ev) => {
    const box = svg.getBoundingClientRect();
    const at = ((ev.clientX - box.left) / box.width) * width;
    let best = points[0];
    for (const p of points) if (Math.abs(sx(p.x) - at) < Math.abs(sx(best.x) - at)) best = p;
    const x = sx(best.x);
    const y = Number.isFinite(best.y) ? sy(best.y) : pad.t + 4;
    guide.setAttribute("x1", x);
    guide.setAttribute("x2", x);
    dot.setAttribute("cx", x);
    dot.setAttribute("cy", y);
    text.textContent = `x ${fmt(best.x)}: ${fmt(best.y)}`;
    const right = x > width / 2;
    text.setAttribute("x", right ? x - 6 : x + 6);
    text.setAttribute("text-anchor", right ? "end" : "start");
    for (const el of [guide, dot, text]) el.setAttribute("visibility", "visible");
  });
}

function shorten(text, length) {
  const s = String(text ?? "");
  return s.length > length ? s.slice(0, length - 1) + "…" : s;
}

/** Hist(tensor): a bar per bin, the bins' edges on the x axis and the counts on the y axis. */
export function histogramChart(label, counts, edges, { width = 380, height = 150 } = {}) {
  const pad = { l: 44, r: 12, t: 16, b: 30 };
  if (!counts.length || edges.length !== counts.length + 1) return null;
  const most = Math.max(1, ...counts.filter(Number.isFinite));
  const inner = width - pad.l - pad.r;
  const bottom = height - pad.b;
  const barWidth = inner / counts.length;
  const svg = h("svg", { class: "chart nb-chart", viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": `${label}: histogram of ${counts.length} bins` });
  svg.append(
    h("line", { class: "axis", x1: pad.l, y1: bottom, x2: width - pad.r, y2: bottom }),
    h("line", { class: "axis", x1: pad.l, y1: pad.t, x2: pad.l, y2: bottom }),
    h("text", { class: "tick", x: pad.l - 4, y: pad.t + 3, "text-anchor": "end" }, String(most)),
    h("text", { class: "tick", x: pad.l - 4, y: bottom, "text-anchor": "end" }, "0"),
    h("text", { class: "tick", x: pad.l, y: bottom + 12, "text-anchor": "start" }, fmt(edges[0])),
    h("text", { class: "tick", x: pad.l + inner / 2, y: bottom + 12, "text-anchor": "middle" }, fmt((edges[0] + edges[edges.length - 1]) / 2)),
    h("text", { class: "tick", x: width - pad.r, y: bottom + 12, "text-anchor": "end" }, fmt(edges[edges.length - 1])),
    h("text", { class: "axis-title", x: pad.l + inner / 2, y: height - 3, "text-anchor": "middle" }, "value"),
    h("text", { class: "axis-title", x: 2, y: 9, "text-anchor": "start" }, "count"));
  counts.forEach((c, i) => {
    const barHeight = (Math.max(0, c) / most) * (bottom - pad.t);
    svg.append(h("rect", { class: "bar", x: (pad.l + i * barWidth + 0.5).toFixed(1), y: (bottom - barHeight).toFixed(1), width: Math.max(0.5, barWidth - 1).toFixed(1), height: barHeight.toFixed(1) },
      h("title", {}, `[${fmt(edges[i])}, ${fmt(edges[i + 1])}): ${c}`)));
  });
  return svg;
}

const SEQUENTIAL = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
const DIVERGING = [[33, 102, 172], [247, 247, 247], [178, 24, 43]];

function colour(stops, t) {
  const at = Math.min(Math.max(t, 0), 1) * (stops.length - 1);
  const i = Math.min(Math.floor(at), stops.length - 2);
  const f = at - i;
  const [r, g, b] = stops[i].map((c, k) => Math.round(c + (stops[i + 1][k] - c) * f));
  return `rgb(${r},${g},${b})`;
}

/**
 * Heatmap(matrix): a coloured grid (rows down, columns across) with a legend from the lowest to
 * the highest finite value; a scale that crosses zero is centred on it. NaN and infinite cells
 * are grey and counted under the legend.
 */
export function heatmapChart(label, values, rows, cols) {
  const size = Math.max(4, Math.min(26, Math.floor(320 / Math.max(rows, cols, 1))));
  const pad = { l: 26, t: 16 };
  const width = pad.l + cols * size + 4;
  const height = pad.t + rows * size + 4;
  let [lo, hi] = range(values);
  const diverging = lo < 0 && hi > 0;
  if (diverging) [lo, hi] = [-Math.max(-lo, hi), Math.max(-lo, hi)];
  const stops = diverging ? DIVERGING : SEQUENTIAL;
  const fillOf = (v) => (Number.isFinite(v) ? colour(stops, (v - lo) / (hi - lo)) : null);
  const svg = h("svg", { class: "nb-heat", viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": `${label}: ${rows} × ${cols} heat map` });
  const labelled = (n) => n <= 16 || n % 8 === 0;
  for (let j = 0; j < cols; j++) if (labelled(cols) || j % 8 === 0) svg.append(h("text", { class: "tick", x: pad.l + j * size + size / 2, y: pad.t - 4, "text-anchor": "middle" }, String(j)));
  for (let i = 0; i < rows; i++) if (labelled(rows) || i % 8 === 0) svg.append(h("text", { class: "tick", x: pad.l - 4, y: pad.t + i * size + size / 2 + 3, "text-anchor": "end" }, String(i)));
  let nonFinite = 0;
  values.forEach((v, k) => {
    const i = Math.floor(k / cols);
    const j = k % cols;
    const fill = fillOf(v);
    if (!fill) nonFinite++;
    svg.append(h("rect", { class: fill ? "heat-cell" : "heat-cell nonfinite", x: pad.l + j * size, y: pad.t + i * size, width: size, height: size, fill: fill ?? undefined },
      h("title", {}, `[${i}, ${j}] ${fmt(v)}`)));
  });
  const swatches = Array.from({ length: 11 }, (_, k) => h("span", { class: "swatch", style: `background:${colour(stops, k / 10)}` }));
  return h("div", { class: "nb-heatmap-body" }, svg,
    h("div", { class: "heat-legend small", "data-testid": "heatmap-legend" },
      h("span", { class: "mono" }, fmt(lo)), h("span", { class: "swatches", "aria-hidden": "true" }, swatches), h("span", { class: "mono" }, fmt(hi)),
      nonFinite ? h("span", { class: "nonfinite-legend" }, h("span", { class: "swatch nonfinite", "aria-hidden": "true" }), ` NaN or infinite: ${nonFinite}`) : null));
}
