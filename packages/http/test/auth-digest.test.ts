import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Client, DigestAuth, MockTransport, ProtocolError, type Request, Response } from '../src/index.js';
import { httpServer, type TestServer } from './support/servers.js';

// A digest-protected server that checks the client's response hash itself (RFC 7616 §3.4.1),
// configured per test through `config`; it records what it verified in `log`.
interface ServerConfig {
  algorithm: string | null;
  qop: string | null;
  opaque: string | null;
  setCookie: string | null;
  extraChallenges: string[];
}
interface Verified {
  ok: boolean;
  nc: string | null;
  qop: string | null;
  uri: string;
  cookie: string | null;
  responseLength: number;
  cnonce: string | null;
}

const USER = 'Mufasa';
const PASSWORD = 'Circle of Life';
const REALM = 'loopback@test';
const HASHES: Record<string, string> = { MD5: 'md5', SHA: 'sha1', 'SHA-256': 'sha256', 'SHA-512': 'sha512' };

let server: TestServer;
let base: string;
let config: ServerConfig;
let nonce: string;
let challenges = 0;
const log: Verified[] = [];

function parseAuthorization(header: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const m of header.slice('Digest '.length).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) {
    params.set(m[1] as string, m[2] ?? (m[3] as string));
  }
  return params;
}

function verify(req: IncomingMessage, body: Buffer, header: string): Verified {
  const p = parseAuthorization(header);
  const algorithm = (p.get('algorithm') ?? 'MD5').toUpperCase();
  const sess = algorithm.endsWith('-SESS');
  const hashName = HASHES[sess ? algorithm.slice(0, -5) : algorithm] as string;
  const h = (data: string | Buffer) => createHash(hashName).update(data).digest('hex');
  const qop = p.get('qop') ?? null;
  const cnonce = p.get('cnonce') ?? null;
  let ha1 = h(`${USER}:${REALM}:${PASSWORD}`);
  if (sess) ha1 = h(`${ha1}:${nonce}:${cnonce}`);
  const ha2 = qop === 'auth-int' ? h(`${req.method}:${req.url}:${h(body)}`) : h(`${req.method}:${req.url}`);
  const expected =
    qop === null ? h(`${ha1}:${nonce}:${ha2}`) : h(`${ha1}:${nonce}:${p.get('nc')}:${cnonce}:${qop}:${ha2}`);
  const ok =
    p.get('username') === USER &&
    p.get('realm') === REALM &&
    p.get('nonce') === nonce &&
    p.get('uri') === req.url &&
    p.get('opaque') === (config.opaque ?? undefined) &&
    p.get('response') === expected;
  return {
    ok,
    nc: p.get('nc') ?? null,
    qop,
    uri: p.get('uri') ?? '',
    cookie: req.headers.cookie ?? null,
    responseLength: (p.get('response') ?? '').length,
    cnonce,
  };
}

function challenge(): string {
  let header = `Digest realm="${REALM}", nonce="${nonce}"`;
  if (config.qop !== null) header += `, qop="${config.qop}"`;
  if (config.algorithm !== null) header += `, algorithm=${config.algorithm}`;
  if (config.opaque !== null) header += `, opaque="${config.opaque}"`;
  return header;
}

beforeAll(async () => {
  server = await httpServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const header = req.headers.authorization;
    if (header?.startsWith('Digest ')) {
      const result = verify(req, Buffer.concat(chunks), header);
      log.push(result);
      if (result.ok) {
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify(result));
        return;
      }
    }
    challenges++;
    res.statusCode = 401;
    res.setHeader('WWW-Authenticate', [...config.extraChallenges, challenge()]);
    if (config.setCookie !== null) res.setHeader('Set-Cookie', config.setCookie);
    res.end('unauthorized');
  });
  base = server.url;
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  config = { algorithm: 'MD5', qop: 'auth', opaque: null, setCookie: null, extraChallenges: [] };
  nonce = randomBytes(12).toString('base64');
  challenges = 0;
  log.length = 0;
});

describe('DigestAuth against a verifying loopback server', () => {
  it.each([
    ['MD5', 32],
    ['SHA', 40],
    ['SHA-256', 64],
    ['SHA-512', 128],
    ['MD5-SESS', 32],
    ['SHA-SESS', 40],
    ['SHA-256-SESS', 64],
    ['sha-512-sess', 128],
  ])('algorithm %s with qop auth: verified, response is %i hex chars', async (algorithm, length) => {
    config.algorithm = algorithm;
    config.opaque = 'opaque-value';
    await using client = new Client({ trustEnv: false, auth: new DigestAuth(USER, PASSWORD) });
    const response = await client.get(`${base}/dir/index.html?x=1&y=2`);
    expect(response.statusCode).toBe(200);
    expect(response.history.map((r) => r.statusCode)).toEqual([401]);
    const verified = response.json<Verified>();
    expect(verified).toMatchObject({ ok: true, nc: '00000001', qop: 'auth', uri: '/dir/index.html?x=1&y=2' });
    expect(verified.responseLength).toBe(length);
    expect(verified.cnonce).toMatch(/^[0-9a-f]{16}$/);
    const sent = response.request.headers.get('authorization') as string;
    expect(sent).toMatch(
      new RegExp(
        `^Digest username="Mufasa", realm="loopback@test", nonce="[^"]+", uri="/dir/index.html\\?x=1&y=2", response="[0-9a-f]{${length}}", algorithm=${algorithm}, opaque="opaque-value", qop=auth, nc=00000001, cnonce="[0-9a-f]{16}"$`,
      ),
    );
  });

  it('defaults to MD5 when the challenge names no algorithm', async () => {
    config.algorithm = null;
    await using client = new Client({ trustEnv: false });
    const response = await client.get(`${base}/`, { auth: new DigestAuth(USER, PASSWORD) });
    expect(response.json<Verified>()).toMatchObject({ ok: true, responseLength: 32 });
    expect(response.request.headers.get('authorization')).toContain('algorithm=MD5');
  });

  it('qop auth-int hashes the request body (beyond HTTPX)', async () => {
    config.qop = 'auth-int';
    await using client = new Client({ trustEnv: false, auth: new DigestAuth(USER, PASSWORD) });
    const response = await client.post(`${base}/upload`, { content: 'the entity body' });
    expect(response.statusCode).toBe(200);
    expect(response.json<Verified>()).toMatchObject({ ok: true, qop: 'auth-int', nc: '00000001' });
    expect(response.request.headers.get('authorization')).toContain(', qop=auth-int, nc=00000001, ');
  });

  it('qop auth-int hashes a multipart body and a SHA-256-SESS challenge', async () => {
    config.qop = 'auth-int';
    config.algorithm = 'SHA-256-SESS';
    await using client = new Client({ trustEnv: false, auth: new DigestAuth(USER, PASSWORD) });
    const response = await client.post(`${base}/upload`, {
      data: { a: '1' },
      files: { f: ['f.txt', 'file body'] },
    });
    expect(response.json<Verified>()).toMatchObject({ ok: true, qop: 'auth-int', responseLength: 64 });
  });

  it('prefers qop auth when both auth and auth-int are offered', async () => {
    config.qop = 'auth-int,auth';
    await using client = new Client({ trustEnv: false, auth: new DigestAuth(USER, PASSWORD) });
    const response = await client.post(`${base}/upload`, { content: 'x' });
    expect(response.json<Verified>()).toMatchObject({ ok: true, qop: 'auth' });
  });

  it('uses the RFC 2069 form when the challenge has no qop', async () => {
    config.qop = null;
    await using client = new Client({ trustEnv: false, auth: new DigestAuth(USER, PASSWORD) });
    const response = await client.get(`${base}/legacy`);
    expect(response.json<Verified>()).toMatchObject({ ok: true, qop: null, nc: null, cnonce: null });
    const sent = response.request.headers.get('authorization') as string;
    expect(sent).not.toMatch(/qop=|nc=|cnonce=/);
  });

  it('a second request reuses the challenge without a 401 and sends nc=00000002', async () => {
    const auth = new DigestAuth(USER, PASSWORD);
    await using client = new Client({ trustEnv: false, auth });
    const first = await client.get(`${base}/one`);
    expect(first.history).toHaveLength(1);
    const second = await client.get(`${base}/two`);
    expect(second.statusCode).toBe(200);
    expect(second.history).toHaveLength(0);
    expect(second.json<Verified>()).toMatchObject({ ok: true, nc: '00000002', uri: '/two' });
    const third = await client.get(`${base}/three`);
    expect(third.json<Verified>()).toMatchObject({ ok: true, nc: '00000003' });
    expect(challenges).toBe(1);
  });

  it('a new 401 (a rotated nonce) resets nc to 00000001', async () => {
    const auth = new DigestAuth(USER, PASSWORD);
    await using client = new Client({ trustEnv: false, auth });
    await client.get(`${base}/one`);
    expect((await client.get(`${base}/two`)).json<Verified>().nc).toBe('00000002');
    nonce = randomBytes(12).toString('base64');
    const response = await client.get(`${base}/three`);
    expect(response.history.map((r) => r.statusCode)).toEqual([401]);
    expect(response.json<Verified>()).toMatchObject({ ok: true, nc: '00000001' });
    expect(log.map((v) => [v.ok, v.nc])).toEqual([
      [true, '00000001'],
      [true, '00000002'],
      [false, '00000003'],
      [true, '00000001'],
    ]);
  });

  it('sends the cookies set by the 401 on the retry, with the request’s own', async () => {
    config.setCookie = 'session=abc123; Path=/';
    await using client = new Client({ trustEnv: false, auth: new DigestAuth(USER, PASSWORD) });
    const response = await client.get(`${base}/`, { headers: { Cookie: 'theme=dark; session=old' } });
    expect(response.json<Verified>()).toMatchObject({ ok: true, cookie: 'theme=dark; session=abc123' });
  });

  it('answers the first Digest challenge among several WWW-Authenticate headers', async () => {
    config.extraChallenges = ['Basic realm="other"', 'Bearer'];
    await using client = new Client({ trustEnv: false, auth: new DigestAuth(USER, PASSWORD) });
    const response = await client.get(`${base}/`);
    expect(response.json<Verified>().ok).toBe(true);
  });

  it('returns a 401 without a Digest challenge as it is', async () => {
    const transport = new MockTransport(
      () => new Response(401, { headers: { 'WWW-Authenticate': 'Basic realm="x"' }, text: 'no' }),
    );
    await using client = new Client({ trustEnv: false, transport });
    const response = await client.get('http://example.org/', { auth: new DigestAuth(USER, PASSWORD) });
    expect(response.statusCode).toBe(401);
    expect(response.history).toHaveLength(0);
  });

  it('a 200 without a challenge needs no retry', async () => {
    let calls = 0;
    const transport = new MockTransport(() => {
      calls++;
      return new Response(200, { text: 'ok' });
    });
    await using client = new Client({ trustEnv: false, transport });
    const response = await client.get('http://example.org/', { auth: new DigestAuth(USER, PASSWORD) });
    expect(response.history).toHaveLength(0);
    expect(response.request.headers.has('authorization')).toBe(false);
    expect(calls).toBe(1);
  });
});

// Drives the flow through a MockTransport that challenges once, returning the retry's header.
async function authorizationFor(
  auth: DigestAuth,
  wwwAuthenticate: string,
  url = 'http://www.example.com/dir/index.html',
): Promise<string> {
  const transport = new MockTransport((request: Request) =>
    request.headers.has('authorization')
      ? new Response(200, { text: request.headers.get('authorization') as string })
      : new Response(401, { headers: { 'WWW-Authenticate': wwwAuthenticate } }),
  );
  await using client = new Client({ trustEnv: false, transport });
  return (await client.get(url, { auth })).text;
}

const RFC7616_NONCE = '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v';
const RFC7616_OPAQUE = 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS';
const RFC7616_CNONCE = 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ';
const rfc7616Challenge = (algorithm: string) =>
  `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${algorithm}, nonce="${RFC7616_NONCE}", opaque="${RFC7616_OPAQUE}"`;

describe('DigestAuth vectors', () => {
  it.each([
    ['MD5', '8ca523f5e9506fed4657c9700eebdbec'],
    ['SHA-256', '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1'],
    ['MD5-SESS', 'e783283f46242139c486a698fec7211d'],
  ])('RFC 7616 §3.9.1 %s → %s', async (algorithm, expected) => {
    const auth = new DigestAuth('Mufasa', 'Circle of Life', { cnonce: () => RFC7616_CNONCE });
    expect(await authorizationFor(auth, rfc7616Challenge(algorithm))).toBe(
      `Digest username="Mufasa", realm="http-auth@example.org", nonce="${RFC7616_NONCE}", uri="/dir/index.html", response="${expected}", algorithm=${algorithm}, opaque="${RFC7616_OPAQUE}", qop=auth, nc=00000001, cnonce="${RFC7616_CNONCE}"`,
    );
  });

  it('the cnonce can be fixed by overriding createCnonce', async () => {
    class FixedCnonce extends DigestAuth {
      protected override createCnonce(nonceCount: number, nonce: string): string {
        expect([nonceCount, nonce]).toEqual([1, RFC7616_NONCE]);
        return RFC7616_CNONCE;
      }
    }
    const header = await authorizationFor(
      new FixedCnonce('Mufasa', 'Circle of Life'),
      rfc7616Challenge('MD5'),
    );
    expect(header).toContain('response="8ca523f5e9506fed4657c9700eebdbec"');
  });

  it('RFC 2069 → 1949323746fe6a43ef61f9606e7febea with no qop, nc or cnonce', async () => {
    const header = await authorizationFor(
      new DigestAuth('Mufasa', 'CircleOfLife'),
      'Digest realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    );
    expect(header).toBe(
      'Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", response="1949323746fe6a43ef61f9606e7febea", algorithm=MD5, opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    );
  });

  it.each([
    ['auth, auth-int', 'auth'],
    ['auth,auth-int', 'auth'],
    ['unknown,auth', 'auth'],
    ['auth-int', 'auth-int'],
  ])('qop "%s" is answered with qop=%s', async (qop, used) => {
    const header = await authorizationFor(
      new DigestAuth('u', 'p'),
      `Digest realm="r", nonce="n", qop="${qop}"`,
    );
    expect(header).toContain(`, qop=${used}, nc=00000001, cnonce="`);
  });

  it.each([
    ['no nonce', 'Digest realm="r", qop="auth"'],
    ['no realm', 'Digest nonce="n", qop="auth"'],
    ['a field without a value', 'Digest realm="r", nonce="n", broken'],
  ])('a challenge with %s → ProtocolError', async (_case, challengeHeader) => {
    const error = await authorizationFor(new DigestAuth('u', 'p'), challengeHeader).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).message).toBe(
      'Malformed WWW-Authenticate header: a digest challenge needs a realm and a nonce',
    );
  });

  it('qop "not-auth" → ProtocolError', async () => {
    const error = await authorizationFor(
      new DigestAuth('u', 'p'),
      'Digest realm="r", nonce="n", qop="not-auth"',
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).message).toBe('Unexpected qop value "not-auth" in digest auth');
  });

  it('an unknown algorithm → ProtocolError', async () => {
    const error = await authorizationFor(
      new DigestAuth('u', 'p'),
      'Digest realm="r", nonce="n", algorithm=CRC32',
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).message).toBe('Unsupported digest algorithm "CRC32"');
  });

  it('keeps commas inside quoted challenge values', async () => {
    const header = await authorizationFor(
      new DigestAuth('u', 'p'),
      'Digest realm="a, b", nonce="n,1", qop="auth"',
    );
    expect(header).toMatch(/^Digest username="u", realm="a, b", nonce="n,1", /);
  });

  it('util.inspect, JSON and errors never show the password', async () => {
    const auth = new DigestAuth('Mufasa', 'hunter2-secret');
    expect(inspect(auth)).toBe('DigestAuth(username="Mufasa", password=[secure])');
    expect(JSON.stringify(auth)).toBe('{"type":"digest","username":"Mufasa","password":"[secure]"}');
    const error = await authorizationFor(auth, 'Digest realm="r"').catch((e: unknown) => e);
    expect(inspect(error, { depth: 10 })).not.toContain('hunter2');
  });
});
