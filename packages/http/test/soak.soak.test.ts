import { type ChildProcess, spawn } from 'node:child_process';
import diagnostics from 'node:diagnostics_channel';
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Limits } from '../src/index.js';

// 200 000 requests over 10 minutes by default; SOAK_MS scales both (e.g. SOAK_MS=60000 for a quick run).
const SOAK_MS = Number(process.env.SOAK_MS ?? 600_000);
const REQUESTS = Math.max(1000, Math.round((200_000 * SOAK_MS) / 600_000));
const IN_FLIGHT = 64;
const SAMPLE_EVERY_MS = 5000;
const MiB = 1024 * 1024;

// The server runs in its own process so its sockets and buffers never show up in our heap or handles.
const SERVER = `
const http = require('node:http');
let accepted = 0;
const server = http.createServer((req, res) => {
  if (req.url === '/stats') return res.end(JSON.stringify({ accepted, open: server._connections }));
  req.resume();
  req.on('end', () => res.end('x'.repeat(512)));
});
server.keepAliveTimeout = 30000;
server.on('connection', () => accepted++);
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

interface Sample {
  atMs: number;
  done: number;
  heapUsed: number;
  /** Client sockets not yet closed (idle keep-alive ones are unref'd, so handles alone miss them). */
  openSockets: number;
  /** Socket handles keeping the event loop alive. */
  sockets: number;
  handles: Record<string, number>;
}

// Every client socket this process opens, until it closes.
const openSockets = new Set<object>();
diagnostics.subscribe('net.client.socket', (message) => {
  const { socket } = message as { socket: import('node:net').Socket };
  openSockets.add(socket);
  socket.once('close', () => openSockets.delete(socket));
});

let child: ChildProcess;
let url: string;

beforeAll(async () => {
  child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
  url = `http://127.0.0.1:${line.toString().trim()}`;
});

afterAll(async () => {
  child.kill();
  await once(child, 'exit');
});

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error('run the soak with --expose-gc (vitest.soak.config.ts does)');
  collect();
}

function sample(startedAt: number, done: number): Sample {
  gc();
  const handles: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) handles[kind] = (handles[kind] ?? 0) + 1;
  return {
    atMs: Math.round(performance.now() - startedAt),
    done,
    heapUsed: process.memoryUsage().heapUsed,
    openSockets: openSockets.size,
    sockets: (handles.TCPSocketWrap ?? 0) + (handles.TCPWrap ?? 0),
    handles,
  };
}

describe('soak', () => {
  it(`serves ${REQUESTS} requests at ${IN_FLIGHT} in flight over ${SOAK_MS} ms with flat heap and handles`, async () => {
    const client = new Client({
      limits: new Limits({ maxConnections: IN_FLIGHT, maxKeepaliveConnections: IN_FLIGHT }),
    });
    const errors: unknown[] = [];
    const samples: Sample[] = [];
    let next = 0;
    let done = 0;
    let wrongBodies = 0;
    const interval = SOAK_MS / REQUESTS;
    const startedAt = performance.now();
    const sampler = setInterval(() => samples.push(sample(startedAt, done)), SAMPLE_EVERY_MS);

    const worker = async () => {
      for (let i = next++; i < REQUESTS; i = next++) {
        // Pacing, not synchronisation: request i is due at startedAt + i·interval.
        const wait = startedAt + i * interval - performance.now();
        if (wait > 1) await delay(wait);
        try {
          const response = await client.get(`${url}/item/${i}`);
          if (response.statusCode !== 200 || response.content.byteLength !== 512) wrongBodies++;
        } catch (error) {
          errors.push(error);
        }
        done++;
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    clearInterval(sampler);
    const elapsed = performance.now() - startedAt;
    const stats = (await client.get(`${url}/stats`)).json() as { accepted: number; open: number };
    samples.push(sample(startedAt, done));
    await client.close();
    // Closing the client destroys every socket; each reports 'close' a few turns later.
    while (openSockets.size > 0) await new Promise((resolve) => setImmediate(resolve));

    const atTenth = samples.find((s) => s.done >= REQUESTS / 10) ?? (samples[0] as Sample);
    const last = samples.at(-1) as Sample;
    const maxSockets = Math.max(...samples.map((s) => s.sockets));
    const maxOpen = Math.max(...samples.map((s) => s.openSockets));
    const heapDelta = last.heapUsed - atTenth.heapUsed;
    const figures = {
      requests: done,
      errors: errors.length,
      wrongBodies,
      elapsedMs: Math.round(elapsed),
      ratePerSecond: Math.round(done / (elapsed / 1000)),
      samples: samples.length,
      heapAtTenthMiB: +(atTenth.heapUsed / MiB).toFixed(2),
      heapAtEndMiB: +(last.heapUsed / MiB).toFixed(2),
      heapDeltaMiB: +(heapDelta / MiB).toFixed(2),
      heapMaxMiB: +(Math.max(...samples.map((s) => s.heapUsed)) / MiB).toFixed(2),
      openSocketsMax: maxOpen,
      openSocketsPerSample: samples.map((s) => s.openSockets),
      socketHandlesMax: maxSockets,
      socketHandlesAtEnd: last.sockets,
      handlesAtTenth: atTenth.handles,
      handlesAtEnd: last.handles,
      serverAcceptedConnections: stats.accepted,
      serverOpenConnections: stats.open,
    };
    console.log(`soak figures ${JSON.stringify(figures, null, 2)}`);

    expect(errors.slice(0, 3)).toEqual([]);
    expect(errors).toHaveLength(0);
    expect(wrongBodies).toBe(0);
    expect(done).toBe(REQUESTS);
    expect(samples.length).toBeGreaterThanOrEqual(2);
    expect(heapDelta).toBeLessThan(16 * MiB);
    // Our pool plus the connection of the final /stats request; the child's stdio pipes are not TCP.
    for (const s of samples) {
      expect(s.openSockets).toBeLessThanOrEqual(IN_FLIGHT + 2);
      expect(s.sockets).toBeLessThanOrEqual(IN_FLIGHT + 2);
    }
    expect(openSockets.size).toBe(0);
  });
});
