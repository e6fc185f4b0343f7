import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DebuggingTransport } from '../../../docs/examples/debugging-transport.js';
import { httpsOnlyClient } from '../../../docs/examples/https-redirect.js';
import { ProxyRoundRobin } from '../../../docs/examples/proxy-round-robin.js';
import { Client } from '../src/index.js';
import { startProxy } from './support/proxies.js';
import {
  type Certificates,
  echo,
  httpServer,
  httpsServer,
  makeCertificates,
  type TestServer,
} from './support/servers.js';

let target: TestServer;
let certs: Certificates;
let secure: TestServer;

beforeAll(async () => {
  certs = await makeCertificates();
  target = await httpServer(echo);
  secure = await httpsServer(certs, (req, res) => res.end(`secure ${req.method} ${req.url}`));
});
afterAll(async () => {
  await target.close();
  await secure.close();
});

describe('docs/examples (the custom transports of docs/guides/transports.md)', () => {
  it('DebuggingTransport logs each request and response through the injected logger', async () => {
    const lines: string[] = [];
    await using client = new Client({
      transport: new DebuggingTransport({ log: (line) => lines.push(line) }),
    });
    const response = await client.get(`${target.url}/debug`);
    expect(response.statusCode).toBe(200);
    expect(lines).toEqual([`>>> <Request(GET, '${target.url}/debug')>`, '<<< <Response [200 OK]>']);
  });

  it('ProxyRoundRobin sends consecutive requests through each proxy in turn', async () => {
    await using first = await startProxy();
    await using second = await startProxy();
    await using client = new Client({ transport: new ProxyRoundRobin([first.url, second.url]) });
    for (const path of ['/1', '/2', '/3'])
      expect((await client.get(`${target.url}${path}`)).statusCode).toBe(200);
    expect(first.forwarded).toEqual([`${target.url}/1`, `${target.url}/3`]);
    expect(second.forwarded).toEqual([`${target.url}/2`]);
  });

  it('the guide shows each example file verbatim', async () => {
    const root = new URL('../../../docs/', import.meta.url);
    const guide = await readFile(new URL('guides/transports.md', root), 'utf8');
    for (const name of ['debugging-transport.ts', 'proxy-round-robin.ts', 'https-redirect.ts']) {
      const source = await readFile(new URL(`examples/${name}`, root), 'utf8');
      expect(guide).toContain(`\`\`\`ts\n${source.trimEnd()}\n\`\`\``);
    }
  });

  it('HTTPSRedirect, mounted on http://, upgrades every request to https', async () => {
    await using client = httpsOnlyClient({ verify: certs.caPath });
    const response = await client.get(`http://127.0.0.1:${secure.port}/page?x=1`);
    expect(response.statusCode).toBe(200);
    expect(response.text).toBe('secure GET /page?x=1');
    expect(response.url.href).toBe(`https://127.0.0.1:${secure.port}/page?x=1`);
    expect(response.history.map((r) => [r.statusCode, r.headers.get('location')])).toEqual([
      [303, `https://127.0.0.1:${secure.port}/page?x=1`],
    ]);
  });
});
