// The bar chart of a run, as hand-written SVG (results/chart.svg, embedded in
// docs/performance.md): one group of horizontal bars per bench (tsio on each Node runtime, raw
// Node, asyncio, uvloop), each bar the implementation's ops/s divided by uvloop's on the same
// bench, on a log scale so that 0.5x and 2x sit equally far from uvloop's 1.0. Explicit colours
// and a white background keep it readable in GitHub's light and dark themes alike.

const WIDTH = 900;
const LABEL_WIDTH = 190; // bench names, right-aligned before the plot
const PLOT_LEFT = LABEL_WIDTH + 12;
const PLOT_RIGHT = WIDTH - 60; // room for the value after the longest bar
const BAR = 9;
const BAR_GAP = 2;
const GROUP_GAP = 12;
const FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Helvetica, Arial, sans-serif";
const TEXT = '#1f2328';
const MUTED = '#57606a';
const GRID = '#d0d7de';
const TSIO_COLOURS = ['#1f6feb', '#8250df', '#0a7ea4'];
const RAW_COLOUR = '#1a7f37';
const ASYNCIO_COLOUR = '#d4a72c';
const UVLOOP_COLOUR = '#cf222e';

const escape = (s) =>
  String(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

/** Rough width of a text in pixels, enough to lay out the legend. */
const textWidth = (s, size) => s.length * size * 0.56;

/** 0.0123 -> '0.012', 1.5 -> '1.5', 23.4 -> '23' */
function formatRatio(x) {
  if (x >= 10) return x.toFixed(0);
  if (x >= 1) return x.toFixed(1);
  return x.toPrecision(2);
}

/** The tick values of a log axis over [lo, hi]: 1-2-5 steps, or only powers of ten if too many. */
function logTicks(lo, hi) {
  const ticks = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const t = m * 10 ** e;
      if (t >= lo * 0.999 && t <= hi * 1.001) ticks.push(Number(t.toPrecision(1)));
    }
  }
  return ticks.length > 12 ? ticks.filter((t) => Number.isInteger(Math.log10(t))) : ticks;
}

/** The axis range: the 1-2-5 steps just outside the smallest and largest values (and 1). */
function axisRange(values) {
  const steps = (x, up) => {
    const e = Math.floor(Math.log10(x));
    const candidates = [1, 2, 5, 10].map((m) => m * 10 ** e);
    return up
      ? (candidates.find((c) => c >= x * 1.15) ?? 10 ** (e + 1) * 2)
      : ([...candidates].reverse().find((c) => c <= x / 1.15) ?? 10 ** e / 2);
  };
  return [steps(Math.min(1, ...values), false), steps(Math.max(1, ...values), true)];
}

/**
 * The SVG text. `rows`: summary.mjs rows (memory rows and rows without a uvloop figure are left
 * out); `ctx`: `{ runtimes, columns, title, facts }` (facts: the line under the title).
 */
export function renderChart(rows, ctx) {
  const { runtimes, columns } = ctx;
  const series = [
    ...runtimes.map((rt, i) => ({
      label: `tsio ${rt.label}`,
      colour: TSIO_COLOURS[i % TSIO_COLOURS.length],
      value: (row) => row.node[rt.label].tsio?.ops,
    })),
    ...(runtimes.length > 0
      ? [
          {
            label: `raw Node ${runtimes[0].version}`,
            colour: RAW_COLOUR,
            value: (row) => row.node[runtimes[0].label].raw?.ops,
          },
        ]
      : []),
    { label: columns.asyncio.header, colour: ASYNCIO_COLOUR, value: (row) => row.asyncio?.ops },
    { label: columns.uvloop.header, colour: UVLOOP_COLOUR, value: (row) => row.uvloop?.ops },
  ];
  const groups = rows
    .filter((row) => row.kind !== 'memory' && row.uvloop?.ops > 0)
    .map((row) => ({
      name: row.name,
      bars: series.map((s) => {
        const v = s.value(row);
        return v > 0 ? v / row.uvloop.ops : null;
      }),
    }));
  const values = groups.flatMap((g) => g.bars.filter((v) => v !== null));
  const [lo, hi] = values.length > 0 ? axisRange(values) : [0.1, 10];
  const x = (v) =>
    PLOT_LEFT +
    ((Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) *
      (PLOT_RIGHT - PLOT_LEFT);

  const out = [];
  let y = 30;
  out.push(
    `<text x="20" y="${y}" font-size="18" font-weight="600" fill="${TEXT}">${escape(ctx.title)}</text>`,
  );
  y += 22;
  out.push(
    `<text x="20" y="${y}" font-size="13" fill="${TEXT}">ops/s relative to ${escape(columns.uvloop.header)} (= 1), log scale; longer is faster</text>`,
  );
  y += 18;
  out.push(`<text x="20" y="${y}" font-size="12" fill="${MUTED}">${escape(ctx.facts)}</text>`);

  // The legend, wrapped onto as many lines as it needs.
  y += 24;
  let lx = 20;
  for (const s of series) {
    const w = 14 + 6 + textWidth(s.label, 12) + 18;
    if (lx + w > WIDTH - 20) {
      lx = 20;
      y += 20;
    }
    out.push(`<rect x="${lx}" y="${y - 10}" width="14" height="12" fill="${s.colour}"/>`);
    out.push(
      `<text x="${lx + 20}" y="${y}" font-size="12" fill="${TEXT}">${escape(s.label)}</text>`,
    );
    lx += w;
  }

  const ticks = logTicks(lo, hi);
  const tickLabel = (t) => `${t}×`;
  y += 28;
  const plotTop = y;
  const groupHeight = series.length * (BAR + BAR_GAP) - BAR_GAP + GROUP_GAP;
  const plotBottom = plotTop + groups.length * groupHeight;
  const axisLabels = (ty) =>
    ticks.map(
      (t) =>
        `<text x="${x(t).toFixed(1)}" y="${ty}" font-size="11" text-anchor="middle" fill="${MUTED}">${tickLabel(t)}</text>`,
    );

  out.push(...axisLabels(plotTop - 8));
  groups.forEach((g, i) => {
    const gy = plotTop + i * groupHeight;
    if (i % 2 === 0) {
      out.push(
        `<rect x="10" y="${gy}" width="${WIDTH - 20}" height="${groupHeight}" fill="#f6f8fa"/>`,
      );
    }
    const mid = gy + (groupHeight - GROUP_GAP / 2) / 2 + GROUP_GAP / 4;
    out.push(
      `<text x="${LABEL_WIDTH}" y="${(mid + 4).toFixed(1)}" font-size="12" text-anchor="end" fill="${TEXT}">${escape(g.name)}</text>`,
    );
  });
  for (const t of ticks) {
    const tx = x(t).toFixed(1);
    const one = t === 1;
    out.push(
      `<line x1="${tx}" y1="${plotTop}" x2="${tx}" y2="${plotBottom}" stroke="${one ? TEXT : GRID}" stroke-width="1"${one ? ' stroke-dasharray="4 3"' : ''}/>`,
    );
  }
  groups.forEach((g, i) => {
    let by = plotTop + i * groupHeight + GROUP_GAP / 2;
    g.bars.forEach((v, s) => {
      if (v !== null) {
        const end = x(v);
        out.push(
          `<rect x="${PLOT_LEFT}" y="${by}" width="${Math.max(1, end - PLOT_LEFT).toFixed(1)}" height="${BAR}" fill="${series[s].colour}"><title>${escape(`${g.name}, ${series[s].label}: ${formatRatio(v)}× uvloop`)}</title></rect>`,
        );
        out.push(
          `<text x="${(end + 3).toFixed(1)}" y="${by + BAR - 1}" font-size="9" fill="${MUTED}" stroke="#ffffff" stroke-width="3" paint-order="stroke">${formatRatio(v)}</text>`,
        );
      }
      by += BAR + BAR_GAP;
    });
  });
  out.push(...axisLabels(plotBottom + 16));
  let height = plotBottom + 30;
  const recorded = [columns.asyncio, columns.uvloop].filter((c) => !c.live && c.recordedLabel);
  if (recorded.length > 0) {
    out.push(
      `<text x="20" y="${height}" font-size="11" fill="${MUTED}">ʳ recorded medians of ../shared/bench-anchors, not measured in this run</text>`,
    );
    height += 14;
  }
  if (groups.length === 0) {
    out.push(
      `<text x="20" y="${plotTop + 20}" font-size="13" fill="${TEXT}">no bench has a uvloop figure to compare with</text>`,
    );
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="${FONT}">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    ...out,
    '</svg>',
    '',
  ].join('\n');
}
