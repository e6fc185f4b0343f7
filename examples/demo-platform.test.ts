// `npm start` and the real Apify platform: an exported APIFY_TOKEN never selects it; only --platform
// does, after naming the account and getting a yes (on a terminal, or --yes).
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApifyClient } from '@pluggable/apify-client';
import { createEmulator } from '@pluggable/apify-emulator';
import { describe, expect, it } from 'vitest';
import { DEMO, demo } from './test-support/run-demo.js';

/** Stands in for api.apify.com: records every request and answers users/me for the account "alice". */
async function countingApi(): Promise<{
  url: string;
  seen: string[];
  [Symbol.asyncDispose](): Promise<void>;
}> {
  const seen: string[] = [];
  const server = http.createServer((request, response) => {
    seen.push(`${request.method} ${request.url}`);
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ data: { id: 'aliceUserId00001', username: 'alice' } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    [Symbol.asyncDispose]: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('npm start and the real Apify platform', () => {
  it('with APIFY_TOKEN set but no --platform, runs on the local emulator and sends nothing to the API', async () => {
    await using api = await countingApi();
    const { code, stdout, stderr } = await demo(['--items', '10', '--fault-rate', '0'], {
      APIFY_TOKEN: 'a-real-looking-token',
      APIFY_API_BASE_URL: api.url,
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(api.seen).toEqual([]);
    const [target, note] = stdout.split('\n');
    expect(target).toMatch(/^Target: a local Apify API emulator per client on 127\.0\.0\.1, 0 % /);
    expect(note).toBe(
      'APIFY_TOKEN is set and ignored: nothing leaves 127.0.0.1. `npm start -- --platform` runs against the real Apify API.',
    );
    expect(stdout).toContain('actor run             SUCCEEDED');
    expect(stdout).not.toContain('a-real-looking-token');
  }, 60_000);

  it('--platform without a terminal names the account, refuses with exit 2 and writes nothing', async () => {
    await using api = await countingApi();
    const { code, stdout, stderr } = await demo(['--platform', '--items', '10'], {
      APIFY_TOKEN: 'alice-token',
      APIFY_API_BASE_URL: api.url,
    });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'Refusing to run: the demo pushes 10 dataset items per client (3 clients) into new storages of the ' +
        `Apify account "alice" at ${api.url}, and deletes them at the end, and there is no terminal to ask ` +
        'for confirmation. Pass --yes to go ahead.\n',
    );
    expect(api.seen).toEqual(['GET /v2/users/me']);
  });

  it('--platform on a terminal asks, and an answer other than yes cancels before any write', async () => {
    await using api = await countingApi();
    // util-linux `script` runs the demo on a pseudo-terminal and forwards our stdin to it.
    const child = execFile(
      'script',
      ['-qec', `${process.execPath} ${DEMO} --platform --items 10`, '/dev/null'],
      { env: { ...process.env, APIFY_TOKEN: 'alice-token', APIFY_API_BASE_URL: api.url } },
    );
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Go ahead? [y/N]')) child.stdin?.end('n\n');
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(1);
    expect(output).toContain(
      `With --platform, the demo pushes 10 dataset items per client (3 clients) into new storages of the ` +
        `Apify account "alice" at ${api.url}, and deletes them at the end. Go ahead? [y/N] `,
    );
    expect(output).toContain('Cancelled: nothing was written.');
    expect(api.seen).toEqual(['GET /v2/users/me']);
  });

  it('--platform --yes targets APIFY_API_BASE_URL, names the account, skips the actor run and deletes its storages', async () => {
    // The emulator without faults stands in for the platform: the demo must treat it as the real API.
    await using emulator = createEmulator({ token: 'platform-token' });
    const { url } = await emulator.listen({ port: 0, host: '127.0.0.1' });
    const { code, stdout, stderr } = await demo(['--platform', '--yes', '--items', '1500', '--quiet'], {
      APIFY_TOKEN: 'platform-token',
      APIFY_API_BASE_URL: url,
    });
    expect(code).toBe(0);
    expect(stderr).toBe(
      `Target: the Apify API at ${url} (--platform): no emulator, no injected faults; storages get ` +
        'unique names and are deleted at the end; the actor-run step needs the emulator and is skipped. ' +
        'Account: emulator.\n',
    );
    expect(stdout.match(/^ {2}items read back +1,500 {2}/gm)).toHaveLength(3);
    expect(stdout.match(/^ {2}actor run +skipped {2}/gm)).toHaveLength(3);
    expect(stdout.trim().split('\n').at(-1)).toBe(
      'All 3 clients stored and read back every one of 1,500 items exactly once, in order, and handled ' +
        `30 key-value records and 50 queue requests correctly, against the Apify API at ${url}.`,
    );

    await using client = new ApifyClient({ baseUrl: url, token: 'platform-token' });
    expect((await client.datasets().list({ unnamed: true })).total).toBe(0);
    expect((await client.keyValueStores().list({ unnamed: true })).total).toBe(0);
    expect((await client.requestQueues().list({ unnamed: true })).total).toBe(0);
  }, 120_000);

  it('--platform exits 1 with a clear message when the API refuses the token, and never shows it', async () => {
    await using emulator = createEmulator({ token: 'the-right-token' });
    const { url } = await emulator.listen({ port: 0, host: '127.0.0.1' });
    const { code, stdout, stderr } = await demo(['--platform', '--yes', '--items', '10', '--quiet'], {
      APIFY_TOKEN: 'a-wrong-token',
      APIFY_API_BASE_URL: url,
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    // The official error name, as apify-client reports it.
    expect(stderr).toContain('demo failed: ApifyApiError: Authentication token is not valid');
    expect(stderr).not.toContain('a-wrong-token');
  }, 60_000);

  it('--platform without APIFY_TOKEN is a usage error', async () => {
    const { code, stdout, stderr } = await demo(['--platform']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^--platform needs the account's API token in APIFY_TOKEN\n\nUsage: npm start/);
  });
});
