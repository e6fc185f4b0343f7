// Runs every HTTP workload over every peer, each peer in its own child process.

import { runInChild, startSession } from '../lib/processes.js';
import { interleave } from '../lib/rounds.js';
import { httpxPeer } from '../peers/httpx.js';
import { BASELINE, NODE_PEERS } from '../peers/index.js';
import { httpWorkloads } from './definitions.js';
import { createUploadFile } from './upload-file.js';
import { wrkRow } from './wrk.js';

const TASKS = {
  requests: new URL('./requests.js', import.meta.url),
  download: new URL('./download.js', import.meta.url),
  upload: new URL('./upload.js', import.meta.url),
};
const RATIOS = {
  requests: { ratio: 'rps', p99Ratio: 'p99', cpuRatio: 'cpuUsPerRequest' },
  download: { ratio: 'mbps', cpuRatio: 'cpuSeconds' },
  upload: { ratio: 'mbps', cpuRatio: 'cpuSeconds' },
};

// `only`: an id prefix selecting workloads; `peerNames`: the peers to run (the baseline always runs,
// since every ratio is to it).
export async function runHttpSuite({ quick, rounds, origin, withHttpx, withWrk, only, peerNames, log }) {
  const peers = [...NODE_PEERS, ...(withHttpx ? [httpxPeer] : [])].filter(
    (p) => peerNames === undefined || p.name === BASELINE || peerNames.includes(p.name),
  );
  const workloads = httpWorkloads(quick).filter((w) => only === undefined || w.id.startsWith(only));
  const results = [];
  const references = [];
  const uploadSize = workloads.find((w) => w.kind === 'upload')?.args.size;
  const file =
    uploadSize === undefined
      ? { path: undefined, remove: async () => {} }
      : await createUploadFile(uploadSize);
  try {
    for (const workload of workloads) {
      log(`\n${workload.title}`);
      const args = { origin, ...workload.args, ...(workload.kind === 'upload' ? { file: file.path } : {}) };
      const peersHere = peers.filter(
        (p) =>
          (workload.kind === 'requests' || !p.requestsOnly) &&
          (workload.kind !== 'upload' || !p.buffersMultipart),
      );
      // Request workloads: one warmed-up child per peer for all rounds. Streams: a fresh child per
      // measurement, so its RSS growth is the peer's alone.
      const sessions = new Map();
      if (workload.kind === 'requests') {
        for (const peer of peersHere.filter((p) => !p.python)) {
          const session = startSession(TASKS.requests, { peerModule: peer.module, ...args });
          sessions.set(peer.name, session);
          // A failed setup surfaces in the round that uses it.
          await session.catch(() => {});
        }
      }
      let rows;
      try {
        rows = await interleave({
          peers: peersHere,
          rounds,
          baseline: BASELINE,
          ratios: RATIOS[workload.kind],
          log,
          measure: async (peer) => {
            if (peer.python) return peer[workload.kind](args);
            if (sessions.has(peer.name)) return (await sessions.get(peer.name)).measure();
            return runInChild(TASKS[workload.kind], { peerModule: peer.module, ...args });
          },
        });
      } finally {
        await Promise.all(
          [...sessions.values()].map((s) => s.then((session) => session.close()).catch(() => {})),
        );
      }
      results.push({
        id: workload.id,
        title: workload.title,
        kind: workload.kind,
        args: workload.args,
        rows,
      });
      if (withWrk && workload.kind === 'requests' && workload.args.path === '/json') {
        const { concurrency } = workload.args;
        const row = await wrkRow({ url: `${origin}/json`, connections: concurrency, seconds: quick ? 1 : 3 });
        references.push({ workload: workload.id, peer: 'wrk (ceiling)', ...row });
        log(`  wrk: ${Math.round(row.rps)} req/s`);
      }
    }
  } finally {
    await file.remove();
  }
  const skipped = peers.filter((p) => p.buffersMultipart).map((p) => p.name);
  const notes = skipped.length
    ? [
        `Multipart upload: ${skipped.join(', ')} read a FormData file (fs.openAsBlob) whole into memory before sending, so they are left out of that workload.`,
      ]
    : [];
  return { workloads: results, references, notes };
}
