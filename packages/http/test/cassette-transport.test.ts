import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CassetteMismatch,
  CassetteTransport,
  Client,
  DigestAuth,
  HTTPTransport,
  UsageError,
} from '../src/index.js';
import { sentinel, spellings } from './support/secret-scan.js';
import { httpServer, readBody, type TestServer } from './support/servers.js';

const md5 = (text: string): string => createHash('md5').update(text).digest('hex');
const BIG = randomBytes(300_000); // binary, several replay chunks

let dir = '';
let server: TestServer | null = null;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cassette-'));
});
afterEach(async () => {
  await server?.close();
  server = null;
  await rm(dir, { recursive: true, force: true });
});

/** A server with a redirect, a Digest-protected route, a streamed binary download and an upload echo. */
async function startServer(password: string): Promise<string> {
  const nonce = randomBytes(8).toString('hex');
  server = await httpServer(async (req: IncomingMessage, res) => {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/old') {
      res.writeHead(302, { Location: '/new' }).end();
    } else if (url.pathname === '/new') {
      res
        .writeHead(200, { 'Content-Type': 'text/plain', 'Set-Cookie': `sid=${password}; Path=/` })
        .end('moved here');
    } else if (url.pathname === '/digest') {
      const auth = req.headers.authorization ?? '';
      const fields = new Map(
        [...auth.matchAll(/(\w+)="?([^",]+)"?/g)].map((m) => [m[1], m[2]] as [string, string]),
      );
      const ha1 = md5(`u:test:${password}`);
      const ha2 = md5(`${req.method}:${fields.get('uri')}`);
      const expected = md5(`${ha1}:${nonce}:${fields.get('nc')}:${fields.get('cnonce')}:auth:${ha2}`);
      if (fields.get('response') === expected) {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"authenticated":true}');
      } else {
        res.writeHead(401, { 'WWW-Authenticate': `Digest realm="test", qop="auth", nonce="${nonce}"` }).end();
      }
    } else if (url.pathname === '/download') {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      for (let at = 0; at < BIG.length; at += 50_000) res.write(BIG.subarray(at, at + 50_000));
      res.end();
    } else if (url.pathname === '/upload') {
      res
        .writeHead(200, { 'Content-Type': 'text/plain' })
        .end(`got ${body.length} bytes: ${md5(body.toString('latin1'))}`);
    } else {
      res.writeHead(404).end();
    }
  });
  return server.url;
}

interface Seen {
  status: number[];
  headers: string[][];
  bodies: Buffer[];
  chunks: number;
}

/** Drives the four flows through a client over `transport`, collecting everything the caller sees. */
async function drive(transport: CassetteTransport, base: string, secret: string): Promise<Seen> {
  const seen: Seen = { status: [], headers: [], bodies: [], chunks: 0 };
  await using client = new Client({ transport, followRedirects: true });
  const keep = async (response: {
    statusCode: number;
    headers: { multiItems(): [string, string][] };
    content: Uint8Array;
  }) => {
    seen.status.push(response.statusCode);
    seen.headers.push(response.headers.multiItems().map(([n, v]) => `${n}: ${v}`));
    seen.bodies.push(Buffer.from(response.content));
  };
  const redirected = await client.get(`${base}/old?token=${secret}&page=2`);
  expect(redirected.history.map((r) => r.statusCode)).toEqual([302]);
  await keep(redirected);
  await keep(await client.get(`${base}/digest`, { auth: new DigestAuth('u', secret) }));
  const download = await client.stream('GET', `${base}/download`, {
    headers: { Authorization: `Bearer ${secret}` },
  });
  const parts: Buffer[] = [];
  for await (const chunk of download.iterBytes()) parts.push(Buffer.from(chunk));
  seen.chunks = parts.length;
  seen.status.push(download.statusCode);
  seen.headers.push(download.headers.multiItems().map(([n, v]) => `${n}: ${v}`));
  seen.bodies.push(Buffer.concat(parts));
  await keep(
    await client.post(`${base}/upload`, {
      data: { note: 'hello' },
      files: { file: ['blob.bin', BIG.subarray(0, 20_000), 'application/octet-stream'] },
    }),
  );
  return seen;
}

describe('CassetteTransport', () => {
  it('records real traffic and replays it byte-identically with the server stopped, writing no secret', async () => {
    const secret = sentinel();
    const base = await startServer(secret);
    const path = join(dir, 'flows.json');
    const recorder = new CassetteTransport({ path, mode: 'record', transport: new HTTPTransport() });
    const recorded = await drive(recorder, base, secret);
    await recorder.close();
    expect(recorded.status).toEqual([200, 200, 200, 200]);
    expect(recorded.bodies[2]?.equals(BIG)).toBe(true);

    const text = await readFile(path, 'utf8');
    for (const form of spellings(secret)) expect(text).not.toContain(form);
    const file = JSON.parse(text) as {
      version: number;
      episodes: Array<{ request: { method: string; url: string } }>;
    };
    expect(file.version).toBe(1);
    expect(file.episodes.map((e) => `${e.request.method} ${new URL(e.request.url).pathname}`)).toEqual([
      'GET /old',
      'GET /new',
      'GET /digest',
      'GET /digest',
      'GET /download',
      'POST /upload',
    ]);
    expect(file.episodes[0]?.request.url).toBe(`${base}/old?token=[secure]&page=2`);
    expect(text).toContain('"text": "moved here"');
    expect(text).toContain('"sid=[secure]; Path=/"');

    await server?.close();
    server = null;
    // Different secrets on replay still match: they only differ in masked parts.
    const player = new CassetteTransport({ path, mode: 'replay' });
    const replayed = await drive(player, base, sentinel());
    expect(replayed.status).toEqual(recorded.status);
    expect(replayed.headers).toEqual(
      recorded.headers.map((h) => h.map((l) => l.replace(secret, '[secure]'))),
    );
    replayed.bodies.forEach((body, i) => {
      expect(body.equals(recorded.bodies[i] as Buffer)).toBe(true);
    });
    expect(replayed.chunks).toBeGreaterThan(1);
  });

  it('fails an unrecorded request in replay mode with CassetteMismatch naming the closest episode', async () => {
    const base = await startServer('pw');
    const path = join(dir, 'one.json');
    const recorder = new CassetteTransport({ path, mode: 'record', transport: new HTTPTransport() });
    await using client = new Client({ transport: recorder });
    expect((await client.get(`${base}/new`)).text).toBe('moved here');
    await recorder.close();

    await using replay = new Client({ transport: new CassetteTransport({ path, mode: 'replay' }) });
    const error = await replay.post(`${base}/new`, { content: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CassetteMismatch);
    const mismatch = error as CassetteMismatch;
    expect(mismatch.closestEpisode).toBe(0);
    expect(mismatch.differences).toEqual([
      `method: request POST vs recorded GET`,
      `body: request "x" vs recorded ""`,
    ]);
    expect(mismatch.message).toBe(
      `No episode in cassette ${path} matches POST ${base}/new; closest is episode #0 (GET ${base}/new), which differs in ${mismatch.differences.join('; ')}`,
    );
    expect((await replay.get(`${base}/new`)).text).toBe('moved here');
    const again = (await replay.get(`${base}/new`).catch((e: unknown) => e)) as CassetteMismatch;
    expect(again.differences).toEqual(['it was already played (allowRepeats is off)']);
  });

  it('replayOrRecord records only new episodes; passthrough records nothing', async () => {
    const base = await startServer('pw');
    const path = join(dir, 'grow.json');
    const hits = (): number => server?.sockets.length ?? 0;
    const first = new CassetteTransport({ path, transport: new HTTPTransport() });
    await (await new Client({ transport: first }).get(`${base}/new`)).read();
    await first.close();
    const second = new CassetteTransport({ path, transport: new HTTPTransport() });
    const client = new Client({ transport: second });
    const before = hits();
    expect((await client.get(`${base}/new`)).text).toBe('moved here');
    expect(hits()).toBe(before);
    expect((await client.get(`${base}/missing`)).statusCode).toBe(404);
    await client.close();
    const file = JSON.parse(await readFile(path, 'utf8')) as {
      episodes: Array<{ request: { url: string } }>;
    };
    expect(file.episodes.map((e) => new URL(e.request.url).pathname)).toEqual(['/new', '/missing']);

    const pass = new CassetteTransport({
      path: join(dir, 'never.json'),
      mode: 'passthrough',
      transport: new HTTPTransport(),
    });
    await using passClient = new Client({ transport: pass });
    expect((await passClient.get(`${base}/new`)).text).toBe('moved here');
    await expect(readFile(join(dir, 'never.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('names a cassette that is not valid JSON or not a cassette', async () => {
    const path = join(dir, 'bad.json');
    await writeFile(path, '{"version": 1, "episodes": [');
    await using client = new Client({ transport: new CassetteTransport({ path, mode: 'replay' }) });
    // The parser's own wording varies between Node versions; our prefix does not.
    const error = await client.get('http://127.0.0.1:1/').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message.startsWith(`Cassette ${path} is not valid JSON: `)).toBe(true);
    await writeFile(path, '{"version": 2, "episodes": []}');
    await using other = new Client({ transport: new CassetteTransport({ path, mode: 'replay' }) });
    await expect(other.get('http://127.0.0.1:1/')).rejects.toThrow(`${path} is not a version 1 cassette`);
  });

  it('rejects bad options with a UsageError naming the problem', () => {
    expect(() => new CassetteTransport({ path: '' })).toThrow(UsageError);
    expect(() => new CassetteTransport({ path: 'x.json', mode: 'record' })).toThrow(
      'CassetteTransport in record mode needs a `transport` to reach the network',
    );
    expect(
      () => new CassetteTransport({ path: 'x.json', mode: 'replay', matchOn: ['verb' as 'method'] }),
    ).toThrow(
      'Unknown cassette matcher "verb"; known: method, url, scheme, host, port, path, query, body, headers',
    );
  });
});
