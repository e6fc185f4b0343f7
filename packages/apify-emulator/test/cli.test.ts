import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApifyClient } from 'apify-client';
import { describe, expect, it } from 'vitest';
import { CLI, startCli } from './cli-process.js';

/** Runs the CLI to completion (for flags that exit at once). */
function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('apify-emulator CLI', () => {
  it('starts, prints its URL, serves, and exits cleanly on SIGTERM within 1 s', async () => {
    const cli = await startCli(['--port', '0', '--token', 'secret', '--run-duration-ms', '60000']);
    try {
      expect(cli.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const client = new ApifyClient({ baseUrl: cli.url, token: 'secret', maxRetries: 0 });
      const { id } = await client.datasets().getOrCreate('cli');
      await client.dataset(id).pushItems([{ served: true }]);
      expect((await client.dataset(id).listItems()).items).toEqual([{ served: true }]);
      const denied = await fetch(`${cli.url}/v2/users/me`, { headers: { authorization: 'Bearer wrong' } });
      expect(denied.status).toBe(401);
      // A running run with its log stream held open must not keep the process from stopping.
      const actor = await client.actors().create({ name: 'long' } as never);
      const run = await client.actor(actor.id).start();
      const held = await fetch(`${cli.url}/v2/logs/${run.id}?stream=1`);
      expect(held.status).toBe(200);
      const reader = (held.body as ReadableStream<Uint8Array>).getReader();
      expect(new TextDecoder().decode((await reader.read()).value)).toContain('was created');

      const started = performance.now();
      cli.child.kill('SIGTERM');
      const { code, signal } = await cli.exited;
      const elapsed = performance.now() - started;
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      expect(elapsed).toBeLessThan(1000);
      expect(cli.stderr()).toContain('stopped on SIGTERM');
    } finally {
      cli.child.kill('SIGKILL');
    }
  });

  it('exits cleanly on SIGINT too, with storage and fault flags', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'emu-cli-'));
    try {
      const cli = await startCli([
        '--port',
        '0',
        '--storage-dir',
        dir,
        '--fault-rate',
        '0',
        '--fault-seed',
        '3',
        '--faults',
        '500,503,applied-502',
      ]);
      const forced = await fetch(`${cli.url}/v2/users/me`, { headers: { 'x-emulator-fault': '503' } });
      expect(forced.status).toBe(503);
      const applied = await fetch(`${cli.url}/v2/datasets?name=cli-applied`, {
        method: 'POST',
        headers: { 'x-emulator-fault': 'applied-502' },
      });
      expect([applied.status, applied.headers.get('x-emulator-fault')]).toEqual([502, 'applied-502']);
      const stored = await fetch(`${cli.url}/v2/datasets?unnamed=1`);
      const { data } = (await stored.json()) as { data: { items: { name: string }[] } };
      expect(data.items.map((d) => d.name)).toEqual(['cli-applied']);
      cli.child.kill('SIGINT');
      expect(await cli.exited).toEqual({ code: 0, signal: null });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('--body-timeout-ms answers 408 to a request body that goes silent', async () => {
    const cli = await startCli(['--port', '0', '--body-timeout-ms', '200']);
    try {
      const created = await fetch(`${cli.url}/v2/datasets?name=stalled`, { method: 'POST' });
      expect(created.status).toBe(201);
      const { port } = new URL(cli.url);
      const socket = connect(Number(port), '127.0.0.1');
      await once(socket, 'connect');
      socket.write(
        'POST /v2/datasets/stalled/items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n[',
      );
      let head = '';
      socket.setEncoding('utf8').on('data', (chunk: string) => {
        head += chunk;
      });
      await once(socket, 'close');
      expect(head.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout');
      expect(head).toContain('request-timeout');
    } finally {
      cli.child.kill('SIGKILL');
    }
  });

  it('rejects a --body-timeout-ms that is not a number with exit code 2', async () => {
    const error = await startCli(['--body-timeout-ms', 'soon']).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/--body-timeout-ms must be a number, got 'soon'/);
  });

  it('rejects unknown flags with exit code 2 and the usage', async () => {
    const error = await startCli(['--nope']).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /CLI exited with 2 before printing its URL: apify-emulator: Unknown option '--nope'/,
    );
  });

  it('--actor DIR registers a folder actor whose runs are processes; a folder without actor.json exits 2', async () => {
    const folder = fileURLToPath(new URL('./fixtures/local-runs/exit-done', import.meta.url));
    const cli = await startCli(['--port', '0', '--actor', folder]);
    try {
      const client = new ApifyClient({ baseUrl: cli.url, token: 't', maxRetries: 0 });
      const run = await client.actor('emulator/exit-done').call(undefined, { waitSecs: 60 });
      expect(run.status).toBe('SUCCEEDED');
      expect(await client.run(run.id).log().get()).toContain(`ACTOR: Starting 'node main.mjs' in ${folder}.`);
    } finally {
      cli.child.kill('SIGTERM');
      await cli.exited;
    }
    const empty = await mkdtemp(join(tmpdir(), 'emu-cli-actor-'));
    try {
      const { code, stdout, stderr } = await runCli(['--port', '0', '--actor', empty]);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(new RegExp(`^apify-emulator: --actor: ${empty} has no \\.actor/actor\\.json\n`));
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  }, 60_000);

  it('--version prints the package version and exits 0', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(await runCli(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('refuses a non-loopback --host without --token, with exit code 2, before listening', async () => {
    const { code, stdout, stderr } = await runCli(['--host', '0.0.0.0', '--port', '0']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^apify-emulator: --host 0\.0\.0\.0 is reachable from other machines: pass --token T so that only requests carrying it are served\n\nUsage: apify-emulator/,
    );
  });

  it('serves a non-loopback --host with --token, and warns on stderr', async () => {
    const cli = await startCli(['--host', '0.0.0.0', '--port', '0', '--token', 'lan-secret']);
    try {
      expect(cli.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
      const { port } = new URL(cli.url);
      const denied = await fetch(`http://127.0.0.1:${port}/v2/users/me`);
      expect(denied.status).toBe(401);
      const allowed = await fetch(`http://127.0.0.1:${port}/v2/users/me`, {
        headers: { authorization: 'Bearer lan-secret' },
      });
      expect(allowed.status).toBe(200);
      cli.child.kill('SIGTERM');
      expect(await cli.exited).toEqual({ code: 0, signal: null });
      expect(cli.stderr()).toContain(
        'apify-emulator: warning: --host 0.0.0.0 is not loopback: other machines can reach this emulator. ' +
          'It speaks plain HTTP (the token travels unencrypted) and is a development tool, not a security boundary.\n',
      );
      expect(cli.stderr()).not.toContain('lan-secret');
    } finally {
      cli.child.kill('SIGKILL');
    }
  });

  it.each(['localhost', '127.0.0.2', '::1'])(
    'serves loopback --host %s without a token or a warning',
    async (host) => {
      const cli = await startCli(['--host', host, '--port', '0']);
      try {
        const { port } = new URL(cli.url);
        expect(Number(port)).toBeGreaterThan(0);
        cli.child.kill('SIGTERM');
        expect(await cli.exited).toEqual({ code: 0, signal: null });
        expect(cli.stderr()).not.toContain('warning');
      } finally {
        cli.child.kill('SIGKILL');
      }
    },
  );
});
