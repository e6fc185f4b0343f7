// The Apify client workloads against the emulator in its own process.
import { fileURLToPath } from 'node:url';
import { runInChild, startCommand } from '../lib/processes.js';
import { interleave, summarise } from '../lib/rounds.js';
import { OFFICIAL, OURS_DEFAULT, VARIANTS } from './clients.js';

const EMULATOR_CLI = fileURLToPath(new URL('../../packages/apify-emulator/dist/cli.js', import.meta.url));
const OPERATIONS = new URL('./operations.js', import.meta.url);
const PREPARE = new URL('./prepare.js', import.meta.url);
const OVERHEAD = new URL('./overhead.js', import.meta.url);
const CANNED_SERVER = fileURLToPath(new URL('./canned-server.js', import.meta.url));

function workloads(quick) {
  const n = (full, small) => (quick ? small : full);
  const list = [
    {
      id: 'apify-push',
      title: `push ${n('100k', '5k')} items`,
      op: 'push',
      size: n(100_000, 5000),
      unit: 'items/s',
    },
    {
      id: 'apify-iterate',
      title: `iterate ${n('100k', '5k')} items`,
      op: 'iterate',
      size: n(100_000, 5000),
      unit: 'items/s',
    },
    { id: 'apify-kvs', title: `${n(1000, 50)} KVS set+get`, op: 'kvs', size: n(1000, 50), unit: 'pairs/s' },
    {
      id: 'apify-queue',
      title: `${n('10k', '500')} request-queue adds + lock + handle`,
      op: 'queue',
      size: n(10_000, 500),
      unit: 'requests/s',
    },
  ];
  // The memory target needs a dataset far larger than one page: full runs only.
  if (!quick)
    list.push({
      id: 'apify-iterate-1m',
      title: 'iterate 1M items',
      op: 'iterate',
      size: 1_000_000,
      unit: 'items/s',
      variants: [OFFICIAL, OURS_DEFAULT],
    });
  // The same operations against recorded answers: the emulator is no longer the bottleneck.
  const canned = [OFFICIAL, OURS_DEFAULT, 'ApifyClient + @pluggable/http'];
  list.push(
    {
      id: 'apify-canned-push',
      title: `push ${n('100k', '5k')} items (canned answers)`,
      op: 'push',
      size: n(100_000, 5000),
      unit: 'items/s',
      canned: true,
      variants: canned,
    },
    {
      id: 'apify-canned-iterate-1m',
      title: `iterate ${n('1M', '5k')} items (canned answers)`,
      op: 'iterate',
      size: n(1_000_000, 5000),
      unit: 'items/s',
      canned: true,
      variants: canned,
    },
  );
  return list;
}

/**
 * Runs the workloads whose id starts with `only` (all by default); the overhead measure runs
 * with the full suite only.
 */
export async function runApifySuite({ quick, rounds, log, only }) {
  const emulator = await startCommand(process.execPath, [EMULATOR_CLI, '--port', '0']);
  const baseUrl = emulator.line;
  const results = [];
  let canned;
  try {
    const datasets = new Map();
    const selected = workloads(quick).filter((w) => only === undefined || w.id.startsWith(only));
    for (const workload of selected) {
      canned ??= workload.canned ? await startCommand(process.execPath, [CANNED_SERVER, baseUrl]) : undefined;
      const url = workload.canned ? canned.line : baseUrl;
      log(`\nApify: ${workload.title}`);
      if (workload.op === 'iterate' && !datasets.has(workload.size)) {
        const { datasetId } = await runInChild(PREPARE, { baseUrl, size: workload.size });
        datasets.set(workload.size, datasetId);
      }
      const peers = (workload.variants ?? VARIANTS).map((name) => ({ name }));
      const args = (peer) => ({
        variant: peer.name,
        baseUrl: url,
        op: workload.op,
        size: workload.size,
        datasetId: datasets.get(workload.size),
      });
      // An unmeasured pass per client records the answers it asks for; the measured rounds replay.
      if (workload.canned) for (const peer of peers) await runInChild(OPERATIONS, args(peer));
      const rows = await interleave({
        peers,
        rounds,
        baseline: OFFICIAL,
        ratios: { ratio: 'opsPerSecond', cpuRatio: 'cpuSeconds' },
        log,
        measure: (peer) => runInChild(OPERATIONS, args(peer)),
      });
      if (workload.canned) {
        // Each variant's first round records what it asks; the rest are replays (see canned-server.js).
        const answered = await (await fetch(`${url}/__canned/stats`)).json();
        log(`  canned answers: ${answered.replayed} replayed, ${answered.recorded} recorded`);
      }
      results.push({ id: workload.id, title: workload.title, kind: 'apify', unit: workload.unit, rows });
    }
    if (only !== undefined) return { workloads: results, overhead: [] };
    log('\nApify: ApifyClient overhead over its own HttpClient');
    const overhead = [];
    for (const httpClient of ['ImpitHttpClient', '@pluggable/http']) {
      const calls = quick ? 100 : 1000;
      const perRound = await runInChild(OVERHEAD, {
        baseUrl,
        httpClient,
        calls,
        rounds: Math.max(rounds, 2),
      });
      overhead.push({ httpClient, calls, rounds: perRound, summary: summarise(perRound) });
    }
    return { workloads: results, overhead };
  } finally {
    await canned?.stop();
    await emulator.stop();
  }
}
