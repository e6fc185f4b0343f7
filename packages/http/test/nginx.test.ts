import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, ConnectError, type Response } from '../src/index.js';
import { type Nginx, startNginx } from './support/nginx.js';
import { type Certificates, makeCertificates } from './support/servers.js';

// Real nginx, as a user meets it: HTTP/2 over TLS must multiplex onto one connection, and when
// nginx closes a connection after `keepalive_requests` (HTTP/1.1: `Connection: close`; h2: a
// GOAWAY) exactly one new connection must carry what follows. nginx says which connection served
// each response, so the counts are nginx's own.
let certs: Certificates;
let nginx: Nginx;
let h2: string;
let h1Every3: string;
let h2Every5: string;
let h1Tls: string;

beforeAll(async () => {
  certs = await makeCertificates();
  nginx = await startNginx(
    [
      { tls: true, http2: true },
      { tls: false, http2: false, keepaliveRequests: 3 },
      { tls: true, http2: true, keepaliveRequests: 5 },
      { tls: true, http2: false },
    ],
    certs,
  );
  [h2, h1Every3, h2Every5, h1Tls] = nginx.urls as [string, string, string, string];
}, 120_000);

afterAll(async () => {
  await nginx?.stop();
});

function h2Client(options: { http1?: boolean } = {}): Client {
  return new Client({ verify: certs.caPath, http2: true, ...options });
}

/** nginx's connection serial number and that connection's request count, for one response. */
function servedOn(response: Response): [number, number] {
  expect(response.text).toBe('ok');
  return [
    Number(response.headers.get('x-connection')),
    Number(response.headers.get('x-connection-requests')),
  ];
}

async function concurrently(client: Client, url: string, count: number): Promise<Response[]> {
  return Promise.all(Array.from({ length: count }, () => client.get(url)));
}

/** Sends `count` requests one after another; returns the connection each was served on. */
async function sequentially(client: Client, url: string, count: number): Promise<[number, number][]> {
  const served: [number, number][] = [];
  for (let i = 0; i < count; i++) served.push(servedOn(await client.get(url)));
  return served;
}

describe('nginx over HTTP/2 (TLS, ALPN)', () => {
  it('50 concurrent GETs on a cold client share one connection', async () => {
    await using client = h2Client();
    const responses = await concurrently(client, h2, 50);
    expect(new Set(responses.map((response) => response.httpVersion))).toEqual(new Set(['HTTP/2']));
    const connections = new Set(responses.map((response) => servedOn(response)[0]));
    expect(connections.size).toBe(1);
    expect(responses.map((response) => servedOn(response)[1]).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
  });

  it('50 concurrent GETs on a warm client go on the connection it already has', async () => {
    await using client = h2Client();
    const [first] = servedOn(await client.get(h2));
    const responses = await concurrently(client, h2, 50);
    expect(new Set(responses.map((response) => servedOn(response)[0]))).toEqual(new Set([first]));
    expect(Math.max(...responses.map((response) => servedOn(response)[1]))).toBe(51);
  });

  it('http1: false against a TLS listener without http2 fails with the typed error', async () => {
    await using client = h2Client({ http1: false });
    const error = await client.get(h1Tls).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as Error).message).toBe(
      `${h1Tls} does not speak HTTP/2: its TLS handshake (ALPN) refused h2, and http1 is disabled`,
    );
  });

  it('the same listener with http1 on serves HTTP/1.1', async () => {
    await using client = h2Client();
    const response = await client.get(h1Tls);
    expect([response.httpVersion, response.text]).toEqual(['HTTP/1.1', 'ok']);
  });
});

describe('nginx closing kept-alive connections (keepalive_requests)', () => {
  it('HTTP/1.1 with keepalive_requests 3: 30 sequential requests on exactly 10 connections of 3', async () => {
    await using client = new Client();
    const served = await sequentially(client, h1Every3, 30);
    const perConnection = new Map<number, number[]>();
    for (const [connection, requests] of served)
      perConnection.set(connection, [...(perConnection.get(connection) ?? []), requests]);
    expect(perConnection.size).toBe(10);
    expect([...perConnection.values()]).toEqual(Array.from({ length: 10 }, () => [1, 2, 3]));
  });

  // nginx sends its GOAWAY as the fifth request arrives, then answers it: that response must
  // arrive (undici 7 alone fails it), and exactly one new connection carries what follows.
  it('h2 with keepalive_requests 5: after the GOAWAY, the next 5 concurrent GETs share one new connection', async () => {
    await using client = h2Client();
    const before = await sequentially(client, h2Every5, 5);
    const old = before[0]?.[0];
    expect(before).toEqual([1, 2, 3, 4, 5].map((requests) => [old, requests]));
    const after = (await concurrently(client, h2Every5, 5)).map(servedOn);
    const replacement = after[0]?.[0];
    expect(replacement).not.toBe(old);
    expect(after.sort(([, a], [, b]) => a - b)).toEqual(
      [1, 2, 3, 4, 5].map((requests) => [replacement, requests]),
    );
  });

  it('h2 with keepalive_requests 5: 20 sequential requests on exactly 4 connections of 5', async () => {
    await using client = h2Client();
    const served = await sequentially(client, h2Every5, 20);
    const perConnection = new Map<number, number[]>();
    for (const [connection, requests] of served)
      perConnection.set(connection, [...(perConnection.get(connection) ?? []), requests]);
    expect([...perConnection.values()]).toEqual(Array.from({ length: 4 }, () => [1, 2, 3, 4, 5]));
  });

  it('h2 with keepalive_requests 5: a POST as the fifth request gets its response (it cannot be replayed)', async () => {
    await using client = h2Client();
    const before = await sequentially(client, h2Every5, 4);
    const posted = await client.post(h2Every5, { content: 'body' });
    expect(servedOn(posted)).toEqual([before[0]?.[0], 5]);
  });
});
