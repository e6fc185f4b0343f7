// Request/response workloads (in a measurement child): `concurrency` loops share a request budget.
import { peakRssMiB } from '../lib/memory.js';
import { percentile } from '../lib/stats.js';

async function drive(call, concurrency, count, latencies) {
  let left = count;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left-- > 0) {
        const started = performance.now();
        await call();
        latencies?.push(performance.now() - started);
      }
    }),
  );
}

/** Builds the peer's client and warms it up; each `measure()` is then one round's figures. */
export async function setup({
  peerModule,
  origin,
  path,
  method,
  concurrency,
  requests,
  warmup,
  bodyBytes,
  expectBytes,
}) {
  const { default: peer } = await import(peerModule);
  const client = peer.create({ origin, connections: concurrency });
  const body = Buffer.alloc(bodyBytes, 0x78);
  const call = async () => {
    const size = method === 'POST' ? await client.post(path, body) : await client.get(path);
    if (size !== expectBytes)
      throw new Error(`${peer.name}: ${method} ${path} gave ${size} bytes, expected ${expectBytes}`);
  };
  await drive(call, concurrency, warmup, null);
  return {
    async measure() {
      const latencies = [];
      const cpu = process.cpuUsage();
      const started = performance.now();
      await drive(call, concurrency, requests, latencies);
      const seconds = (performance.now() - started) / 1000;
      const used = process.cpuUsage(cpu);
      latencies.sort((a, b) => a - b);
      return {
        rps: requests / seconds,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        cpuUsPerRequest: (used.user + used.system) / requests,
        peakRssMiB: peakRssMiB(),
      };
    },
    close: () => client.close(),
  };
}

/** One warmed-up measurement in this process (used by profiling runs). */
export async function run(args) {
  const session = await setup(args);
  try {
    return await session.measure();
  } finally {
    await session.close();
  }
}
