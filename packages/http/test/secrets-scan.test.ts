import { mkdtemp, writeFile } from 'node:fs/promises';
import type http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BasicAuth,
  Client,
  ConnectError,
  DigestAuth,
  Proxy as HTTPProxy,
  HTTPStatusError,
  HTTPTransport,
  InvalidURL,
  LocalProtocolError,
  NetRCAuth,
  ProxyError,
  ReadTimeout,
  RetryTransport,
  TooManyRedirects,
  UnsupportedProtocol,
  UsageError,
} from '../src/index.js';
import { startProxy, type TestProxy } from './support/proxies.js';
import {
  captureLogs,
  expectNoLeaks,
  failure,
  type LogCapture,
  leakedLines,
  leaks,
  sentinel,
} from './support/secret-scan.js';
import {
  type Certificates,
  httpServer,
  httpsServer,
  makeCertificates,
  type TestServer,
} from './support/servers.js';

// Secret slots: Authorization (Basic and Bearer), Proxy-Authorization, proxy URL password, URL
// userinfo password, digest password, netrc password, and cookie values (a session cookie is a
// credential: the jar, Cookie and Set-Cookie are redacted like Authorization).
const SECRET = sentinel();
const BASIC = `Basic ${Buffer.from(`u:${SECRET}`).toString('base64')}`;

let logs: LogCapture;
let closedPort: number;
let certs: Certificates;
let servers: TestServer[];
let proxy: TestProxy;
let previousNetrc: string | undefined;

function serve(handler: http.RequestListener): Promise<TestServer> {
  return httpServer(handler).then((server) => {
    servers.push(server);
    return server;
  });
}

const expectClean = (things: Record<string, unknown>) => expectNoLeaks(things, SECRET);

function statusError(response: { raiseForStatus(): unknown }): unknown {
  try {
    response.raiseForStatus();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error status');
}

beforeAll(async () => {
  logs = captureLogs(['pluggable:http:request', 'pluggable:http:response']);
  servers = [];
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  certs = await makeCertificates();
  proxy = await startProxy(['u', 'the-right-password']);
  previousNetrc = process.env.NETRC;
}, 30_000);

afterEach(() => {
  const leaked = leakedLines(logs, SECRET);
  logs.lines.length = 0;
  expect(leaked).toEqual([]);
  if (previousNetrc === undefined) delete process.env.NETRC;
  else process.env.NETRC = previousNetrc;
});

afterAll(async () => {
  logs.stop();
  await Promise.all(servers.map((s) => s.close()));
  await proxy.close();
});

describe('the sentinel secret never appears in errors, objects or logs', () => {
  it('is really sent where it belongs (the scan would see a leak)', async () => {
    const seen: Array<string | undefined> = [];
    const server = await serve((req, res) => {
      seen.push(req.headers.authorization);
      res.end();
    });
    await using client = new Client();
    await client.get(`http://u:${SECRET}@127.0.0.1:${server.port}/`);
    expect(seen).toEqual([BASIC]);
    // The scan itself finds the secret when it is there, in each spelling.
    expect(leaks(new Error(`x ${SECRET}`), SECRET)).not.toEqual([]);
    expect(leaks({ header: BASIC }, SECRET)).not.toEqual([]);
    expect(
      leaks(new Error('outer', { cause: { input: `http://u:${encodeURIComponent(SECRET)}@h/` } }), SECRET),
    ).not.toEqual([]);
  });

  it('connection refused, and connect retries exhausted, with every header and URL secret', async () => {
    const options = {
      headers: { Authorization: `Bearer ${SECRET}`, 'Proxy-Authorization': BASIC, 'X-Api-Key': 'public' },
      cookies: { session: SECRET },
    };
    await using client = new Client(options);
    const refused = await failure(() => client.get(`http://u:${SECRET}@127.0.0.1:${closedPort}/p?q=1`));
    expect(refused).toBeInstanceOf(ConnectError);
    await using retrying = new Client({ ...options, transport: new HTTPTransport({ retries: 1 }) });
    const exhausted = await failure(() => retrying.get(`http://u:${SECRET}@127.0.0.1:${closedPort}/`));
    expect(exhausted).toBeInstanceOf(ConnectError);
    const request = client.buildRequest('GET', `http://u:${SECRET}@127.0.0.1:${closedPort}/`, {
      auth: ['u', SECRET],
    });
    expectClean({
      refused,
      exhausted,
      client,
      retrying,
      request,
      headers: request.headers,
      cookies: client.cookies,
    });
  });

  it('read timeout with Basic auth on the client', async () => {
    const server = await serve(() => {});
    await using client = new Client({ auth: ['u', SECRET], timeout: { read: 100 } });
    const timeout = await failure(() => client.get(server.url));
    expect(timeout).toBeInstanceOf(ReadTimeout);
    expectClean({ timeout, client, auth: client.auth });
  });

  it('4xx and 5xx status errors, and the responses, with Set-Cookie and Authorization', async () => {
    const server = await serve((req, res) => {
      res.statusCode = req.url === '/401' ? 401 : 503;
      res.setHeader('Set-Cookie', `session=${SECRET}; Path=/`);
      res.setHeader('WWW-Authenticate', 'Bearer realm="api"');
      res.end('denied');
    });
    await using client = new Client({ headers: { Authorization: `Bearer ${SECRET}` } });
    const unauthorized = await client.get(`${server.url}/401`);
    const unavailable = await client.get(`http://u:${SECRET}@127.0.0.1:${server.port}/503`);
    expect(unauthorized.statusCode).toBe(401);
    const errors = [statusError(unauthorized), statusError(unavailable)];
    expect(errors.every((e) => e instanceof HTTPStatusError)).toBe(true);
    expect(client.cookies.get('session')).toBe(SECRET);
    expectClean({
      errors,
      unauthorized,
      unavailable,
      request: unauthorized.request,
      responseHeaders: unauthorized.headers,
      cookies: client.cookies,
      client,
    });
  });

  it('retries exhausted on 503 through RetryTransport', async () => {
    let hits = 0;
    const server = await serve((_req, res) => {
      hits++;
      res.statusCode = 503;
      res.end();
    });
    const transport = new RetryTransport(new HTTPTransport(), { retries: 2, backoff: { base: 1, max: 1 } });
    await using client = new Client({ transport, auth: ['u', SECRET] });
    const response = await client.get(server.url);
    expect(hits).toBe(3);
    expectClean({ error: statusError(response), response, transport, client });
  });

  it('a redirect loop keeps Authorization and the URL password out of TooManyRedirects', async () => {
    const server = await serve((_req, res) => {
      res.statusCode = 302;
      res.setHeader(
        'Location',
        `http://u:${SECRET}@127.0.0.1:${(res.socket?.localPort ?? 0).toString()}/again`,
      );
      res.end();
    });
    await using client = new Client({
      followRedirects: true,
      maxRedirects: 3,
      headers: { Authorization: `Bearer ${SECRET}` },
    });
    const loop = await failure(() => client.get(`http://u:${SECRET}@127.0.0.1:${server.port}/`));
    expect(loop).toBeInstanceOf(TooManyRedirects);
    const response = await client.get(`${server.url}/`, { followRedirects: false });
    expectClean({ loop, response, next: response.nextRequest, history: response.history });
  });

  it('TLS verification failure', async () => {
    const server = await httpsServer(certs, (_req, res) => res.end());
    servers.push(server);
    await using client = new Client({ headers: { Authorization: `Bearer ${SECRET}` } });
    const tls = await failure(() => client.get(`https://u:${SECRET}@127.0.0.1:${server.port}/`));
    expect(tls).toBeInstanceOf(ConnectError);
    expectClean({ tls, client });
  });

  it('proxy authentication failure (407 forwarded, refused CONNECT) with the password in the proxy URL', async () => {
    const target = await serve((_req, res) => res.end('never'));
    const tlsTarget = await httpsServer(certs, (_req, res) => res.end('never'));
    servers.push(tlsTarget);
    const proxyUrl = `http://u:${SECRET}@127.0.0.1:${proxy.port}`;
    await using client = new Client({ proxy: proxyUrl, verify: certs.caPath });
    const forwarded = await failure(() => client.get(target.url));
    expect(forwarded).toBeInstanceOf(ProxyError);
    const tunnel = await failure(() => client.get(tlsTarget.url));
    expect(tunnel).toBeInstanceOf(ProxyError);
    expect(proxy.authorizations.at(-1)).toBe(BASIC);
    const proxyObject = new HTTPProxy(proxyUrl, { headers: { 'Proxy-Authorization': BASIC } });
    const transport = new HTTPTransport({ proxy: proxyObject });
    expectClean({
      forwarded,
      tunnel,
      client,
      proxyObject,
      transport,
      proxyString: `${proxyObject}`,
    });
    await transport.close();
  });

  it('digest auth: a rejected password never shows, only its hash goes out', async () => {
    const server = await serve((_req, res) => {
      res.statusCode = 401;
      res.setHeader('WWW-Authenticate', 'Digest realm="r", nonce="abc", qop="auth", algorithm=SHA-256');
      res.end();
    });
    const auth = new DigestAuth('u', SECRET);
    await using client = new Client({ auth });
    const response = await client.get(server.url);
    expect(response.statusCode).toBe(401);
    expect(response.request.headers.get('authorization')?.startsWith('Digest username="u"')).toBe(true);
    expectClean({ error: statusError(response), response, request: response.request, auth, client });
  });

  it('netrc: the password read from the file stays out of errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pluggable-netrc-'));
    const file = join(dir, 'netrc');
    await writeFile(file, `machine 127.0.0.1 login u password ${SECRET}\n`);
    process.env.NETRC = file;
    const seen: Array<string | undefined> = [];
    const server = await serve((req, res) => {
      seen.push(req.headers.authorization);
      res.statusCode = 403;
      res.end();
    });
    await using client = new Client();
    const response = await client.get(server.url);
    expect(seen).toEqual([BASIC]);
    const refused = await failure(() => client.get(`http://127.0.0.1:${closedPort}/`));
    expect(refused).toBeInstanceOf(ConnectError);
    const auth = new NetRCAuth(file);
    expectClean({ error: statusError(response), response, refused, auth, client });
  });

  it('invalid input: bad URLs, proxy URLs, headers and methods that carry a secret', async () => {
    await using client = new Client();
    const errors = {
      badUrl: await failure(() => client.get(`http://u:${SECRET}@[::1/`)),
      badBase: await failure(() => new Client({ baseUrl: `http://u:${SECRET}@[::1/` })),
      scheme: await failure(() => client.get(`ftp://u:${SECRET}@127.0.0.1/`)),
      control: await failure(() => client.get(`http://u:${SECRET}@127.0.0.1/\n`)),
      badProxy: await failure(() => new Client({ proxy: `http://u:${SECRET}@[::1` })),
      proxyScheme: await failure(() => new Client({ proxy: `ftp://u:${SECRET}@127.0.0.1:1` })),
      header: await failure(() =>
        client.get('http://127.0.0.1/', { headers: { Authorization: `Bearer ${SECRET}\r\n` } }),
      ),
      basic: await failure(() => new BasicAuth(SECRET as unknown as string, 1 as unknown as string)),
    };
    expect(errors.badUrl).toBeInstanceOf(InvalidURL);
    expect(errors.badBase).toBeInstanceOf(InvalidURL);
    expect(errors.scheme).toBeInstanceOf(UnsupportedProtocol);
    expect(errors.control).toBeInstanceOf(InvalidURL);
    expect(errors.badProxy).toBeInstanceOf(UsageError);
    expect(errors.proxyScheme).toBeInstanceOf(UsageError);
    expect(errors.header).toBeInstanceOf(LocalProtocolError);
    expect(errors.basic).toBeInstanceOf(UsageError);
    expectClean(errors);
  });
});

describe('credentials on the wire across redirects', () => {
  it('keeps Authorization and Proxy-Authorization on the same origin and strips both on another one', async () => {
    const seen: Array<[string, string | undefined, string | undefined]> = [];
    const other = await serve((req, res) => {
      seen.push(['other', req.headers.authorization, req.headers['proxy-authorization']]);
      res.end();
    });
    const first = await serve((req, res) => {
      seen.push([req.url ?? '', req.headers.authorization, req.headers['proxy-authorization']]);
      res.statusCode = 302;
      res.setHeader('Location', req.url === '/start' ? '/same' : `${other.url}/`);
      res.end();
    });
    await using client = new Client({
      followRedirects: true,
      headers: { Authorization: `Bearer ${SECRET}`, 'Proxy-Authorization': BASIC },
    });
    const response = await client.get(`${first.url}/start`);
    expect(response.statusCode).toBe(200);
    expect(seen).toEqual([
      ['/start', `Bearer ${SECRET}`, BASIC],
      ['/same', `Bearer ${SECRET}`, BASIC],
      ['other', undefined, undefined],
    ]);
  });
});
