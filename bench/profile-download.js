// A before/after check of the client's cost on the streamed-download path.
//
//   npx tsc --build && node --expose-gc bench/profile-download.js [--rounds 5] [--mib 512]
//   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/profile-download.js --cpu-prof [--mib 1024]
//
// Starts bench/server.js as a child process, then in this process alternates rounds of
// @pluggable/http, undici.request and node:http (the bench peers, one connection each), and prints
// the median MB/s and CPU ms per GiB (process.cpuUsage, user + system) of each. On a shared machine
// MB/s follows the scheduler; CPU per GiB is the figure that shows a client-side change.
// With --cpu-prof only @pluggable/http runs (one warm-up, one measured download).
import { parseArgs } from 'node:util';
import { settle, watchRss } from './lib/memory.js';
import { startNodeServer } from './lib/processes.js';
import { alternate } from './lib/rounds.js';
import { median } from './lib/stats.js';
import nodeHttp from './peers/node-http.js';
import pluggable from './peers/pluggable-http.js';
import undiciRequest from './peers/undici-request.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    mib: { type: 'string', default: '512' },
    'cpu-prof': { type: 'boolean', default: false },
  },
});
const MiB = 1024 * 1024;
const rounds = Number(values.rounds);
const bytes = Number(values.mib) * MiB;

async function round(client) {
  await settle();
  const watch = watchRss();
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const received = await client.download(`/stream/${bytes}`);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  const { rssGrowthMiB } = watch.stop();
  if (received !== bytes) throw new Error(`downloaded ${received} bytes, expected ${bytes}`);
  const cpuMsPerGiB = (used.user + used.system) / 1000 / (bytes / (1024 * MiB));
  return { mbps: bytes / MiB / seconds, cpuMsPerGiB, rssGrowthMiB };
}

const server = await startNodeServer(new URL('./server.js', import.meta.url));
const origin = `http://127.0.0.1:${server.port}`;
const peers = values['cpu-prof'] ? [pluggable] : [pluggable, undiciRequest, nodeHttp];
const clients = peers.map((peer) => ({ name: peer.name, client: peer.create({ origin, connections: 1 }) }));
const results = await alternate({
  clients,
  rounds: values['cpu-prof'] ? 1 : rounds,
  round,
  warmup: (client) => client.download(`/stream/${16 * MiB}`),
  stop: () => server.stop(),
});
for (const [name, list] of results) {
  const mbps = median(list.map((r) => r.mbps));
  const cpu = median(list.map((r) => r.cpuMsPerGiB));
  const rss = Math.max(...list.map((r) => r.rssGrowthMiB));
  console.log(
    `${name.padEnd(16)} ${mbps.toFixed(0).padStart(6)} MB/s  ${cpu.toFixed(0).padStart(6)} ms CPU/GiB  RSS growth max ${rss.toFixed(1)} MiB`,
  );
}
