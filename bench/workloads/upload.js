// One multipart upload of a file from disk (in a fresh child, so RSS growth belongs to this peer).
import { stat } from 'node:fs/promises';
import { settle, watchRss } from '../lib/memory.js';

const MiB = 1024 * 1024;

export async function run({ peerModule, origin, file }) {
  const { default: peer } = await import(peerModule);
  const { size } = await stat(file);
  const client = peer.create({ origin, connections: 1 });
  try {
    await client.get('/json');
    await settle();
    const watch = watchRss();
    const cpu = process.cpuUsage();
    const started = performance.now();
    const counted = await client.upload('/sink', file);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const memory = watch.stop();
    // The server counts the whole multipart body: the file plus a few hundred bytes of framing.
    if (!(counted >= size && counted < size + 4096))
      throw new Error(`${peer.name}: the server counted ${counted} bytes for a ${size}-byte file`);
    return {
      mbps: size / MiB / seconds,
      seconds,
      cpuSeconds: (used.user + used.system) / 1e6,
      bytes: size,
      ...memory,
    };
  } finally {
    await client.close();
  }
}
