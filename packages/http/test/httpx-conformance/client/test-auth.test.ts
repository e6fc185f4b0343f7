// HTTPX tests/client/test_auth.py (0.28): auth flows through a client, against a loopback server
// that plays HTTPX's `App` (echoes the Authorization header) and `DigestApp` (issues challenges).
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  Auth,
  BasicAuth,
  Client,
  DigestAuth,
  NetRCAuth,
  ProtocolError,
  type Request,
  type Response,
  StreamConsumed,
  UsageError,
} from '../../../src/index.js';
import { RepeatAuth } from '../../support/repeat-auth.js';
import { httpServer, readBody, type TestServer } from '../../support/servers.js';

interface Reply {
  status: number;
  headers?: Record<string, string>;
}
type App = (req: IncomingMessage) => Reply;

/** HTTPX's `App`: answers `status`, with `WWW-Authenticate: header` when one is given. */
const plainApp =
  (header = '', status = 200): App =>
  () => ({ status, ...(header === '' ? {} : { headers: { 'WWW-Authenticate': header } }) });

const OPAQUE = 'ee6378f3ee14ebfd2fff54b70a91a7c9390518047f242ab2271380db0e14bda1';

/** HTTPX's `DigestApp`: the first `challenges` requests get a 401 with a fresh nonce, later ones a 200. */
class DigestApp {
  challenges = 1;
  #sent = 0;
  constructor(
    readonly algorithm = 'SHA-256',
    readonly qop = 'auth',
  ) {}

  readonly app: App = () => {
    if (this.#sent >= this.challenges) return { status: 200 };
    this.#sent += 1;
    const fields: Record<string, string> = {
      nonce: createHash('sha256').update(randomBytes(8)).digest('hex'),
      qop: this.qop,
      opaque: OPAQUE,
      algorithm: this.algorithm,
      stale: 'FALSE',
    };
    const params = Object.entries(fields)
      .filter(([, value]) => value !== '')
      .map(([key, value]) => `${key}="${value}"`)
      .join(', ');
    return { status: 401, headers: { 'WWW-Authenticate': `Digest realm="httpx@example.org", ${params}` } };
  };
}

let server: TestServer;
let url: string;
let app: App;

beforeAll(async () => {
  server = await httpServer(async (req, res) => {
    await readBody(req);
    const { status, headers = {} } = app(req);
    res.writeHead(status, { ...headers, 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ auth: req.headers.authorization ?? null }));
  });
  url = `${server.url}/`;
});
afterAll(() => server.close());
beforeEach(() => {
  app = plainApp();
});

const newClient = (options: ConstructorParameters<typeof Client>[0] = {}) =>
  new Client({ trustEnv: false, ...options });

/** The fields of a Digest `Authorization` header, split as HTTPX's test splits them (values keep their quotes). */
function digestFields(authorization: string): Record<string, string> {
  const [scheme, ...rest] = authorization.split(' ');
  expect(scheme).toBe('Digest');
  return Object.fromEntries(
    rest
      .join(' ')
      .split(',')
      .map((field) => field.trim().split('=') as [string, string]),
  );
}

const BASIC = 'Basic dXNlcjpwYXNzd29yZDEyMw==';

describe('HTTPX tests/client/test_auth.py', () => {
  it('test_basic_auth', async () => {
    await using client = newClient();
    const response = await client.get(url, { auth: ['user', 'password123'] });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ auth: BASIC });
  });

  it('test_basic_auth_with_stream', async () => {
    await using client = newClient({ auth: ['user', 'password123'] });
    const response = await client.stream('GET', url);
    await response.read();
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ auth: BASIC });
  });

  it('test_basic_auth_in_url', async () => {
    await using client = newClient();
    const response = await client.get(url.replace('http://', 'http://user:password123@'));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ auth: BASIC });
  });

  it('test_basic_auth_on_session', async () => {
    await using client = newClient({ auth: ['user', 'password123'] });
    const response = await client.get(url);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ auth: BASIC });
  });

  it('test_custom_auth', async () => {
    await using client = newClient();
    const auth = (request: Request) => {
      request.headers.set('Authorization', 'Token 123');
      return request;
    };
    const response = await client.get(url, { auth });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ auth: 'Token 123' });
  });

  describe('netrc', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'httpx-netrc-'));
      await writeFile(
        join(dir, 'netrc'),
        'machine 127.0.0.1\nlogin example-username\npassword example-password\n',
      );
      await writeFile(join(dir, 'netrc-other'), 'machine netrcexample.org login a password b\n');
      await writeFile(join(dir, 'netrc-nopassword'), 'machine 127.0.0.1 login example-username\n');
    });

    it('test_netrc_auth_credentials_exist', async () => {
      await using client = newClient({ auth: new NetRCAuth(join(dir, 'netrc')) });
      const response = await client.get(url);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ auth: 'Basic ZXhhbXBsZS11c2VybmFtZTpleGFtcGxlLXBhc3N3b3Jk' });
    });

    it('test_netrc_auth_credentials_do_not_exist', async () => {
      await using client = newClient({ auth: new NetRCAuth(join(dir, 'netrc-other')) });
      const response = await client.get(url);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ auth: null });
    });

    it('test_netrc_auth_nopassword', async () => {
      await using client = newClient({ auth: new NetRCAuth(join(dir, 'netrc-nopassword')) });
      const response = await client.get(url);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ auth: null });
    });
  });

  it('test_auth_disable_per_request', async () => {
    await using client = newClient({ auth: ['user', 'password123'] });
    const response = await client.get(url, { auth: null });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ auth: null });
  });

  it('test_auth_hidden_url (the request shows the URL password as [secure])', async () => {
    await using client = newClient();
    const response = await client.get(url.replace('http://', 'http://example-username:example-password@'));
    const shown = inspect(response.request);
    expect(shown).toContain(`example-username:[secure]@127.0.0.1:${server.port}/`);
    expect(shown).not.toContain('example-password');
  });

  it('test_auth_hidden_header', async () => {
    await using client = newClient();
    const response = await client.get(url, { auth: ['example-username', 'example-password'] });
    expect(inspect(response.request.headers)).toContain("[ 'Authorization', '[secure]' ]");
  });

  it('test_auth_property', async () => {
    await using client = newClient();
    expect(client.auth).toBe(null);
    client.auth = ['user', 'password123'];
    expect(client.auth).toBeInstanceOf(BasicAuth);
    const response = await client.get(url);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ auth: BASIC });
  });

  it('test_auth_invalid_type', async () => {
    const bad = 'not a tuple, not a callable' as never;
    expect(() => newClient({ auth: bad })).toThrow(UsageError);
    await using client = newClient();
    await expect(client.get(url, { auth: bad })).rejects.toThrow(UsageError);
    expect(() => {
      client.auth = bad;
    }).toThrow(UsageError);
  });

  it('test_digest_auth_returns_no_auth_if_no_digest_header_in_response', async () => {
    await using client = newClient();
    const response = await client.get(url, { auth: new DigestAuth('user', 'password123') });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ auth: null });
    expect(response.history).toHaveLength(0);
  });

  it('test_digest_auth_returns_no_auth_if_alternate_auth_scheme', async () => {
    app = plainApp('Token ...', 401);
    await using client = newClient();
    const response = await client.get(url, { auth: new DigestAuth('user', 'password123') });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ auth: null });
    expect(response.history).toHaveLength(0);
  });

  it('test_digest_auth_200_response_including_digest_auth_header', async () => {
    app = plainApp('Digest realm="realm@host.com",qop="auth",nonce="abc",opaque="xyz"', 200);
    await using client = newClient();
    const response = await client.get(url, { auth: new DigestAuth('user', 'password123') });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ auth: null });
    expect(response.history).toHaveLength(0);
  });

  it('test_digest_auth_401_response_without_digest_auth_header', async () => {
    app = plainApp('', 401);
    await using client = newClient();
    const response = await client.get(url, { auth: new DigestAuth('user', 'password123') });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ auth: null });
    expect(response.history).toHaveLength(0);
  });

  const algorithms: Array<[string, number]> = [
    ['MD5', 32],
    ['MD5-SESS', 32],
    ['SHA', 40],
    ['SHA-SESS', 40],
    ['SHA-256', 64],
    ['SHA-256-SESS', 64],
    ['SHA-512', 128],
    ['SHA-512-SESS', 128],
  ];
  for (const [algorithm, responseLength] of algorithms) {
    it(`test_digest_auth[${algorithm}-64-${responseLength}]`, async () => {
      app = new DigestApp(algorithm).app;
      await using client = newClient();
      const response = await client.get(url, { auth: new DigestAuth('user', 'password123') });
      expect(response.statusCode).toBe(200);
      expect(response.history).toHaveLength(1);
      const fields = digestFields(response.json<{ auth: string }>().auth);
      expect(fields.username).toBe('"user"');
      expect(fields.realm).toBe('"httpx@example.org"');
      expect(fields.nonce).toHaveLength(64 + 2);
      expect(fields.uri).toBe('"/"');
      expect(fields.response).toHaveLength(responseLength + 2);
      expect(fields.opaque).toHaveLength(64 + 2);
      expect(fields.algorithm).toBe(algorithm);
      expect(fields.qop).toBe('auth');
      expect(fields.nc).toBe('00000001');
      expect(fields.cnonce).toHaveLength(16 + 2);
    });
  }

  it('test_digest_auth_no_specified_qop', async () => {
    app = new DigestApp('SHA-256', '').app;
    await using client = newClient();
    const response = await client.get(url, { auth: new DigestAuth('user', 'password123') });
    expect(response.statusCode).toBe(200);
    expect(response.history).toHaveLength(1);
    const fields = digestFields(response.json<{ auth: string }>().auth);
    expect(Object.keys(fields)).not.toContain('qop');
    expect(Object.keys(fields)).not.toContain('nc');
    expect(Object.keys(fields)).not.toContain('cnonce');
    expect(fields.username).toBe('"user"');
    expect(fields.realm).toBe('"httpx@example.org"');
    expect(fields.nonce).toHaveLength(64 + 2);
    expect(fields.uri).toBe('"/"');
    expect(fields.response).toHaveLength(64 + 2);
    expect(fields.opaque).toHaveLength(64 + 2);
    expect(fields.algorithm).toBe('SHA-256');
  });

  for (const qop of ['auth, auth-int', 'auth,auth-int', 'unknown,auth']) {
    it(`test_digest_auth_qop_including_spaces_and_auth_returns_auth[${qop}]`, async () => {
      app = new DigestApp('SHA-256', qop).app;
      await using client = newClient();
      const response = await client.get(url, { auth: new DigestAuth('user', 'password123') });
      expect(response.statusCode).toBe(200);
      expect(response.history).toHaveLength(1);
      expect(digestFields(response.json<{ auth: string }>().auth).qop).toBe('auth');
    });
  }

  it('test_digest_auth_qop_auth_int_not_implemented (on purpose: auth-int is implemented here)', async () => {
    app = new DigestApp('SHA-256', 'auth-int').app;
    await using client = newClient();
    const response = await client.get(url, { auth: new DigestAuth('user', 'password123') });
    expect(response.statusCode).toBe(200);
    expect(response.history).toHaveLength(1);
    expect(digestFields(response.json<{ auth: string }>().auth).qop).toBe('auth-int');
  });

  it('test_digest_auth_qop_must_be_auth_or_auth_int', async () => {
    app = new DigestApp('SHA-256', 'not-auth').app;
    await using client = newClient();
    await expect(client.get(url, { auth: new DigestAuth('user', 'password123') })).rejects.toThrow(
      ProtocolError,
    );
  });

  it('test_digest_auth_incorrect_credentials', async () => {
    const digest = new DigestApp();
    digest.challenges = 2;
    app = digest.app;
    await using client = newClient();
    const response = await client.get(url, { auth: new DigestAuth('user', 'password123') });
    expect(response.statusCode).toBe(401);
    expect(response.history).toHaveLength(1);
  });

  it('test_digest_auth_reuses_challenge', async () => {
    app = new DigestApp().app;
    await using client = newClient();
    const auth = new DigestAuth('user', 'password123');
    const first = await client.get(url, { auth });
    const second = await client.get(url, { auth });
    expect(first.statusCode).toBe(200);
    expect(second.statusCode).toBe(200);
    expect(first.history).toHaveLength(1);
    expect(second.history).toHaveLength(0);
  });

  it('test_digest_auth_resets_nonce_count_after_401', async () => {
    const digest = new DigestApp();
    app = digest.app;
    await using client = newClient();
    const auth = new DigestAuth('user', 'password123');
    const first = await client.get(url, { auth });
    expect(first.statusCode).toBe(200);
    expect(first.history).toHaveLength(1);
    const firstFields = digestFields(first.request.headers.get('Authorization') as string);

    // A further 401, on a request that authenticated up front with the old challenge.
    digest.challenges = 2;
    const second = await client.get(url, { auth });
    expect(second.statusCode).toBe(200);
    expect(second.history).toHaveLength(1);
    const secondFields = digestFields(second.request.headers.get('Authorization') as string);

    expect(firstFields.nonce).not.toBe(secondFields.nonce);
    expect(firstFields.nc).toBe(secondFields.nc);
  });

  for (const header of [
    'Digest realm="httpx@example.org", qop="auth"',
    'Digest realm="httpx@example.org", qop="auth,au',
  ]) {
    it(`test_async_digest_auth_raises_protocol_error_on_malformed_header[${header}]`, async () => {
      app = plainApp(header, 401);
      await using client = newClient();
      await expect(client.get(url, { auth: new DigestAuth('user', 'password123') })).rejects.toThrow(
        ProtocolError,
      );
    });
  }

  it('test_async_auth_history', async () => {
    app = plainApp('abc');
    await using client = newClient();
    const response = await client.get(url, { auth: new RepeatAuth(2) });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ auth: 'Repeat abc.abc' });
    expect(response.history).toHaveLength(2);
    const [first, second] = response.history as [Response, Response];
    expect(first.json()).toEqual({ auth: 'Repeat 0' });
    expect(second.json()).toEqual({ auth: 'Repeat 1' });
    expect(second.history).toEqual([first]);
    expect(first.history).toHaveLength(0);
  });

  it('test_digest_auth_unavailable_streaming_body', async () => {
    app = new DigestApp().app;
    await using client = newClient();
    async function* streamingBody() {
      yield new TextEncoder().encode('Example request body');
    }
    await expect(
      client.post(url, { content: streamingBody(), auth: new DigestAuth('user', 'password123') }),
    ).rejects.toThrow(StreamConsumed);
  });

  it('test_async_auth_reads_response_body', async () => {
    /** HTTPX's `ResponseBodyAuth`: sends a token, then the body of the response it got back. */
    class ResponseBodyAuth extends Auth {
      override requiresResponseBody = true;
      constructor(readonly token: string) {
        super();
      }
      override *authFlow(request: Request): Generator<Request, void, Response> {
        request.headers.set('Authorization', this.token);
        const response = yield request;
        request.headers.set('Authorization', response.text);
        yield request;
      }
    }
    await using client = newClient();
    const response = await client.get(url, { auth: new ResponseBodyAuth('xyz') });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ auth: '{"auth":"xyz"}' });
  });

  // HTTPX's `SyncOrAsyncAuth` has a sync and an async flow; here an Auth's flow is either kind.
  it('test_async_auth (an async generator flow that awaits before yielding)', async () => {
    class AsyncAuth extends Auth {
      override async *authFlow(request: Request): AsyncGenerator<Request, void, Response> {
        await new Promise<void>((resolve) => setImmediate(resolve));
        request.headers.set('Authorization', 'async-auth');
        yield request;
      }
    }
    await using client = newClient();
    const response = await client.get(url, { auth: new AsyncAuth() });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ auth: 'async-auth' });
  });

  it('test_sync_auth (a plain generator flow)', async () => {
    class SyncAuth extends Auth {
      override *authFlow(request: Request): Generator<Request, void, Response> {
        request.headers.set('Authorization', 'sync-auth');
        yield request;
      }
    }
    await using client = newClient();
    const response = await client.get(url, { auth: new SyncAuth() });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ auth: 'sync-auth' });
  });
});
