// The HTTP/2 workloads (design/benchmarks.md, "HTTP/2" rows): GET 1 KiB at 100 in flight over TLS
// h2, and a streamed h2 download, for ours, undici with allowH2, got with http2 and a raw
// node:http2 session. Each measurement runs in a fresh child; the server counts the sessions it
// accepted meanwhile, which is the connections that client used.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { runInChild } from '../lib/processes.js';
import { interleave } from '../lib/rounds.js';
import { H2_BASELINE, H2_PEERS } from './peers.js';

const TASK = new URL('./task.js', import.meta.url);
const MiB = 1024 * 1024;

export function h2Workloads(quick) {
  return [
    {
      id: 'h2-get-1k-c100',
      title: 'HTTP/2: GET 1 KiB, 100 in flight, TLS',
      args: { kind: 'requests', concurrency: 100, requests: quick ? 2000 : 20_000 },
      ratios: { ratio: 'rps', cpuRatio: 'cpuUsPerRequest' },
    },
    {
      id: 'h2-download-1g',
      title: `HTTP/2: ${quick ? '64 MiB' : '1 GiB'} download`,
      args: { kind: 'download', bytes: (quick ? 64 : 1024) * MiB },
      ratios: { ratio: 'mbps', cpuRatio: 'cpuSeconds' },
    },
  ];
}

async function startH2Server() {
  const child = fork(new URL('./server.js', import.meta.url), {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [{ port, caPath }] = await once(child, 'message');
  return {
    origin: `https://127.0.0.1:${port}`,
    caPath,
    async sessions() {
      child.send('sessions');
      const [reply] = await once(child, 'message');
      return reply.sessions;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    },
  };
}

function cell(s, digits = 0) {
  if (s === undefined) return '—';
  const f = (v) => v.toFixed(digits);
  return `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
}

function renderH2(workloads) {
  const lines = ['## HTTP/2 (TLS, h2)', ''];
  for (const workload of workloads) {
    const requests = workload.args.kind === 'requests';
    lines.push(`### ${workload.title}`, '');
    lines.push(`| client | ${requests ? 'req/s' : 'MB/s'} | × ${H2_BASELINE} | connections | errors |`);
    lines.push('|---|---|---|---|---|');
    for (const row of workload.rows) {
      const s = row.summary;
      const figure = requests ? s.rps : s.mbps;
      lines.push(
        `| ${row.peer} | ${cell(figure)} | ${cell(s.ratio, 2)} | ${cell(s.connections)} | ${row.errors.length} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** Runs the HTTP/2 workloads; `only` (an id prefix) picks some of them. */
export async function runH2Suite({ quick, rounds, log, only }) {
  const workloads = h2Workloads(quick).filter((w) => only === undefined || w.id.startsWith(only));
  if (workloads.length === 0) return { workloads: [], markdown: '' };
  const server = await startH2Server();
  const results = [];
  try {
    for (const workload of workloads) {
      log(`\n${workload.title}`);
      const rows = await interleave({
        peers: H2_PEERS,
        rounds,
        baseline: H2_BASELINE,
        ratios: workload.ratios,
        log,
        measure: async (peer) => {
          const before = await server.sessions();
          const figures = await runInChild(TASK, {
            peerName: peer.name,
            origin: server.origin,
            caPath: server.caPath,
            ...workload.args,
          });
          return { ...figures, connections: (await server.sessions()) - before };
        },
      });
      results.push({
        id: workload.id,
        title: workload.title,
        kind: workload.args.kind,
        args: workload.args,
        rows,
      });
    }
  } finally {
    await server.stop();
  }
  return { workloads: results, markdown: renderH2(results) };
}
