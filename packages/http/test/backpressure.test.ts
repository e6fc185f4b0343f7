import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { Client } from '../src/index.js';
import { httpServer } from './support/servers.js';

const MiB = 1024 * 1024;
const BODY = 256 * MiB;
// What may sit between a paused reader and the server: the kernel's loopback buffers (receive
// autotuning goes up to tcp_rmem's 32 MiB here, send up to 4 MiB) plus the client's own queue.
// A client that keeps reading lets the server send the whole body.
const BOUND = 64 * MiB;
// Event-loop turns (each with an I/O poll) without the server's socket draining: a reader that
// still pulled from the socket would free the kernel buffers and let it drain within a few.
const QUIET_TURNS = 200;

/** Streams `BODY` bytes (byte i is i % 251) as fast as the socket takes them, counting each write. */
function bulkSender() {
  const state = { written: 0, drains: 0, finished: false };
  const pattern = Buffer.from(Array.from({ length: MiB + 251 }, (_, i) => i % 251));
  const send = async (res: ServerResponse) => {
    res.writeHead(200, { 'content-length': String(BODY), 'content-type': 'application/octet-stream' });
    while (state.written < BODY && !res.destroyed) {
      const offset = state.written % 251;
      state.written += MiB;
      if (!res.write(pattern.subarray(offset, offset + MiB))) {
        await once(res, 'drain');
        state.drains++;
      }
    }
    res.end(() => {
      state.finished = true;
    });
  };
  return { state, send };
}

/** Resolves once the server has gone `QUIET_TURNS` turns without draining; rejects if it finished. */
async function serverStaysBlocked(state: { drains: number; finished: boolean }): Promise<void> {
  let quiet = 0;
  let seen = state.drains;
  while (quiet < QUIET_TURNS) {
    await new Promise((resolve) => setImmediate(resolve));
    if (state.finished) throw new Error('the server sent the whole body to a reader that had stopped');
    if (state.drains === seen) quiet++;
    else [seen, quiet] = [state.drains, 0];
  }
}

describe('response body backpressure', () => {
  it('a reader that stops pauses the socket: the server blocks with a bounded amount sent', async () => {
    const sender = bulkSender();
    await using server = await httpServer((_req, res) => void sender.send(res));
    await using client = new Client();
    const response = await client.stream('GET', server.url);
    const chunks = response.iterBytes()[Symbol.asyncIterator]();
    const first = await chunks.next();
    expect(first.done).toBe(false);

    await serverStaysBlocked(sender.state);
    expect(sender.state.written).toBeLessThan(BOUND);

    // Reading again resumes the socket, and every byte arrives in order.
    let received = first.value?.byteLength ?? 0;
    let mismatch = -1;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
      const bytes = next.value;
      for (let i = 0; i < bytes.byteLength && mismatch < 0; i += 4093)
        if (bytes[i] !== (received + i) % 251) mismatch = received + i;
      received += bytes.byteLength;
    }
    expect(mismatch).toBe(-1);
    expect(received).toBe(BODY);
    expect(response.numBytesDownloaded).toBe(BODY);
  }, 60_000);
});
