// bench/results/*.svg: hand-written horizontal bar chart, one panel per workload, every peer's
// median ratio to the baseline (undici.request for HTTP, the official client for Apify).
const ROW = 16;
const LABEL = 230;
const PLOT = 520;
const WIDTH = LABEL + PLOT + 90;
const PALETTE = [
  '#4c78a8',
  '#e45756',
  '#72b7b2',
  '#54a24b',
  '#eeca3b',
  '#b279a2',
  '#ff9da6',
  '#9d755d',
  '#bab0ac',
  '#f58518',
];

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function renderSvg(results, { ours }) {
  const panels = [
    ...results.http.workloads.map((w) => ({ title: `${w.title} — × ${results.baseline}`, rows: w.rows })),
    ...(results.apify?.workloads ?? []).map((w) => ({
      title: `Apify: ${w.title} — × official client`,
      rows: w.rows,
    })),
  ];
  const ratios = panels.flatMap((p) => p.rows.map((r) => r.summary.ratio?.max ?? 0));
  const max = Math.max(2, Math.ceil(Math.max(...ratios.filter(Number.isFinite)) * 2) / 2);
  const x = (v) => LABEL + (Math.min(v, max) / max) * PLOT;
  const peers = [...new Set(panels.flatMap((p) => p.rows.map((r) => r.peer)))];
  const colour = (peer) => (peer === ours ? '#d62728' : PALETTE[peers.indexOf(peer) % PALETTE.length]);
  const parts = [];
  let y = 52;
  for (const panel of panels) {
    parts.push(`<text x="10" y="${y}" font-weight="bold">${esc(panel.title)}</text>`);
    y += 8;
    const top = y;
    for (const row of panel.rows) {
      const s = row.summary.ratio;
      const weight = row.peer === ours ? ' font-weight="bold"' : '';
      parts.push(`<text x="${LABEL - 6}" y="${y + 12}" text-anchor="end"${weight}>${esc(row.peer)}</text>`);
      if (s) {
        parts.push(
          `<rect x="${LABEL}" y="${y + 2}" width="${(x(s.median) - LABEL).toFixed(1)}" height="${ROW - 4}" fill="${colour(row.peer)}"/>`,
          // Whisker: the min–max of the ratio across rounds.
          `<line x1="${x(s.min).toFixed(1)}" x2="${x(s.max).toFixed(1)}" y1="${y + ROW / 2}" y2="${y + ROW / 2}" stroke="#333"/>`,
          `<text x="${(x(Math.max(s.median, s.max)) + 4).toFixed(1)}" y="${y + 12}">${s.median.toFixed(2)}×</text>`,
        );
      } else {
        parts.push(`<text x="${LABEL + 4}" y="${y + 12}" fill="#999">failed</text>`);
      }
      y += ROW;
    }
    parts.push(
      `<line x1="${x(1)}" x2="${x(1)}" y1="${top}" y2="${y}" stroke="#000" stroke-dasharray="3,2"/>`,
    );
    y += 26;
  }
  const ticks = [];
  for (let t = 0; t <= max; t += 0.5) {
    ticks.push(`<line x1="${x(t)}" x2="${x(t)}" y1="36" y2="${y - 20}" stroke="#eee"/>`);
    ticks.push(`<text x="${x(t)}" y="32" text-anchor="middle" fill="#666">${t}×</text>`);
  }
  const title = `Ratio to the baseline, median of ${results.meta.rounds} rounds (whiskers: min–max), Node ${results.meta.node}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${y}" viewBox="0 0 ${WIDTH} ${y}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="12" fill="#333">${esc(title)}</text>`,
    ...ticks,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
