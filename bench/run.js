// `npm run bench [-- --quick]`: every peer side by side on every workload (design/benchmarks.md).
// Results: bench/results/latest.{json,md,svg}, or quick.* for the smoke run. Exits non-zero when
// any client failed (never because of speed).
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { runApifySuite } from './apify/suite.js';
import { runColdStart } from './cold-start/suite.js';
import { H2_BASELINE } from './h2/peers.js';
import { runH2Suite } from './h2/suite.js';
import { parseFlags } from './lib/flags.js';
import { startNodeServer } from './lib/processes.js';
import { ensureHttpx, ensureWrk } from './lib/system-tools.js';
import { httpxPeer } from './peers/httpx.js';
import { BASELINE, NODE_HTTP, NODE_PEERS, OURS, OURS_INSTRUMENTED } from './peers/index.js';
import { allErrors, renderMarkdown } from './report/markdown.js';
import { renderSvg } from './report/svg.js';
import { judgeTargets } from './report/targets.js';
import { httpWorkloads } from './workloads/definitions.js';
import { runHttpSuite } from './workloads/suite.js';

const quick = process.argv.includes('--quick');
const { only, rounds: roundsFlag, peers: peerNames } = parseFlags(process.argv.slice(2));
const HTTP_IDS = httpWorkloads(quick).map((w) => w.id);
const httpSelected = only === undefined || HTTP_IDS.some((id) => id.startsWith(only));
const apifySelected = only === undefined || only.startsWith('apify');
const h2Selected = only === undefined || only.startsWith('h2');
if (!httpSelected && !apifySelected && !h2Selected) {
  console.error(
    `--only ${only} matches no workload; id prefixes: ${HTTP_IDS.join(', ')}, apify… (e.g. --only apify-canned), h2`,
  );
  process.exit(2);
}
const unknownPeers = (peerNames ?? []).filter(
  (name) => ![...NODE_PEERS, httpxPeer].some((p) => p.name === name),
);
if (unknownPeers.length > 0) {
  console.error(
    `--peers: unknown ${unknownPeers.join(', ')}; known: ${[...NODE_PEERS, httpxPeer].map((p) => p.name).join(', ')}`,
  );
  process.exit(2);
}
const rounds = roundsFlag ?? (quick ? 1 : 5);
const started = performance.now();
const log = (line) => console.log(line);

const notes = [];
const skipped = { available: false, note: 'not run with --only / --peers' };
const wantsHttpx = httpSelected && (peerNames === undefined || peerNames.includes(httpxPeer.name));
const httpx = wantsHttpx ? ensureHttpx() : skipped;
if (!httpx.available) notes.push(`HTTPX row skipped: ${httpx.note}.`);
const wrk = only === undefined && peerNames === undefined ? ensureWrk() : skipped;
if (!wrk.available) notes.push(`wrk ceiling row skipped: ${wrk.note}.`);
notes.push(
  'impit keeps its own connection pool (its size is not configurable); global fetch and ky use Node’s default global Agent, which opens one connection per request in flight.',
);
for (const note of notes) log(`note: ${note}`);

const meta = {
  quick,
  rounds,
  node: process.version,
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? 'unknown CPU',
  loadavg: os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' '),
  date: new Date().toISOString(),
};

let http = { workloads: [], notes: [] };
let coldStart;
if (httpSelected) {
  const server = await startNodeServer(new URL('./server.js', import.meta.url));
  try {
    http = await runHttpSuite({
      quick,
      rounds,
      origin: `http://127.0.0.1:${server.port}`,
      withHttpx: httpx.available,
      withWrk: wrk.available,
      only,
      peerNames,
      log,
    });
    // Quick: one round of one run per peer, enough to prove every client script works.
    if (only === undefined && peerNames === undefined)
      coldStart = await runColdStart({
        origin: `http://127.0.0.1:${server.port}`,
        rounds,
        runs: quick ? 1 : 5,
        log,
      });
  } finally {
    await server.stop();
  }
}
notes.push(...http.notes);
const h2 = h2Selected ? await runH2Suite({ quick, rounds, log, only }) : null;
const apify = apifySelected ? await runApifySuite({ quick, rounds, log, only }) : undefined;

meta.seconds = (performance.now() - started) / 1000;
const results = {
  meta,
  baseline: BASELINE,
  ours: OURS,
  notes,
  http,
  coldStart,
  apify,
  h2: h2?.workloads ?? [],
};
results.targets = judgeTargets({
  http,
  apify,
  coldStart,
  h2: results.h2,
  ours: OURS,
  instrumented: OURS_INSTRUMENTED,
  baseline: BASELINE,
  fastest: NODE_HTTP,
  h2Baseline: H2_BASELINE,
  httpxName: httpxPeer.name,
});

const dir = new URL('./results/', import.meta.url);
await mkdir(dir, { recursive: true });
const stem = `${only === undefined ? '' : `only-${only}-`}${peerNames === undefined ? '' : 'peers-'}${quick ? 'quick' : 'latest'}`;
const markdown = `${renderMarkdown(results)}${h2?.markdown ? `\n${h2.markdown}` : ''}`;
await writeFile(new URL(`${stem}.json`, dir), `${JSON.stringify(results, null, 2)}\n`);
await writeFile(new URL(`${stem}.md`, dir), markdown);
await writeFile(new URL(`${stem}.svg`, dir), renderSvg(results, { ours: OURS }));
log(`\n${markdown}`);
log(`wrote bench/results/${stem}.{json,md,svg} in ${meta.seconds.toFixed(0)} s`);

const errors = allErrors(results);
if (errors.length > 0) {
  console.error(`${errors.length} client/workload pair(s) failed`);
  process.exitCode = 1;
}
