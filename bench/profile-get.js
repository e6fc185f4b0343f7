// A quick before/after check of the client's CPU cost per request on the hot path (GET 1 KiB).
//
//   npx tsc --build && node bench/profile-get.js [--rounds 5] [--requests 20000] [--concurrency 32]
//     [--path /json | /bytes/65536] [--otel]
//   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/profile-get.js --cpu-prof [--requests 60000]
//
// Starts bench/server.js as a child process (so the server never shares this event loop), then in
// this process alternates rounds of @pluggable/http and undici.request (the bench peers, each with
// an Agent of `concurrency` connections), and prints the median req/s and CPU µs per request
// (process.cpuUsage, user + system) of each. Alternating rounds spread a slow moment over both.
// With --cpu-prof only @pluggable/http runs (one warm-up round, then one measured round), so the
// profile written by `node --cpu-prof` shows our code alone. With --otel the OpenTelemetry-instrumented
// client (peers/pluggable-http-otel.js) joins the rotation, and each round's CPU ratio to the plain
// client is printed too: the instrumentation's cost, measured in one process under one load.
import { parseArgs } from 'node:util';
import { startNodeServer } from './lib/processes.js';
import { alternate } from './lib/rounds.js';
import { median } from './lib/stats.js';
import pluggable from './peers/pluggable-http.js';
import pluggableOtel from './peers/pluggable-http-otel.js';
import undiciRequest from './peers/undici-request.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    requests: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '32' },
    path: { type: 'string', default: '/json' },
    'cpu-prof': { type: 'boolean', default: false },
    otel: { type: 'boolean', default: false },
  },
});
const rounds = Number(values.rounds);
const requests = Number(values.requests);
const concurrency = Number(values.concurrency);
const PATH = values.path;

/** Runs `requests` GETs with `concurrency` in flight; returns req/s and CPU µs per request. */
async function round(client) {
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      next++;
      await client.get(PATH);
    }
  };
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  return { rps: requests / seconds, cpuUs: (used.user + used.system) / requests };
}

const server = await startNodeServer(new URL('./server.js', import.meta.url));
const origin = `http://127.0.0.1:${server.port}`;
const peers = values['cpu-prof']
  ? [values.otel ? pluggableOtel : pluggable]
  : [pluggable, ...(values.otel ? [pluggableOtel] : []), undiciRequest];
const clients = peers.map((peer) => ({
  name: peer.name,
  client: peer.create({ origin, connections: concurrency }),
}));
// The warm-up round covers the JIT and the connections.
const results = await alternate({
  clients,
  rounds: values['cpu-prof'] ? 1 : rounds,
  round,
  stop: () => server.stop(),
});
for (const [name, list] of results) {
  const rps = median(list.map((r) => r.rps));
  const cpuUs = median(list.map((r) => r.cpuUs));
  console.log(
    `${name.padEnd(16)} ${rps.toFixed(0).padStart(7)} req/s  ${cpuUs.toFixed(1).padStart(6)} µs CPU/req`,
  );
}
if (values.otel && !values['cpu-prof']) {
  const plain = results.get(pluggable.name);
  const ratios = results.get(pluggableOtel.name).map((r, i) => r.cpuUs / plain[i].cpuUs);
  const spread = `${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)}`;
  console.log(
    `${pluggableOtel.name} / ${pluggable.name} CPU per request: median ${median(ratios).toFixed(3)} (${spread})`,
  );
}
