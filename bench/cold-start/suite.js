// Cold start: a fresh Node process imports a client and makes one GET of 1 KiB, then exits. What
// a CLI or a serverless cold start pays on every run; the wall time is measured from spawn to exit.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { interleave } from '../lib/rounds.js';
import { BASELINE } from '../peers/index.js';

const run = promisify(execFile);
const script = (file) => new URL(`./clients/${file}`, import.meta.url);

// The baseline keeps the name it has in every other table, so ratios read the same way.
export const COLD_START_PEERS = [
  { name: BASELINE, script: script('undici.mjs') },
  { name: '@pluggable/http', script: script('pluggable-http.mjs') },
  { name: 'fetch', script: script('fetch.mjs') },
  { name: 'axios', script: script('axios.mjs') },
  { name: 'got', script: script('got.mjs') },
  { name: 'ky', script: script('ky.mjs') },
  { name: 'node:http', script: script('node-http.mjs') },
  { name: 'node (no HTTP)', script: script('bare-node.mjs'), floor: true },
];

const EXPECTED_BYTES = 1024;

async function coldRun(peer, url) {
  const started = performance.now();
  const { stdout } = await run(process.execPath, [peer.script.pathname, url], { timeout: 60_000 });
  const wallMs = performance.now() - started;
  if (!peer.floor && Number(stdout.trim()) !== EXPECTED_BYTES) {
    throw new Error(`${peer.name} read ${stdout.trim() || 'nothing'} bytes, expected ${EXPECTED_BYTES}`);
  }
  return { wallMs };
}

/**
 * `runs` fresh processes per peer and round, interleaved (A B C … A B C …); a round's figure is the
 * median of its runs, so one slow spawn on a loaded machine does not decide it.
 */
export async function runColdStart({ origin, rounds, runs, log }) {
  const url = `${origin}/json`;
  log(`\nCold start: a fresh process imports the client and GETs 1 KiB (${runs} runs per round)`);
  const rows = await interleave({
    peers: COLD_START_PEERS,
    rounds,
    baseline: BASELINE,
    ratios: { ratio: 'wallMs' },
    log,
    measure: async (peer) => {
      const times = [];
      for (let i = 0; i < runs; i++) times.push((await coldRun(peer, url)).wallMs);
      times.sort((a, b) => a - b);
      return { wallMs: times[Math.floor(times.length / 2)] };
    },
  });
  return {
    id: 'cold-start',
    title: 'Cold start: import, then one GET of 1 KiB',
    kind: 'cold-start',
    runs,
    rows,
  };
}
