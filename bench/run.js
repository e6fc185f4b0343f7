// `npm run bench [-- --quick]`: clients side by side against bench/server.js, interleaved rounds,
// medians and ratios to undici.request from the same round. Results go to bench/results/.
import { fork } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { Client, Limits } from '@pluggable/http';
import { Agent, request as undiciRequest } from 'undici';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 2 : 5;
const REQUESTS = quick ? 2000 : 20_000;

const server = fork(new URL('./server.js', import.meta.url), { stdio: 'inherit' });
const { port } = await new Promise((resolve) => server.once('message', resolve));
const url = `http://127.0.0.1:${port}/json`;

function makeClients(concurrency) {
  const agent = new Agent({ connections: concurrency, keepAliveTimeout: 60_000 });
  const client = new Client({
    limits: new Limits({ maxConnections: concurrency, maxKeepaliveConnections: concurrency }),
  });
  return {
    'undici.request': {
      async get() {
        const { body } = await undiciRequest(url, { dispatcher: agent });
        return (await body.arrayBuffer()).byteLength;
      },
      close: () => agent.close(),
    },
    '@pluggable/http': {
      async get() {
        return (await client.get(url)).content.byteLength;
      },
      close: () => client.close(),
    },
    fetch: {
      async get() {
        return (await (await fetch(url)).arrayBuffer()).byteLength;
      },
      close: async () => {},
    },
  };
}

async function measure(get, concurrency) {
  let remaining = REQUESTS;
  const latencies = [];
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (remaining-- > 0) {
        const t = performance.now();
        const size = await get();
        if (size !== 1024) throw new Error(`unexpected body size ${size}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  latencies.sort((a, b) => a - b);
  return {
    rps: REQUESTS / seconds,
    p50: latencies[Math.floor(latencies.length * 0.5)],
    p99: latencies[Math.floor(latencies.length * 0.99)],
    cpuUsPerRequest: (used.user + used.system) / REQUESTS,
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = [];
try {
  for (const concurrency of [1, 32]) {
    const clients = makeClients(concurrency);
    const names = Object.keys(clients);
    for (const name of names) await measure(clients[name].get, concurrency); // warm-up
    const rounds = Object.fromEntries(names.map((n) => [n, []]));
    for (let round = 0; round < ROUNDS; round++) {
      const baseline = await measure(clients['undici.request'].get, concurrency);
      rounds['undici.request'].push({ ...baseline, ratio: 1 });
      for (const name of names.filter((n) => n !== 'undici.request')) {
        const figures = await measure(clients[name].get, concurrency);
        rounds[name].push({ ...figures, ratio: figures.rps / baseline.rps });
      }
    }
    for (const name of names) {
      const r = rounds[name];
      results.push({
        workload: `GET 1 KiB, ${concurrency} in flight`,
        client: name,
        rps: median(r.map((x) => x.rps)),
        ratio: median(r.map((x) => x.ratio)),
        ratioMin: Math.min(...r.map((x) => x.ratio)),
        ratioMax: Math.max(...r.map((x) => x.ratio)),
        p50: median(r.map((x) => x.p50)),
        p99: median(r.map((x) => x.p99)),
        cpuUsPerRequest: median(r.map((x) => x.cpuUsPerRequest)),
      });
      await clients[name].close();
    }
  }
} finally {
  server.disconnect();
}

const rows = results.map(
  (r) =>
    `| ${r.workload} | ${r.client} | ${Math.round(r.rps)} | ${r.ratio.toFixed(2)} (${r.ratioMin.toFixed(2)}–${r.ratioMax.toFixed(2)}) | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${Math.round(r.cpuUsPerRequest)} |`,
);
const table = [
  `Node ${process.version}, ${ROUNDS} interleaved rounds of ${REQUESTS} requests, medians.`,
  '',
  '| workload | client | req/s | × undici.request (min–max) | p50 ms | p99 ms | CPU µs/req |',
  '|---|---|---|---|---|---|---|',
  ...rows,
].join('\n');
console.log(table);
const dir = new URL('./results/', import.meta.url);
await mkdir(dir, { recursive: true });
await writeFile(
  new URL(quick ? 'quick.json' : 'latest.json', dir),
  JSON.stringify({ node: process.version, results }, null, 2),
);
await writeFile(new URL(quick ? 'quick.md' : 'latest.md', dir), `${table}\n`);
