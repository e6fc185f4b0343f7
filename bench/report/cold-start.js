// The cold-start table: wall time from spawn to exit, and the ratio to the baseline's in each round.
const f = (x, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

export function renderColdStart(workload, baseline = 'undici.request') {
  const lines = [`| client | wall ms, median (min–max) | × ${baseline} (min–max) |`, '|---|---:|---:|'];
  for (const row of workload.rows) {
    const s = row.summary;
    const failed = row.errors.length > 0 ? ` ⚠ ${row.errors.length} failed round(s)` : '';
    const wall = s.wallMs ? `${f(s.wallMs.median)} (${f(s.wallMs.min)}–${f(s.wallMs.max)})` : 'n/a';
    const ratio = s.ratio ? `${f(s.ratio.median, 2)} (${f(s.ratio.min, 2)}–${f(s.ratio.max, 2)})` : 'n/a';
    lines.push(`| ${row.peer}${failed} | ${wall} | ${ratio} |`);
  }
  return lines;
}
