// The targets table of design/benchmarks.md, each line judged from this run's figures.
import { spread } from '../lib/stats.js';

const fmt = (x, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
const range = (s, digits = 2) =>
  s ? `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})` : 'n/a';

function row(workloads, id, peer) {
  return workloads.find((w) => w.id === id)?.rows.find((r) => r.peer === peer);
}

/** Per-round quotient of one figure of peer `a` over peer `b` (rounds matched by number). */
function pairwise(workloads, id, a, b, figure) {
  const ra = row(workloads, id, a);
  const rb = row(workloads, id, b);
  if (!ra || !rb) return null;
  const byRound = new Map(rb.rounds.map((r) => [r.round, r[figure]]));
  return spread(ra.rounds.filter((r) => byRound.has(r.round)).map((r) => r[figure] / byRound.get(r.round)));
}

function figure(workloads, id, peer, key) {
  return row(workloads, id, peer)?.summary[key] ?? null;
}

function line(workload, target, measured, met, unit = '×') {
  return {
    workload,
    target,
    measured: measured === null ? 'not measured' : `${range(measured)}${unit === '×' ? ' ×' : ` ${unit}`}`,
    met: measured === null ? null : met(measured),
  };
}

export function judgeTargets({
  http,
  apify,
  coldStart,
  h2 = [],
  ours,
  instrumented,
  baseline,
  fastest,
  h2Baseline,
  httpxName,
}) {
  const w = http.workloads;
  const a = apify?.workloads ?? [];
  const lines = [
    line(
      'GET 1 KiB, 32 in flight',
      `${ours} ≥ 1.25 × ${baseline} (below 1.0 × is a bug)`,
      pairwise(w, 'get-1k-32', ours, baseline, 'rps'),
      (s) => s.median >= 1.25,
    ),
    line(
      'GET 1 KiB, 32 in flight',
      `${ours} ≥ 3 × axios`,
      pairwise(w, 'get-1k-32', ours, 'axios', 'rps'),
      (s) => s.median >= 3,
    ),
    line(
      'GET 1 KiB, 32 in flight',
      `${ours} ≥ 3 × got`,
      pairwise(w, 'get-1k-32', ours, 'got', 'rps'),
      (s) => s.median >= 3,
    ),
    line(
      'GET 1 KiB, 32 in flight',
      `${ours} ≥ 2.5 × HTTPX`,
      pairwise(w, 'get-1k-32', ours, httpxName, 'rps'),
      (s) => s.median >= 2.5,
    ),
    ...[
      ['get-1k-1', 'GET 1 KiB, 1 in flight'],
      ['get-64k-32', 'GET 64 KiB, 32 in flight'],
      ['post-1k-32', 'POST 1 KiB, 32 in flight'],
    ].map(([id, title]) =>
      line(
        title,
        `${ours} ≥ 1.0 × ${baseline}`,
        pairwise(w, id, ours, baseline, 'rps'),
        (s) => s.median >= 1,
      ),
    ),
    line(
      'p99 latency, same run',
      `${ours} p99 ≤ 1.25 × ${baseline}`,
      pairwise(w, 'get-1k-32', ours, baseline, 'p99'),
      (s) => s.median <= 1.25,
    ),
    // OpenTelemetry on costs at most 5 %: the instrumented client against the same client without it.
    ...['get-1k-1', 'get-1k-32'].flatMap((id) => [
      line(
        `GET 1 KiB, ${id === 'get-1k-1' ? 1 : 32} in flight`,
        `${instrumented} ≥ 0.95 × ${ours} req/s`,
        pairwise(w, id, instrumented, ours, 'rps'),
        (s) => s.median >= 0.95,
      ),
      line(
        `GET 1 KiB, ${id === 'get-1k-1' ? 1 : 32} in flight`,
        `${instrumented} CPU per request ≤ 1.05 × ${ours}`,
        pairwise(w, id, instrumented, ours, 'cpuUsPerRequest'),
        (s) => s.median <= 1.05,
      ),
    ]),
    ...[
      ['streamed download', 'download'],
      ['multipart upload from a file', 'upload'],
    ].flatMap(([title, id]) => [
      line(
        title,
        `${ours} ≥ 1.0 × ${fastest} MB/s`,
        pairwise(w, id, ours, fastest, 'mbps'),
        (s) => s.median >= 1,
      ),
      line(
        title,
        `${ours} RSS growth < 64 MiB`,
        figure(w, id, ours, 'rssGrowthMiB'),
        (s) => s.max < 64,
        'MiB',
      ),
    ]),
    line(
      'HTTP/2: GET 1 KiB, 100 in flight',
      `${ours} ≥ 1.0 × ${h2Baseline} req/s`,
      pairwise(h2, 'h2-get-1k-c100', ours, h2Baseline, 'rps'),
      (s) => s.median >= 1,
    ),
    line(
      'HTTP/2: GET 1 KiB, 100 in flight',
      `${ours} uses one connection`,
      figure(h2, 'h2-get-1k-c100', ours, 'connections'),
      (s) => s.max === 1,
      'connections',
    ),
    line(
      'HTTP/2: download',
      `${ours} ≥ 1.0 × ${h2Baseline} MB/s`,
      pairwise(h2, 'h2-download-1g', ours, h2Baseline, 'mbps'),
      (s) => s.median >= 1,
    ),
  ];
  for (const entry of apify?.overhead ?? []) {
    const pct = entry.summary.overhead ? { ...entry.summary.overhead } : null;
    if (pct) for (const k of ['median', 'min', 'max']) pct[k] *= 100;
    lines.push(
      line(
        'Apify client overhead',
        `ApifyClient adds ≤ 10 % over ${entry.httpClient} called directly`,
        pct,
        (s) => s.median <= 10,
        '%',
      ),
    );
  }
  const OFFICIAL = 'apify-client (official)';
  const OURS = 'ApifyClient + ImpitHttpClient';
  if (a.some((x) => x.id === 'apify-iterate-1m')) {
    lines.push(
      line(
        'iterate 1M dataset items',
        `${OURS} RSS growth < 200 MiB`,
        figure(a, 'apify-iterate-1m', OURS, 'rssGrowthMiB'),
        (s) => s.max < 200,
        'MiB',
      ),
    );
    lines.push(
      line(
        'iterate 1M dataset items',
        `${OURS} ≥ 1.5 × official items/s`,
        pairwise(a, 'apify-iterate-1m', OURS, OFFICIAL, 'opsPerSecond'),
        (s) => s.median >= 1.5,
      ),
    );
  } else {
    lines.push({
      workload: 'iterate 1M dataset items',
      target: 'RSS growth < 200 MiB, ≥ 1.5 × official items/s',
      measured: 'full run only',
      met: null,
    });
  }
  for (const variant of [OURS, 'ApifyClient + @pluggable/http']) {
    lines.push(
      line(
        'push 100k items',
        `${variant} ≥ 1.5 × official items/s`,
        pairwise(a, 'apify-push', variant, OFFICIAL, 'opsPerSecond'),
        (s) => s.median >= 1.5,
      ),
    );
  }
  // Against canned answers the emulator is out of the way: the figures are the clients' own.
  for (const [id, title] of [
    ['apify-canned-push', 'push 100k items, canned answers'],
    ['apify-canned-iterate-1m', 'iterate 1M items, canned answers'],
  ]) {
    for (const variant of [OURS, 'ApifyClient + @pluggable/http']) {
      lines.push(
        line(
          title,
          `${variant} ≥ 1.5 × official items/s`,
          pairwise(a, id, variant, OFFICIAL, 'opsPerSecond'),
          (s) => s.median >= 1.5,
        ),
        // The same items in every round, so CPU seconds compare as CPU per item.
        line(
          title,
          `${variant} CPU per item ≤ 0.5 × official`,
          pairwise(a, id, variant, OFFICIAL, 'cpuSeconds'),
          (s) => s.median <= 0.5,
        ),
      );
    }
  }
  if (coldStart) {
    lines.push(
      line(
        'cold start: import, then one GET',
        `${ours} wall time ≤ 1.1 × ${baseline}'s`,
        coldStart.rows.find((r) => r.peer === ours)?.summary.ratio ?? null,
        (s) => s.median <= 1.1,
      ),
    );
  }
  return lines;
}
