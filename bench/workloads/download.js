// One streamed download (in a fresh child, so RSS growth belongs to this peer alone).
import { settle, watchRss } from '../lib/memory.js';

const MiB = 1024 * 1024;

export async function run({ peerModule, origin, bytes }) {
  const { default: peer } = await import(peerModule);
  const client = peer.create({ origin, connections: 1 });
  try {
    // Warm-up: connection, JIT and the peer's lazy modules are not part of the measurement.
    await client.download(`/stream/${MiB}`);
    await settle();
    const watch = watchRss();
    const cpu = process.cpuUsage();
    const started = performance.now();
    const received = await client.download(`/stream/${bytes}`);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const memory = watch.stop();
    if (received !== bytes) throw new Error(`${peer.name}: downloaded ${received} bytes, expected ${bytes}`);
    return {
      mbps: bytes / MiB / seconds,
      seconds,
      cpuSeconds: (used.user + used.system) / 1e6,
      bytes,
      ...memory,
    };
  } finally {
    await client.close();
  }
}
