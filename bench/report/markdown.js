// bench/results/*.md: a table per workload, then the targets table.
import { renderColdStart } from './cold-start.js';

const f = (x, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
const med = (s, digits = 0) => (s ? f(s.median, digits) : 'n/a');
const ratio = (s) => (s ? `${f(s.median, 2)} (${f(s.min, 2)}–${f(s.max, 2)})` : 'n/a');

function failed(row) {
  return row.errors.length > 0 ? ` ⚠ ${row.errors.length} failed round(s)` : '';
}

function requestsTable(workload, references, baseline) {
  const lines = [
    `| client | req/s | × ${baseline} (min–max) | p50 ms | p99 ms | p99 × ${baseline} | CPU µs/req | peak RSS MiB |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of workload.rows) {
    const s = row.summary;
    lines.push(
      `| ${row.peer}${failed(row)} | ${med(s.rps)} | ${ratio(s.ratio)} | ${med(s.p50, 2)} | ${med(s.p99, 2)} | ${med(s.p99Ratio, 2)} | ${med(s.cpuUsPerRequest)} | ${med(s.peakRssMiB)} |`,
    );
  }
  for (const ref of references.filter((r) => r.workload === workload.id)) {
    lines.push(`| *${ref.peer}* | *${f(ref.rps)}* | | *${f(ref.p50, 2)}* | *${f(ref.p99, 2)}* | | | |`);
  }
  return lines;
}

function streamTable(workload, baseline) {
  const lines = [
    `| client | MB/s | × ${baseline} (min–max) | RSS growth MiB, median (max) | CPU s | × ${baseline} CPU |`,
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const row of workload.rows) {
    const s = row.summary;
    const rss = s.rssGrowthMiB ? `${f(s.rssGrowthMiB.median)} (${f(s.rssGrowthMiB.max)})` : 'n/a';
    lines.push(
      `| ${row.peer}${failed(row)} | ${med(s.mbps)} | ${ratio(s.ratio)} | ${rss} | ${med(s.cpuSeconds, 2)} | ${med(s.cpuRatio, 2)} |`,
    );
  }
  return lines;
}

function apifyTable(workload) {
  const lines = [
    `| client | ${workload.unit} | × official (min–max) | seconds | CPU s | RSS growth MiB, median (max) |`,
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const row of workload.rows) {
    const s = row.summary;
    const rss = s.rssGrowthMiB ? `${f(s.rssGrowthMiB.median)} (${f(s.rssGrowthMiB.max)})` : 'n/a';
    lines.push(
      `| ${row.peer}${failed(row)} | ${med(s.opsPerSecond)} | ${ratio(s.ratio)} | ${med(s.seconds, 2)} | ${med(s.cpuSeconds, 2)} | ${rss} |`,
    );
  }
  return lines;
}

export function renderMarkdown(results) {
  const { meta, http, apify, coldStart, targets, notes, baseline } = results;
  const out = [
    `# Benchmarks${meta.quick ? ' (quick smoke run: sizes too small for the figures to mean anything)' : ''}`,
    '',
    `Node ${meta.node} on ${meta.cpus}× ${meta.cpuModel}, load average ${meta.loadavg} at start, ${meta.date}.`,
    `${meta.rounds} interleaved rounds (A B C … A B C …) after a warm-up inside every measurement process;`,
    `each figure is the median of the rounds, ratios are taken within a round, then summarised as median (min–max).`,
    'Each measurement runs in its own process (CPU and RSS belong to one client); the server and the emulator are separate processes.',
    `Run time: ${f(meta.seconds)} s.`,
    '',
  ];
  for (const note of notes) out.push(`> ${note}`);
  if (notes.length > 0) out.push('');
  out.push('## Targets', '', '| workload | target | measured median (min–max) | met |', '|---|---|---|---|');
  for (const t of targets)
    out.push(
      `| ${t.workload} | ${t.target} | ${t.measured} | ${t.met === null ? '—' : t.met ? 'met' : '**not met**'} |`,
    );
  out.push('');
  for (const workload of http.workloads) {
    out.push(`## ${workload.title}`, '');
    if (workload.kind === 'requests') out.push(...requestsTable(workload, http.references, baseline));
    else out.push(...streamTable(workload, baseline));
    out.push('');
  }
  if (coldStart) {
    out.push(`## ${coldStart.title}`, '');
    out.push(
      `A fresh \`node\` process per run, timed from spawn to exit; ${coldStart.runs} runs per round, the round's figure is their median.`,
      '',
      ...renderColdStart(coldStart, baseline),
      '',
    );
  }
  if (apify) {
    for (const workload of apify.workloads) {
      out.push(`## Apify: ${workload.title}`, '', ...apifyTable(workload), '');
    }
    out.push('## Apify: ApifyClient overhead over its own HttpClient (GET a record)', '');
    out.push(
      '| HTTP client | calls per round | µs/call via ApifyClient | µs/call direct | overhead % median (min–max) |',
    );
    out.push('|---|---:|---:|---:|---:|');
    for (const entry of apify.overhead) {
      const o = entry.summary.overhead;
      out.push(
        `| ${entry.httpClient} | ${entry.calls} | ${med(entry.summary.clientUs)} | ${med(entry.summary.directUs)} | ${f(o.median * 100, 1)} (${f(o.min * 100, 1)}–${f(o.max * 100, 1)}) |`,
      );
    }
    out.push('');
  }
  for (const [name, row] of allErrors(results)) out.push(`- ✗ ${name}: ${row.join('; ')}`);
  return `${out.join('\n').trimEnd()}\n`;
}

export function allErrors(results) {
  const errors = [];
  const coldStart = results.coldStart ? [results.coldStart] : [];
  for (const workload of [...results.http.workloads, ...coldStart, ...(results.apify?.workloads ?? [])]) {
    for (const row of workload.rows) {
      if (row.errors.length > 0) errors.push([`${workload.title} / ${row.peer}`, row.errors]);
    }
  }
  return errors;
}
