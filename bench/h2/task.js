// One HTTP/2 measurement in a fresh child: the peer's client, a warm-up, then the workload.
import { settle, watchRss } from '../lib/memory.js';
import { H2_PEERS } from './peers.js';

const MiB = 1024 * 1024;

async function drive(call, concurrency, count) {
  let left = count;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left-- > 0) await call();
    }),
  );
}

export async function run({ peerName, origin, caPath, kind, concurrency, requests, bytes }) {
  const peer = H2_PEERS.find((p) => p.name === peerName);
  const client = peer.create({ origin, caPath });
  try {
    if (kind === 'requests') {
      const call = async () => {
        const size = await client.get('/json');
        if (size !== 1024) throw new Error(`${peer.name}: GET /json gave ${size} bytes, expected 1024`);
      };
      await drive(call, concurrency, Math.min(requests, 2000));
      const cpu = process.cpuUsage();
      const started = performance.now();
      await drive(call, concurrency, requests);
      const seconds = (performance.now() - started) / 1000;
      const used = process.cpuUsage(cpu);
      return { rps: requests / seconds, cpuUsPerRequest: (used.user + used.system) / requests };
    }
    await client.download(`/stream/${MiB}`);
    await settle();
    const watch = watchRss();
    const cpu = process.cpuUsage();
    const started = performance.now();
    const received = await client.download(`/stream/${bytes}`);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    if (received !== bytes) throw new Error(`${peer.name}: downloaded ${received} bytes, expected ${bytes}`);
    return { mbps: bytes / MiB / seconds, cpuSeconds: (used.user + used.system) / 1e6, ...watch.stop() };
  } finally {
    await client.close();
  }
}
