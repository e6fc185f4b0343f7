// Issue 12: the per-send deadline names its request, and never outlives a dropped stream.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Client, Request, TotalTimeout } from '../src/index.js';
import { httpServer } from './support/servers.js';

// The child runs the built package, as a user's script would (`npx tsc --build` first; npm test does).
const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));

const activeTimeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('request context timers', () => {
  it('TotalTimeout names the method and the redacted URL of the request', async () => {
    await using server = await httpServer(() => {});
    await using client = new Client({ timeout: { read: 5000, total: 50 } });
    const url = `http://user:hunter2@127.0.0.1:${server.port}/slow`;
    const error = await client.get(url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TotalTimeout);
    expect((error as TotalTimeout).message).toBe(
      `Total timeout of 50 ms exceeded for GET http://user:[secure]@127.0.0.1:${server.port}/slow`,
    );
    expect((error as TotalTimeout).request.method).toBe('GET');
  });

  it('TotalTimeout names a hand-built Request sent with client.send', async () => {
    await using server = await httpServer(() => {});
    await using client = new Client({ timeout: { read: 5000, total: 50 } });
    const request = new Request('POST', `${server.url}/slow`, { content: 'x' });
    await expect(client.send(request)).rejects.toThrow(
      new TotalTimeout(`Total timeout of 50 ms exceeded for POST ${server.url}/slow`),
    );
  });

  it('a streamed response dropped unread holds no timer: the deadline stops keeping the process alive', async () => {
    await using server = await httpServer((_req, res) => res.end('a small body'));
    await using client = new Client({ timeout: { read: 60_000, total: 60_000 } });
    const before = activeTimeouts();
    const response = await client.stream('GET', server.url);
    expect(response.statusCode).toBe(200);
    // The response is never read nor closed: no timer of ours is left holding the event loop. A
    // timer of an earlier test may end meanwhile, so the count may drop; a held deadline adds one.
    expect(activeTimeouts()).toBeLessThanOrEqual(before);
  });

  it('a process that opens a stream, drops it and finishes exits promptly (not at the 30 s deadline)', async () => {
    await using server = await httpServer((_req, res) => res.end('a small body'));
    const script = `
      const { Client } = await import(${JSON.stringify(DIST)});
      const client = new Client({ timeout: { read: 30000, total: 30000 } });
      const response = await client.stream('GET', ${JSON.stringify(server.url)});
      console.log('status', response.statusCode);
    `;
    const started = performance.now();
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const [code] = await once(child, 'close');
    const elapsed = performance.now() - started;
    expect(output).toBe('status 200\n');
    expect(code).toBe(0);
    // Before the fix the child lived until the 30 s deadline fired; a loaded machine needs a few s to start Node.
    expect(elapsed).toBeLessThan(15_000);
  });
});
