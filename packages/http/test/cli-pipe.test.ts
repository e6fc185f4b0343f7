// `pluggable-http URL | head -1`: the reader goes away early and the command ends quietly, exit 0.
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from './support/cli-process.js';
import { httpServer, type TestServer } from './support/servers.js';

// Far more than a pipe buffers (64 KiB on Linux), so the command is still writing when the pipe closes.
const LINES = Array.from({ length: 50_000 }, (_, n) => `line ${n} of a long listing`).join('\n');

let server: TestServer;
beforeAll(async () => {
  server = await httpServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/plain' }).end(LINES));
});
afterAll(() => server.close());

describe('pluggable-http writing to a pipe that closes early', () => {
  it('exits 0 with nothing on stderr once stdout is gone', async () => {
    const { child, done } = start([server.url]);
    const lines = createInterface({ input: child.stdout });
    const [first] = (await once(lines, 'line')) as [string];
    expect(first).toBe('HTTP/1.1 200 OK');
    lines.close();
    child.stdout.destroy();
    const run = await done;
    expect({ code: run.code, signal: run.signal, stderr: run.stderr }).toEqual({
      code: 0,
      signal: null,
      stderr: '',
    });
  });
});
