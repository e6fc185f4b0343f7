import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Auth, Client, FunctionAuth, Request, type Response, ResponseNotRead } from '../src/index.js';
import { RepeatAuth } from './support/repeat-auth.js';
import { httpServer, type TestServer } from './support/servers.js';

// A token API: /api needs `X-Authentication: <current access token>`; /refresh trades the
// refresh token for a new access token; /repeat always challenges with `WWW-Authenticate: abc`.
let server: TestServer;
let base: string;
let accessToken = 'access-1';
const seen: string[] = [];

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

beforeAll(async () => {
  server = await httpServer(async (req: IncomingMessage, res: ServerResponse) => {
    const body = await bodyOf(req);
    seen.push(`${req.method} ${req.url} ${req.headers['x-authentication'] ?? '-'} ${body}`);
    res.setHeader('Content-Type', 'application/json');
    if (req.url === '/refresh') {
      if (req.headers['x-refresh-token'] !== 'refresh-1') {
        res.statusCode = 403;
        res.end('{"error":"bad refresh token"}');
        return;
      }
      accessToken = 'access-2';
      res.end(JSON.stringify({ access_token: accessToken }));
      return;
    }
    if (req.url === '/repeat') {
      res.statusCode = req.headers.authorization === 'Repeat abc.abc' ? 200 : 401;
      res.setHeader('WWW-Authenticate', 'abc');
      res.end(JSON.stringify({ auth: req.headers.authorization ?? null }));
      return;
    }
    if (req.headers['x-authentication'] !== accessToken) {
      res.statusCode = 401;
      res.end(JSON.stringify({ error: 'token expired', hint: 'use-the-token' }));
      return;
    }
    res.end(JSON.stringify({ ok: true, token: req.headers['x-authentication'], body }));
  });
  base = server.url;
});

afterAll(async () => {
  await server.close();
});

class RetryWithToken extends Auth {
  readonly responses: Response[] = [];
  constructor(readonly token: string) {
    super();
  }
  override *authFlow(request: Request): Generator<Request, void, Response> {
    const response = yield request;
    this.responses.push(response);
    if (response.statusCode === 401) {
      request.headers.set('X-Authentication', this.token);
      yield request;
    }
  }
}

describe('custom auth flows', () => {
  it('a flow sees the 401, retries with a token, and the 401 lands in history', async () => {
    accessToken = 'access-1';
    const auth = new RetryWithToken('access-1');
    await using client = new Client({ trustEnv: false });
    const response = await client.get(`${base}/api`, { auth });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ok: true, token: 'access-1', body: '' });
    expect(auth.responses.map((r) => r.statusCode)).toEqual([401]);
    expect(response.history.map((r) => r.statusCode)).toEqual([401]);
    expect(response.history[0]?.json()).toEqual({ error: 'token expired', hint: 'use-the-token' });
    // The flow mutates and re-yields the same Request (as in HTTPX), so the wire shows the difference.
    expect(seen.slice(-2)).toEqual(['GET /api - ', 'GET /api access-1 ']);
  });

  it('without requiresResponseBody the flow gets an unread response body', async () => {
    class Peek extends Auth {
      error: unknown = null;
      override *authFlow(request: Request): Generator<Request, void, Response> {
        const response = yield request;
        try {
          void response.content;
        } catch (error) {
          this.error = error;
        }
      }
    }
    const auth = new Peek();
    await using client = new Client({ trustEnv: false });
    const response = await client.get(`${base}/api`, { auth });
    expect(auth.error).toBeInstanceOf(ResponseNotRead);
    expect(response.statusCode).toBe(401);
  });

  it('requiresResponseBody gives the flow the body of the 401', async () => {
    accessToken = 'access-1';
    class HintAuth extends Auth {
      override requiresResponseBody = true;
      override *authFlow(request: Request): Generator<Request, void, Response> {
        const response = yield request;
        if (response.statusCode !== 401) return;
        const { hint } = response.json<{ hint: string }>();
        request.headers.set('X-Authentication', hint === 'use-the-token' ? 'access-1' : 'wrong');
        yield request;
      }
    }
    await using client = new Client({ trustEnv: false });
    const response = await client.get(`${base}/api`, { auth: new HintAuth() });
    expect(response.statusCode).toBe(200);
    expect(response.history).toHaveLength(1);
  });

  it('requiresRequestBody gives the flow request.content of a streamed body', async () => {
    accessToken = 'access-1';
    class SigningAuth extends Auth {
      override requiresRequestBody = true;
      signed = '';
      override *authFlow(request: Request): Generator<Request, void, Response> {
        this.signed = Buffer.from(request.content).toString();
        request.headers.set('X-Authentication', 'access-1');
        yield request;
      }
    }
    const auth = new SigningAuth();
    await using client = new Client({ trustEnv: false });
    const response = await client.post(`${base}/api`, {
      auth,
      content: Readable.from([Buffer.from('chunk-1,'), Buffer.from('chunk-2')]),
    });
    expect(auth.signed).toBe('chunk-1,chunk-2');
    expect(response.json()).toEqual({ ok: true, token: 'access-1', body: 'chunk-1,chunk-2' });
  });

  it('runs the seed refresh-token flow: request, refresh, retried request', async () => {
    accessToken = 'access-2-not-yet-issued';
    seen.length = 0;
    class RefreshAuth extends Auth {
      override requiresResponseBody = true;
      constructor(
        public accessToken: string,
        readonly refreshToken: string,
        readonly refreshUrl: string,
      ) {
        super();
      }
      override *authFlow(request: Request): Generator<Request, void, Response> {
        request.headers.set('X-Authentication', this.accessToken);
        const response = yield request;
        if (response.statusCode === 401) {
          const refreshResponse = yield this.buildRefreshRequest();
          this.accessToken = refreshResponse.json<{ access_token: string }>().access_token;
          request.headers.set('X-Authentication', this.accessToken);
          yield request;
        }
      }
      buildRefreshRequest(): Request {
        return new Request('POST', this.refreshUrl, { headers: { 'X-Refresh-Token': this.refreshToken } });
      }
    }
    const auth = new RefreshAuth('access-1', 'refresh-1', `${base}/refresh`);
    await using client = new Client({ trustEnv: false });
    const response = await client.get(`${base}/api`, { auth });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ok: true, token: 'access-2', body: '' });
    expect(auth.accessToken).toBe('access-2');
    expect(seen).toEqual(['GET /api access-1 ', 'POST /refresh - ', 'GET /api access-2 ']);
    expect(response.history.map((r) => [r.statusCode, r.url.pathname])).toEqual([
      [401, '/api'],
      [200, '/refresh'],
    ]);
  });

  it('RepeatAuth(2) → "Repeat abc.abc" with history Repeat 0, Repeat 1', async () => {
    await using client = new Client({ trustEnv: false });
    const response = await client.get(`${base}/repeat`, { auth: new RepeatAuth(2) });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ auth: 'Repeat abc.abc' });
    expect(response.history.map((r) => r.json<{ auth: string }>().auth)).toEqual(['Repeat 0', 'Repeat 1']);
  });

  it('FunctionAuth wraps a (request) => request function', async () => {
    accessToken = 'access-1';
    await using client = new Client({ trustEnv: false });
    const auth = new FunctionAuth((request) => {
      request.headers.set('X-Authentication', 'access-1');
      return request;
    });
    const response = await client.get(`${base}/api`, { auth });
    expect(response.statusCode).toBe(200);
    expect(response.history).toEqual([]);
  });

  it('a plain (async) function is accepted as auth on the client and the request', async () => {
    accessToken = 'access-1';
    await using client = new Client({
      trustEnv: false,
      auth: async (request) => {
        request.headers.set('X-Authentication', 'access-1');
        return request;
      },
    });
    expect((await client.get(`${base}/api`)).json()).toEqual({ ok: true, token: 'access-1', body: '' });
    const response = await client.get(`${base}/api`, {
      auth: (request) => {
        request.headers.set('X-Authentication', 'nope');
        return request;
      },
    });
    expect(response.statusCode).toBe(401);
  });
});
